"""Answers with impossible values (quantity -1, price Infinity, task id -3 or `true`) are refused, not used."""

from __future__ import annotations

from decimal import Decimal

import pytest

from grading_station.backmarket.catalog_csv import ListingRow, build_catalog
from grading_station.backmarket.errors import BackMarketError, Failure

from grading_station.sim.backmarket.server import Fault
from tests.helpers.bm_sim import DEMO_EAN
from tests.integration.backmarket.test_client import _create


def _unexpected(call) -> BackMarketError:
    with pytest.raises(BackMarketError) as caught:
        call()
    error = caught.value
    assert error.failure is Failure.MALFORMED and error.retryable
    assert error.user_message.startswith("Back Market answered something unexpected")
    return error


@pytest.mark.parametrize(
    "patch, what",
    [
        ({"quantity": -1}, "quantity -1"),
        ({"quantity": True}, "quantity True"),
        ({"quantity": 2.5}, "quantity 2.5"),
        ({"price": "Infinity"}, "price 'Infinity'"),
        ({"price": "NaN"}, "price 'NaN'"),
        ({"price": "-3.00"}, "price '-3.00'"),
        ({"min_price": "lots"}, "min_price 'lots'"),
    ],
)
def test_a_listing_with_impossible_values_is_refused(bm, bm_sim, patch, what):
    _create(bm, ["U-1"])
    bm_sim.inject(Fault("tamper", method="GET", path="/ws/listings/detail", patch=patch))
    error = _unexpected(lambda: bm.find_listing(sku="U-1"))
    assert what in error.user_message


@pytest.mark.parametrize("task_id", [-3, 0, True, "12"])
def test_a_batch_answered_with_an_impossible_task_id_is_refused(bm, bm_sim, task_id):
    bm_sim.inject(Fault("tamper", method="POST", path="/ws/listings", patch={"bodymessage": task_id}))
    catalog = build_catalog([ListingRow("U-2", 1, Decimal("1"), "EUR", "GOOD", ean=DEMO_EAN)])
    error = _unexpected(lambda: bm.submit_batch(catalog, lines=1, market="fr-fr"))
    assert "bodymessage" in error.user_message


@pytest.mark.parametrize("patch", [{"task_id": -3}, {"task_id": True}, {"action_status": True}])
def test_a_task_with_an_impossible_id_or_status_is_refused(bm, bm_sim, patch):
    task = _create(bm, ["U-3"])
    bm_sim.inject(Fault("tamper", method="GET", path="/ws/tasks/", patch=patch))
    _unexpected(lambda: bm.get_task(task.task_id))
