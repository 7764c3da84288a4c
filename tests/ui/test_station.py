"""The composition root as the app runs it (`--demo`, in-process): workspaces, Odoo connection, a scan."""

from __future__ import annotations

import pytest

from PySide6.QtWidgets import QApplication

from grading_station import app


@pytest.fixture
def station(demo_station):
    return demo_station


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_demo_station_connects_and_a_scanned_unit_shows_on_the_bench(station, qtbot):
    qtbot.waitUntil(lambda: "Odoo 18" in station.window.connection_label.text(), timeout=15000)
    assert [station.window.workspace_widget(key) for key in station.window.workspace_keys()] == [
        station.bench, station.listing_slot, station.activity, station.settings, station.picking_slot,
        station.review_slot]
    qtbot.waitUntil(lambda: station.listing_slot.widget is station.listing is not None, timeout=10000)
    station.router.submit("353918111045122", "scanner")  # a demo unit in WH/Stock
    qtbot.waitUntil(lambda: "353918111045122" in station.bench.card.serial.text(), timeout=10000)
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
