"""The composition root as the app runs it (`--demo`, in-process): workspaces, Odoo connection, a scan, and a scan
arriving the moment the bench is ready, before the workspaces deferred past ready have loaded."""

from __future__ import annotations

import logging

import pytest

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from grading_station import app, log

DEMO_UNIT = "353918111045122"  # a demo unit in WH/Stock


@pytest.fixture
def station(demo_station):
    return demo_station


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_demo_station_connects_and_a_scanned_unit_shows_on_the_bench(station, qtbot):
    qtbot.waitUntil(lambda: "Odoo 18" in station.window.connection_label.text(), timeout=15000)
    assert [station.window.workspace_widget(key) for key in station.window.workspace_keys()] == [
        station.bench, station.listing_slot, station.activity_slot, station.settings, station.picking_slot,
        station.review_slot]
    qtbot.waitUntil(lambda: station.listing_slot.widget is station.listing is not None, timeout=10000)
    assert station.activity_slot.widget is station.activity is not None
    station.router.submit(DEMO_UNIT, "scanner")
    qtbot.waitUntil(lambda: DEMO_UNIT in station.bench.card.serial.text(), timeout=10000)
    assert "WH/Stock" in station.bench.card.details.text()
    station.window.show_workspace("activity")
    assert station.window.current_workspace() == "activity"
    QApplication.processEvents()


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_saved_odoo_settings_apply_without_a_restart(station, qtbot, expected_logs):
    expected_logs.expect("grading_station", r"Odoo|odoo|login|password")
    qtbot.waitUntil(lambda: "Odoo 18" in station.window.connection_label.text(), timeout=15000)
    station.core.secrets.set(app.Secret.ODOO_PASSWORD, "wrong-password")
    station.settings.settings_did_save.emit()
    qtbot.waitUntil(lambda: "not connected" in station.window.connection_label.text(), timeout=15000)
    assert "password" in station.window.message_bar.current.text.lower()


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_demo_station_picking_workspace_imports_the_demo_orders(station, qtbot):
    qtbot.waitUntil(lambda: station.picking is not None, timeout=15000)
    qtbot.waitUntil(lambda: station.core.demo.backmarket is not None, timeout=15000)
    station.window.show_workspace("picking")
    station.picking.poll()
    qtbot.waitUntil(lambda: len(station.picking.board.orders) == 3, timeout=20000)  # the 4th: no free unit
    assert station.picking.board.orders[0].late(station.picking.clock())
    qtbot.waitUntil(lambda: "no unit of" in station.picking.unserved_label.text(), timeout=10000)


class _AtReady(logging.Handler):
    """Calls `then()` on the "ready" log event, at the very moment the station reports it."""

    def __init__(self, then) -> None:
        super().__init__()
        self.then = then

    def emit(self, record: logging.LogRecord) -> None:
        if getattr(record, "event", "") == "ready":
            self.then()


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_a_scan_the_moment_the_bench_is_ready_is_shown_before_the_rest_has_loaded(station, qtbot):
    at_scan = {}

    def scan() -> None:  # the workspaces deferred past ready are not there yet: the bench alone serves it
        at_scan.update(activity=station.activity, review=station.review, listing=station.listing,
                       camera=station.camera)
        station.router.submit(DEMO_UNIT, "scanner")

    handler = _AtReady(scan)
    log.app.addHandler(handler)
    try:
        qtbot.waitUntil(lambda: bool(at_scan), timeout=15000)
    finally:
        log.app.removeHandler(handler)
    assert at_scan == {"activity": None, "review": None, "listing": None, "camera": None}
    qtbot.waitUntil(lambda: DEMO_UNIT in station.bench.card.serial.text(), timeout=10000)
    assert "WH/Stock" in station.bench.card.details.text()


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_once_the_rest_has_loaded_a_scanner_typing_into_the_window_still_reaches_the_bench(station, qtbot):
    qtbot.waitUntil(lambda: None not in (station.activity, station.review, station.listing, station.picking,
                                         station.camera), timeout=20000)
    QApplication.processEvents()
    # A keyboard-wedge scanner types into the focused widget of the active window: loading must take neither.
    assert QApplication.activeWindow() is station.window
    assert QApplication.focusWidget() is station.bench.scan_bar.field
    QTest.keyClicks(station.bench.scan_bar.field, DEMO_UNIT)
    QTest.keyClick(station.bench.scan_bar.field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: DEMO_UNIT in station.bench.card.serial.text(), timeout=10000)
