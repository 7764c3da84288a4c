"""The outbox deliverer against the real store (SQLite in tmp_path): order, back-off, refusals, wake-up.

Stand-in handlers are used here ONLY to drive the deliverer's own scheduling; the grading handler is tested
against the Odoo simulator in test_delivery_grading.py.
"""

from __future__ import annotations

import threading
from datetime import datetime

import pytest

from grading_station.store.local import Store

from grading_station.services.delivery import Backoff, Deliverer

from grading_station.errors import DiskFull, RemoteRefused, RemoteUnavailable
from tests.helpers.clock import Clock


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(paths, clock):
    opened = Store.open(paths, clock=clock)
    yield opened
    opened.close()


@pytest.fixture
def seen():
    return []


@pytest.fixture
def deliverer(store, clock, seen):
    d = Deliverer(store.outbox, backoff=Backoff(initial=10, factor=2, maximum=25), clock=clock,
                  on_change=lambda item: seen.append((item.id, item.state)))
    yield d
    assert d.stop(timeout=5)


def test_items_are_delivered_in_order_and_marked_delivering_first(store, deliverer, seen):
    order: list[int] = []

    def handler(item):
        assert store.outbox.get(item.id).state == "delivering"  # claimed before the attempt
        order.append(item.payload["n"])
        return {"done": item.payload["n"]}

    deliverer.register("test.ok", handler)
    ids = [store.outbox.enqueue("test.ok", {"n": n}) for n in range(3)]
    assert deliverer.deliver_due() == 3
    assert order == [0, 1, 2]
    for n, item_id in enumerate(ids):
        item = store.outbox.get(item_id)
        assert (item.state, item.result, item.attempts) == ("delivered", {"done": n}, 1)
    assert seen == [(i, s) for i in ids for s in ("delivering", "delivered")]
    assert deliverer.deliver_due() == 0


def test_unreachable_remote_is_retried_with_capped_exponential_back_off(store, deliverer, clock):
    down = RemoteUnavailable("Odoo could not be reached.")
    answers = [down, down, down, {"lot_id": 7}]

    def handler(item):
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    deliverer.register("test.flaky", handler)
    item_id = store.outbox.enqueue("test.flaky", {})
    waits = []
    for _ in range(3):
        assert deliverer.deliver_due() == 1
        item = store.outbox.get(item_id)
        assert item.state == "failing" and not item.permanent
        assert item.last_error == "Odoo could not be reached."
        wait = (datetime.fromisoformat(item.next_attempt_at) - clock()).total_seconds()
        waits.append(wait)
        clock.advance(wait - 1)
        assert deliverer.deliver_due() == 0  # not before its time
        clock.advance(1)
    assert waits == [10, 20, 25]  # doubles, capped at `maximum`
    assert deliverer.deliver_due() == 1
    item = store.outbox.get(item_id)
    assert (item.state, item.attempts, item.result) == ("delivered", 4, {"lot_id": 7})


def test_a_refusal_waits_for_a_person_and_retry_delivers_it(store, deliverer, clock, expected_logs):
    expected_logs.expect("grading_station.outbox", r"test.refused .* refused: Odoo refused to create the lot")
    fixed = threading.Event()

    def handler(item):
        if not fixed.is_set():
            raise RemoteRefused("Odoo refused to create the lot: the serial already exists.", detail="E")
        return {"ok": True}

    deliverer.register("test.refused", handler)
    item_id = store.outbox.enqueue("test.refused", {})
    deliverer.deliver_due()
    item = store.outbox.get(item_id)
    assert item.state == "failing" and item.permanent and item.next_attempt_at is None
    assert item.last_error == "Odoo refused to create the lot: the serial already exists."
    clock.advance(24 * 3600)
    assert deliverer.deliver_due() == 0  # never retried by itself

    fixed.set()
    store.outbox.retry_now(item_id, actor="alice")
    assert deliverer.deliver_due() == 1
    assert store.outbox.get(item_id).state == "delivered"


def test_a_bug_in_a_handler_keeps_the_item_and_logs_the_traceback(store, deliverer, expected_logs):
    expected_logs.expect("grading_station.outbox", r"test.bug .* stopped on a bug")

    def handler(item):
        raise ZeroDivisionError("oops")

    deliverer.register("test.bug", handler)
    item_id = store.outbox.enqueue("test.bug", {})
    deliverer.deliver_due()
    item = store.outbox.get(item_id)
    assert item.state == "failing" and item.permanent and item.failure == "bug"
    assert item.last_error == "Stopped on a bug in Grading Station (details in the log)."
    assert item.error_detail == "ZeroDivisionError: oops"


def test_items_of_unknown_kinds_are_left_alone(store, deliverer):
    deliverer.register("test.ok", lambda item: {})
    other = store.outbox.enqueue("someone.else", {})
    mine = store.outbox.enqueue("test.ok", {})
    assert deliverer.deliver_due() == 1
    assert store.outbox.get(other).state == "pending" and store.outbox.get(mine).state == "delivered"


def test_two_handlers_for_one_kind_is_a_bug(deliverer):
    deliverer.register("test.ok", lambda item: {})
    with pytest.raises(ValueError, match="already registered"):
        deliverer.register("test.ok", lambda item: {})


def test_the_thread_wakes_on_enqueue_and_stops_cleanly(paths):
    store = Store.open(paths)
    delivered = threading.Event()
    d = Deliverer(store.outbox, idle_wait=60,
                  on_change=lambda item: item.state == "delivered" and delivered.set())
    d.register("test.ok", lambda item: {"ok": True})
    try:
        d.start()
        store.outbox.enqueue("test.ok", {})  # the outbox listener wakes the sleeping thread at once
        assert delivered.wait(3)
    finally:
        assert d.stop(timeout=3)
        store.close()


def test_the_thread_retries_by_itself_after_the_back_off(paths):
    store = Store.open(paths)
    calls = []
    done = threading.Event()

    def handler(item):
        calls.append(item.attempts)
        if len(calls) < 3:
            raise RemoteUnavailable("Back Market is busy.")
        done.set()
        return {}

    d = Deliverer(store.outbox, backoff=Backoff(initial=0.02, factor=2, maximum=0.05), idle_wait=60)
    d.register("test.flaky", handler)
    try:
        store.outbox.enqueue("test.flaky", {})
        d.start()
        assert done.wait(3)
        assert calls == [1, 2, 3]
    finally:
        assert d.stop(timeout=3)
        store.close()


def test_a_delivery_interrupted_by_a_crash_is_delivered_again_on_restart(paths, clock):
    store = Store.open(paths, clock=clock)
    item_id = store.outbox.enqueue("test.ok", {})
    assert store.outbox.mark_delivering(item_id)  # the app died during this attempt
    store.close()

    store = Store.open(paths, clock=clock)  # opening re-queues interrupted deliveries
    try:
        d = Deliverer(store.outbox, clock=clock)
        d.register("test.ok", lambda item: {"attempt": item.attempts})
        assert d.deliver_due() == 1
        item = store.outbox.get(item_id)
        assert (item.state, item.result) == ("delivered", {"attempt": 2})
    finally:
        store.close()


def test_a_damaged_item_is_set_aside_once_and_the_others_still_go(store, deliverer, expected_logs, caplog):
    expected_logs.expect("grading_station.outbox", r"set aside, not delivered")
    deliverer.register("test.ok", lambda item: {"got": item.payload["n"]})
    bad = store.outbox.enqueue("test.ok", {"n": 1})
    good = store.outbox.enqueue("test.ok", {"n": 2})
    store.executor.call(lambda c: c.execute("UPDATE outbox SET payload = 'not json' WHERE id = ?", (bad,)))
    assert deliverer.deliver_due() == 1
    assert deliverer.deliver_due() == 0
    assert store.outbox.get(good).result == {"got": 2}
    assert store.outbox.get(bad).failure == "quarantined"
    assert len([r for r in caplog.records if "set aside" in r.getMessage()]) == 1


def test_a_store_failure_is_logged_once_while_it_lasts(store, clock, expected_logs, caplog):
    expected_logs.expect("grading_station.outbox", r"read the outbox")

    class FullOutbox:
        listeners: list = []

        def due(self, now=None, limit=50):
            raise DiskFull("The disk is full: the local database cannot save.", detail="SQLITE_FULL")

    d = Deliverer(FullOutbox(), backoff=Backoff(initial=0.01), clock=clock)
    d.start()
    try:
        threading.Event().wait(0.2)  # several passes of the loop
    finally:
        assert d.stop(timeout=5)
    errors = [r for r in caplog.records if r.name == "grading_station.outbox" and r.levelname == "ERROR"]
    assert len(errors) == 1 and "cannot read the outbox" in errors[0].getMessage()
