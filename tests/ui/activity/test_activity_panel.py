"""The Activity panel on the real store: items appear, failing reasons show, Retry re-queues, the log tail."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest

from grading_station.store.local import Store

from grading_station.services.events import OutboxDidChange, StationEvents

from grading_station.ui.activity.panel import ActivityPanel
from grading_station.ui.kit.events import EventSignals

from grading_station.log import TailHandler


@pytest.fixture
def store(paths):
    opened = Store.open(paths)
    yield opened
    opened.close()


@pytest.fixture
def bridge(store):
    hub = StationEvents()
    # as app.py wires it: any outbox change is a station event, and the panel refreshes from it
    store.outbox.listeners.append(lambda item_id: hub.publish(OutboxDidChange(item_id)))
    return EventSignals(hub)


@pytest.fixture
def woken():
    return []


@pytest.fixture
def panel(qtbot, store, bridge, woken):
    tail = TailHandler()
    tail.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    widget = ActivityPanel(store.outbox, bridge, store.executor, wake=lambda: woken.append(True),
                           actor=lambda: "alice", tail=tail, debounce_ms=10)
    widget.tail = tail
    qtbot.add_widget(widget)
    widget.resize(1366, 700)
    return widget


def grading_json(serial: str, model: str) -> dict:
    return {"grading_id": serial, "serial": serial, "model_name": model}


def rows_of(panel):
    model = panel.model
    return [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]


def test_items_appear_newest_first_with_what_and_unit(qtbot, panel, store):
    store.outbox.enqueue("grading", grading_json("356789104512345", "iPhone 14 Pro"))
    stock = {"variant_id": 3, "sku": "IP14P-GOOD", "model_name": "iPhone 14 Pro (Good)"}
    store.outbox.enqueue("bm.stock", stock)
    panel.refresh()
    qtbot.wait_until(lambda: panel.model.rowCount() == 2)
    assert rows_of(panel) == [
        ["Stock → Back Market", "IP14P-GOOD · iPhone 14 Pro (Good)", "Waiting", "0", ""],
        ["Grading → Odoo", "356789104512345 · iPhone 14 Pro", "Waiting", "0", ""],
    ]
    assert panel.summary.text() == "2 waiting"


def test_a_failing_item_shows_its_reason_and_next_retry_after_a_signal(qtbot, panel, store):
    panel.refresh()
    first = store.outbox.enqueue("grading", grading_json("356789104512345", "iPhone 14 Pro"))
    second = store.outbox.enqueue("grading", grading_json("C02XK1ZZJGH5", "MacBook Air"))
    store.outbox.mark_delivering(first)
    retry_at = datetime.now(UTC) + timedelta(minutes=5)
    store.outbox.mark_failed(first, "Nothing answers at http://odoo:8069: is Odoo running?", retry_at)
    store.outbox.mark_delivering(second)
    store.outbox.mark_failed(second, "Odoo refused to create the lot: serial exists.", None, permanent=True)
    # no refresh() call: the store's change listener → bridge signal → the panel reloads itself
    qtbot.wait_until(lambda: [r[2] for r in rows_of(panel)] == [
        "Failing: Odoo refused to create the lot: serial exists.",
        "Failing: Nothing answers at http://odoo:8069: is Odoo running?"])
    rows = rows_of(panel)
    assert rows[0][3:] == ["1", "by hand (Retry)"]
    assert rows[1][4] == retry_at.astimezone().strftime("%H:%M:%S")
    assert panel.summary.text() == "2 failing" and panel.summary.property("state") == "error"
    panel.table.selectRow(0)
    assert panel.detail.text() == "C02XK1ZZJGH5 · MacBook Air: Odoo refused to create the lot: serial exists."
    assert panel.retry_button.isEnabled()


def test_retry_requeues_the_item_and_wakes_the_deliverer(qtbot, panel, store, woken):
    item_id = store.outbox.enqueue("grading", grading_json("356789104512345", "iPhone 14 Pro"))
    store.outbox.mark_delivering(item_id)
    store.outbox.mark_failed(item_id, "Odoo refused: no rights.", None, permanent=True)
    panel.refresh()
    qtbot.wait_until(lambda: panel.model.rowCount() == 1)
    assert not panel.retry_button.isEnabled()  # nothing selected yet
    panel.table.selectRow(0)
    panel.retry_button.click()
    qtbot.wait_until(lambda: rows_of(panel)[0][2] == "Waiting")
    item = store.outbox.get(item_id)
    assert item.state == "pending" and not item.permanent
    assert woken == [True]
    assert not panel.retry_button.isEnabled()  # a waiting item has nothing to retry
    audit = store.executor.call(lambda conn: conn.execute("SELECT actor, action FROM audit").fetchall())
    assert ("alice", "retry") in [tuple(r) for r in audit]


def test_the_log_tail_shows_new_lines(qtbot, panel):
    logger = logging.getLogger("grading_station.test_activity")
    logger.addHandler(panel.tail)
    logger.setLevel(logging.INFO)
    try:
        logger.info("first line")
        panel.log_view.refresh()
        logger.info("second line")
        panel.log_view.refresh()
    finally:
        logger.removeHandler(panel.tail)
        logger.setLevel(logging.NOTSET)
    assert panel.log_view.toPlainText().splitlines() == [
        "INFO grading_station.test_activity: first line", "INFO grading_station.test_activity: second line"]
