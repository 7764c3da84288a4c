"""The Picking workspace by keyboard against both simulators: import → wrong grade refused → right unit →
validated → tracking → shipped, checked through Odoo's and Back Market's APIs."""

from __future__ import annotations

import pytest

from PySide6.QtCore import Qt

from grading_station.ui.picking.panel import PickingPanel

from tests.helpers.picking_world import FAIR_14, GOOD_14, NOW

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform, on show()


def _panel(qtbot, world, **options) -> PickingPanel:
    panel = PickingPanel(world.picking, world.importer, world.config, poll=False, clock=lambda: NOW, **options)
    qtbot.add_widget(panel)
    panel.resize(1366, 700)
    panel.show()
    return panel


def _loaded(qtbot, panel) -> None:
    """A board read after now (a load already in flight is followed by one more)."""
    before = panel.loads
    panel.refresh()
    qtbot.wait_until(lambda: panel.loads > before and not panel._loading, timeout=5000)


def test_pick_and_ship_by_keyboard(qtbot, picking_world):
    w = picking_world
    w.place(("PX7-128-OBS", "good", 1), order_id=77030, expected_dispatch="2026-12-04T12:00:00Z")
    order_id = w.place(("IP14P-256-PUR", "good", 1), order_id=77031, expected_dispatch="2026-12-01T12:00:00Z")
    panel = _panel(qtbot, w)
    with qtbot.wait_signal(panel.import_button.clicked):
        qtbot.mouseClick(panel.import_button, Qt.MouseButton.LeftButton)
    qtbot.wait_until(lambda: len(w.items("bm.order.import")) == 1, timeout=5000)
    w.deliver()
    _loaded(qtbot, panel)
    assert [o.order_id for o in panel.table.orders] == [77031, 77030]  # the late one first
    assert "late" in panel.table.item(0, 0).text()
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_Down)
    assert panel.table.selected_id() == 77030
    qtbot.keyClick(panel.table, Qt.Key.Key_Up)
    assert panel.table.selected_id() == 77031
    assert "354660111457621 (WH/Stock, this order)" in panel.detail.text()

    qtbot.keyClick(panel.table, Qt.Key.Key_Return)  # on to the scan field
    assert panel.scan_field.hasFocus()
    with qtbot.wait_signal(panel.verdict_did_show, timeout=5000) as refused:
        qtbot.keyClicks(panel.scan_field, FAIR_14)
        qtbot.keyClick(panel.scan_field, Qt.Key.Key_Return)
    assert not refused.args[0].accepted
    assert panel.verdict.text() == "Order 77031 needs iPhone 14 Pro 256GB Deep Purple Good; this unit is Fair."

    panel.scan_field.clear()
    with qtbot.wait_signal(panel.verdict_did_show, timeout=5000) as accepted:
        qtbot.keyClicks(panel.scan_field, GOOD_14)
        qtbot.keyClick(panel.scan_field, Qt.Key.Key_Return)
    assert accepted.args[0].accepted
    qtbot.wait_until(lambda: panel.ship_form.tracking.hasFocus(), timeout=5000)
    w.deliver()
    picking_id = panel.board.order(77031).picking_id
    done = w.odoo.execute("stock.move.line", "search_read", [["picking_id", "=", picking_id]],
                          fields=["state", "lot_id"])
    assert [(d["state"], d["lot_id"][1]) for d in done] == [("done", GOOD_14)]

    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_T)
    assert panel.ship_form.tracking.hasFocus()
    qtbot.keyClicks(panel.ship_form.tracking, "6A00011122233")
    with qtbot.wait_signal(panel.ship_did_queue, timeout=5000):
        qtbot.keyClick(panel.ship_form.tracking, Qt.Key.Key_Return)
    w.deliver()
    shipped = w.bm.orders.orders[order_id]
    assert shipped.lines[0].state == 3 and shipped.tracking_number == "6A00011122233"
    assert shipped.lines[0].imei == GOOD_14 and shipped.shipper == "Colissimo"
    _loaded(qtbot, panel)
    assert [o.order_id for o in panel.table.orders] == [77030]


def test_a_scan_of_a_picked_order_is_its_tracking_number(qtbot, picking_world):
    w = picking_world
    w.place(("IP14P-256-PUR", "good", 1), order_id=77032)
    w.importer.poll()
    w.deliver()
    panel = _panel(qtbot, w)
    _loaded(qtbot, panel)
    with qtbot.wait_signal(panel.verdict_did_show, timeout=5000):
        panel.on_scan(GOOD_14, "scanner")
    qtbot.wait_until(lambda: panel.current_order().picked, timeout=5000)
    panel.on_scan("1Z999AA10123456784", "scanner")
    assert panel.ship_form.tracking.text() == "1Z999AA10123456784"
    assert panel.ship_form.ship_button.isEnabled()


def test_the_delivery_note_is_offered(qtbot, picking_world):
    w = picking_world
    w.place(("IP14P-256-PUR", "good", 1), order_id=77033)
    w.importer.poll()
    w.deliver()
    opened = []
    panel = _panel(qtbot, w, open_url=opened.append)
    _loaded(qtbot, panel)
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_P)
    qtbot.wait_until(lambda: bool(opened), timeout=5000)
    assert opened[0].toString() == "https://example.com/delivery_note/77033.pdf"
