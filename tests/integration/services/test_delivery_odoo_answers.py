"""Gradings delivered while Odoo answers wrongly (through a proxy on 127.0.0.1): a malformed answer is retried,
Odoo's own ValueError stops the item as a bug (logged once with its traceback), and none stops as our bug."""

from __future__ import annotations

import logging
import random
from datetime import timedelta

import pytest

from grading_station.odoo import OdooGateway, OdooSettings
from grading_station.store.local import Store

from grading_station.services.delivery import KIND_GRADING, Backoff, Deliverer, GradingHandler

from grading_station.demo import seed_demo
from tests.helpers.clock import Clock
from tests.integration.odoo.answer_proxy import AnswerProxy
from tests.integration.odoo.helpers import intake
from tests.integration.odoo.malformed import BUG, RETRY, malformed_answer

SEED, INPUTS = 7, 40
VALUE_ERROR = (b'{"jsonrpc": "2.0", "id": 1, "error": {"code": 200, "message": "Odoo Server Error", "data": '
               b'{"name": "builtins.ValueError", "message": "Wrong value for stock.lot.lot_properties", '
               b'"debug": "Traceback (most recent call last): ... ValueError: Wrong value"}}}')



@pytest.fixture
def world(odoo_sim, paths):
    seeder = OdooGateway(OdooSettings(odoo_sim.url, "grading", "admin", "admin", timeout=5.0))
    seed_demo(seeder)
    model = next(m for m in seeder.search_models("IP13-128-MID") if m.default_code == "IP13-128-MID")
    seeder.close()
    proxy = AnswerProxy(odoo_sim.url)
    gateway = OdooGateway(OdooSettings(proxy.url, "grading", "admin", "admin", timeout=5.0))
    gateway.connect()
    clock = Clock()
    store = Store.open(paths, clock=clock)
    deliverer = Deliverer(store.outbox, backoff=Backoff(initial=30, maximum=60), clock=clock)
    deliverer.register(KIND_GRADING, GradingHandler(gateway))
    yield proxy, store, deliverer, model, clock
    store.close()
    gateway.close()
    proxy.close()


def enqueue(store, model, serial: str) -> str:
    record = intake(model, serial, "good")
    return store.outbox.enqueue(KIND_GRADING, record.to_json(), key=f"unit:{serial}")


def test_odoo_value_error_stops_the_item_as_a_bug_logged_once(world, expected_logs, caplog):
    expected_logs.expect("grading_station.outbox", r"stopped on a bug")
    proxy, store, deliverer, model, clock = world
    item_id = enqueue(store, model, "353918111209991")
    proxy.answer_next(VALUE_ERROR)
    deliverer.deliver_due()
    item = store.outbox.get(item_id)
    assert item.state == "failing" and item.permanent and item.failure == "bug"
    assert "programming error" in item.last_error and "Traceback" in item.error_detail
    clock.now += timedelta(hours=1)
    assert deliverer.deliver_due() == 0  # not a retry loop: it waits for someone's Retry
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and errors[0].exc_info is not None
    store.outbox.retry_now(item_id, actor="alice")  # fixed (here: the next answer is a good one)
    deliverer.deliver_due()
    assert store.outbox.get(item_id).state == "delivered"


def test_malformed_answers_during_a_delivery_are_retried_never_a_bug_of_ours(world, expected_logs):
    expected_logs.expect("grading_station.outbox", r"stopped on a bug|refused")
    proxy, store, deliverer, model, clock = world
    rng = random.Random(SEED)
    wrong = []
    for n in range(INPUTS):
        answer = malformed_answer(rng)
        item_id = enqueue(store, model, f"35391811{n:07d}")
        proxy.answer_next(answer.body, after=rng.randrange(6))
        deliverer.deliver_due()
        proxy.clear()
        item = store.outbox.get(item_id)
        ours = item.failure == "bug" and "Grading Station" in item.last_error
        if ours or (answer.expect == BUG and item.state == "failing" and item.failure != "bug") or (
            answer.expect == RETRY and item.state == "failing" and item.permanent
        ):
            wrong.append((answer.label, item.failure, item.last_error, item.error_detail[:200]))
        if item.state == "failing":  # let it finish (the next answers are good), freeing the unit's key
            store.outbox.retry_now(item_id)
            deliverer.deliver_due()
    assert wrong == []
