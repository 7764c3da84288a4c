"""The grading handler through the deliverer: real store, real gateway, the Odoo simulator over HTTP."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from grading_station.domain.grading import PhotoRef

from grading_station.odoo import OdooGateway, OdooSettings
from grading_station.store import outbox as store_outbox
from grading_station.store.local import Store

from grading_station.services.delivery import (
    KIND_GRADING,
    Backoff,
    Deliverer,
    GradingHandler,
    report_filename,
)

from grading_station.demo import seed_demo
from tests.helpers.clock import Clock
from tests.integration.odoo.helpers import PHOTO, intake


@pytest.fixture
def gateway(odoo_sim):
    gw = OdooGateway(OdooSettings(url=odoo_sim.url, database="grading", login="admin", secret="admin",
                                  timeout=5.0))
    seed_demo(gw)
    yield gw
    gw.close()


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def setup(paths, gateway, clock):
    store = Store.open(paths, clock=clock)
    deliverer = Deliverer(store.outbox, backoff=Backoff(initial=30, maximum=60), clock=clock)
    deliverer.register(KIND_GRADING, GradingHandler(gateway))
    yield store, deliverer
    store.close()


def record_with_photo(gateway, tmp_path, serial="353918111203507"):
    model = next(m for m in gateway.search_models("IP13-128-MID") if m.default_code == "IP13-128-MID")
    photo_file = tmp_path / "front.jpg"
    photo_file.write_bytes(PHOTO)
    photo = PhotoRef("front", str(photo_file), "0" * 40, f"{serial}-front.jpg")
    return intake(model, serial, "good", photos=(photo,))


def attachment_names(gateway, lot_id):
    found = gateway.connection.call("ir.attachment", "search_read",
                                    [[["res_model", "=", "stock.lot"], ["res_id", "=", lot_id]]],
                                    {"fields": ["name"]})
    return sorted(a["name"] for a in found)


def test_the_store_and_the_deliverer_agree_on_the_grading_kind():
    assert KIND_GRADING == store_outbox.GRADING


def test_a_committed_grading_lands_in_odoo_with_its_report_and_photo(setup, gateway, tmp_path):
    store, deliverer = setup
    record = record_with_photo(gateway, tmp_path)
    item_id = store.outbox.enqueue(KIND_GRADING, record.to_json(), key=f"unit:{record.serial}")
    assert deliverer.deliver_due() == 1
    item = store.outbox.get(item_id)
    assert item.state == "delivered", item.last_error
    lot_id = item.result["lot_id"]
    assert gateway.find_unit(record.serial).lot_id == lot_id
    expected = sorted([report_filename(record), f"{record.serial}-front.jpg"])
    assert attachment_names(gateway, lot_id) == expected


def test_odoo_down_waits_and_delivers_when_it_is_back(setup, gateway, odoo_sim, tmp_path, clock):
    store, deliverer = setup
    record = record_with_photo(gateway, tmp_path, "356938035643809")
    gateway.connection.ensure_connected()
    odoo_sim.down = True
    item_id = store.outbox.enqueue(KIND_GRADING, record.to_json())
    deliverer.deliver_due()
    item = store.outbox.get(item_id)
    assert item.state == "failing" and not item.permanent
    assert "Odoo" in item.last_error and item.next_attempt_at is not None

    odoo_sim.down = False
    clock.now += timedelta(seconds=30)
    assert deliverer.deliver_due() == 1
    assert store.outbox.get(item_id).state == "delivered"
    assert gateway.find_unit(record.serial) is not None


def test_a_missing_photo_stops_the_item_with_the_reason(setup, gateway, tmp_path, expected_logs):
    expected_logs.expect("grading_station.outbox", r"grading .* refused: The photo “front”")
    store, deliverer = setup
    record = record_with_photo(gateway, tmp_path, "352099001761481")
    gone = dataclasses.replace(record.photos[0], path=str(tmp_path / "deleted.jpg"))
    record = dataclasses.replace(record, photos=(gone,))
    item_id = store.outbox.enqueue(KIND_GRADING, record.to_json())
    deliverer.deliver_due()
    item = store.outbox.get(item_id)
    assert item.state == "failing" and item.permanent
    assert item.last_error.startswith("The photo “front” of 352099001761481 is missing from this computer")
