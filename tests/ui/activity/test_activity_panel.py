"""The Activity panel on the real store: items appear, failing reasons show, Retry re-queues, the log tail."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QGuiApplication

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


def grading_json(serial: str, model: str, grade: str = "good") -> dict:
    return {"grading_id": serial, "serial": serial, "model_name": model, "grade": grade}


def rows_of(panel):
    model = panel.model
    return [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]


def local(moment: datetime) -> str:
    return moment.astimezone().strftime("%H:%M")


def test_items_are_said_in_the_users_words_newest_first(qtbot, panel, store):
    first = store.outbox.enqueue("grading", grading_json("356789104512345", "iPhone 14 Pro"))
    stock = {"variant_id": 3, "sku": "IP14P-GOOD", "model_name": "iPhone 14 Pro (Good)"}
    second = store.outbox.enqueue("bm.stock", stock)
    panel.refresh()
    qtbot.wait_until(lambda: panel.model.rowCount() == 2)
    now = local(datetime.now(UTC))
    assert [row[1:] for row in rows_of(panel)] == [
        ["Back Market stock of iPhone 14 Pro (Good), SKU IP14P-GOOD", "Waiting to be sent to Back Market"],
        ["Grading of 356789104512345 (iPhone 14 Pro, Good)", "Waiting to be sent to Odoo"],
    ]
    assert {row[0] for row in rows_of(panel)} <= {now, local(datetime.now(UTC) - timedelta(minutes=1))}
    shown = " ".join(" ".join(row) for row in rows_of(panel))
    assert first not in shown and second not in shown  # no UUIDs in the table: they are in the details
    assert panel.summary.text() == "2 waiting"


def test_a_failing_item_says_why_and_when_it_is_tried_again(qtbot, panel, store):
    panel.refresh()
    first = store.outbox.enqueue("grading", grading_json("356789104512345", "iPhone 14 Pro"))
    second = store.outbox.enqueue("grading", grading_json("C02XK1ZZJGH5", "MacBook Air", "fair"))
    store.outbox.mark_delivering(first)
    retry_at = datetime.now(UTC) + timedelta(minutes=5)
    store.outbox.mark_failed(first, "Odoo cannot be reached.", retry_at, failure="retry",
                             detail="URLError(ConnectionRefusedError(111, 'Connection refused'))")
    store.outbox.mark_delivering(second)
    store.outbox.mark_failed(second, "Odoo refused to create the lot: serial exists.", None, permanent=True)
    # no refresh() call: the store's change listener → bridge signal → the panel reloads itself
    qtbot.wait_until(lambda: [r[2] for r in rows_of(panel)] == [
        "Stopped: Odoo refused to create the lot: serial exists. Press Retry once it is fixed",
        f"Waiting: Odoo cannot be reached, next try at {local(retry_at)}"])
    assert panel.summary.text() == "2 failing" and panel.summary.property("state") == "error"
    panel.table.selectRow(1)
    assert panel.detail.text() == (f"Grading of 356789104512345 (iPhone 14 Pro, Good) waiting: Odoo cannot be "
                                   f"reached, next try at {local(retry_at)}")
    technical = panel.details.toPlainText()
    assert f"id: {first}" in technical and "ConnectionRefusedError" in technical and "attempts: 1" in technical
    assert panel.retry_button.isEnabled() and panel.copy_button.isEnabled()
    panel.copy_button.click()
    assert QGuiApplication.clipboard().text() == f"{panel.detail.text()}\n{technical}"


def test_a_delivered_grading_says_when_it_reached_odoo(qtbot, store, bridge):
    widget = ActivityPanel(store.outbox, bridge, store.executor, tz=UTC, debounce_ms=10)
    qtbot.add_widget(widget)
    item_id = store.outbox.enqueue("grading", grading_json("356938035643809", "iPhone 14 Pro"))
    store.outbox.mark_delivering(item_id)
    store.outbox.mark_delivered(item_id, {"lot_id": 7})
    widget.refresh()
    qtbot.wait_until(lambda: widget.model.rowCount() == 1)
    at = store.outbox.get(item_id).delivered_at
    time = datetime.fromisoformat(at).astimezone(UTC).strftime("%H:%M")
    assert widget.model.rows[0].sentence == (
        f"Grading of 356938035643809 (iPhone 14 Pro, Good) delivered to Odoo at {time}")
    assert widget.model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole) == widget.model.rows[0].sentence


def test_the_failing_count_signal_feeds_a_side_bar_badge(qtbot, panel, store):
    item_id = store.outbox.enqueue("grading", grading_json("356789104512345", "iPhone 14 Pro"))
    store.outbox.mark_delivering(item_id)
    with qtbot.wait_signal(panel.failing_count_did_change) as failing:
        store.outbox.mark_failed(item_id, "Odoo refused: no rights.", None, permanent=True)
    assert failing.args == [1] and panel.failing_count == 1 and panel.property("failing_count") == 1
    with qtbot.wait_signal(panel.failing_count_did_change) as cleared:
        store.outbox.retry_now(item_id)
    assert cleared.args == [0]


def test_a_set_aside_item_says_so_and_why(qtbot, panel, store, expected_logs):
    expected_logs.expect("grading_station.outbox", r"set aside")
    item_id = store.outbox.enqueue("grading", grading_json("356789104512345", "iPhone 14 Pro"))
    store.executor.call(lambda c: c.execute("UPDATE outbox SET payload = '{oops' WHERE id = ?", (item_id,)))
    store.outbox.due()
    panel.refresh()
    qtbot.wait_until(lambda: bool(rows_of(panel)) and rows_of(panel)[0][2].startswith("Set aside, not sent: its saved"))
    assert panel.failing_count == 1


def test_open_log_file_is_hidden_without_a_path(panel):
    assert panel.open_log_button.isHidden()


def test_open_log_file_opens_the_path_it_was_given(qtbot, store, bridge, tmp_path):
    opened = []
    log_file = tmp_path / "grading-station.log"
    widget = ActivityPanel(store.outbox, bridge, store.executor, log_file=log_file, open_url=opened.append)
    qtbot.add_widget(widget)
    assert not widget.open_log_button.isHidden()
    widget.open_log_button.click()
    assert opened == [QUrl.fromLocalFile(str(log_file))]


def test_retry_requeues_the_item_and_wakes_the_deliverer(qtbot, panel, store, woken):
    item_id = store.outbox.enqueue("grading", grading_json("356789104512345", "iPhone 14 Pro"))
    store.outbox.mark_delivering(item_id)
    store.outbox.mark_failed(item_id, "Odoo refused: no rights.", None, permanent=True)
    panel.refresh()
    qtbot.wait_until(lambda: panel.model.rowCount() == 1)
    assert not panel.retry_button.isEnabled()  # nothing selected yet
    panel.table.selectRow(0)
    panel.retry_button.click()
    qtbot.wait_until(lambda: rows_of(panel)[0][2] == "Waiting to be sent to Odoo")
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
