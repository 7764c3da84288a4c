"""The camera docked beside a real bench (Odoo simulator, local store): a clip of the demo unit's box label
puts that unit on screen; the camera fills the photo slots; the photos reach Odoo through the outbox."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from PySide6.QtCore import Qt

from grading_station.hardware.demo_clip import demo_imei
from grading_station.hardware.virtual_camera import VirtualCamera

from grading_station.ui.camera import CameraPanel
from grading_station.ui.kit.workspace import Workspace
from grading_station.ui.main_window import MainWindow

from tests.helpers.bench_rig import lot_property

IMEI = demo_imei()  # iPhone 13 128GB Midnight in the demo data


def dock_camera(bench, camera_config, source) -> CameraPanel:
    """What app.py does: the panel shares the bench's router and feeds its photo slots."""
    panel = CameraPanel(camera_config, bench.router, lambda: source, retry_s=0.05)
    panel.photo_did_capture.connect(bench.view.fill_photo_slot)
    bench.view.awaiting_photo_slot_did_change.connect(panel.set_awaiting_slot)
    bench.qtbot.add_widget(panel)
    panel.resize(520, 700)
    panel.show()
    bench.view.activateWindow()  # the technician's keyboard stays on the bench
    return panel


def test_camera_scan_puts_the_unit_on_screen_and_photos_reach_odoo(make_bench, camera_config, demo_clip,
                                                                     qtbot):
    bench = make_bench()
    view = bench.view
    panel = dock_camera(bench, camera_config, VirtualCamera(demo_clip, fps=20, loop=False))
    try:
        bench.wait_page(view.lookup, timeout=8000)  # a scan only looks the unit up
        bench.start_grading()
        assert view.card.serial.text() == IMEI
        assert view.card.model.text() == "iPhone 13 128GB Midnight"
        assert panel.last_scan.text() == f"Scanned IMEI {IMEI}"

        checklist = view.checklist
        photos_at = next(i for i, s in enumerate(checklist.session.steps) if s.kind == "photos")
        checklist.move(photos_at - checklist.index)
        slots = [slot for slot, _, _ in checklist.current_step().slots]
        qtbot.waitUntil(lambda: panel.awaiting_slot == slots[0], timeout=2000)
        for slot in slots:  # one click per slot: the bench moves on to the next empty one
            assert panel.awaiting_slot == slot
            panel.photos.take.click()
            qtbot.waitUntil(lambda s=slot: s in checklist.session.photos, timeout=5000)
            qtbot.waitUntil(lambda s=slot: panel.awaiting_slot != s, timeout=5000)
        assert panel.awaiting_slot == "" and not panel.photos.take.isEnabled()
        assert all(checklist.photos.slots[s].has_photo() for s in slots)  # thumbnails in the bench
        stored = sorted(bench.paths.photo_dir.glob("*.jpg"))  # kept by the local photo store
        frame = cv2.imdecode(np.frombuffer(stored[0].read_bytes(), np.uint8), cv2.IMREAD_COLOR)
        assert frame.shape[:2] == (540, 960)  # the camera's full frame
    finally:
        panel.stop()

    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    checklist.setFocus()
    bench.press("G")  # grade now: the unit is held (checklist incomplete) but the photos go with it
    bench.wait_page(view.grade)
    bench.press(Qt.Key.Key_Return)
    bench.wait_page(view.idle)
    assert bench.deliver() == 1
    qtbot.waitUntil(lambda: "Delivered" in view.idle.delivery.text(), timeout=5000)
    live = [lot for lot in bench.lots(IMEI) if lot["product_qty"] > 0]
    attachments = bench.admin.call("ir.attachment", "search_read",
                                   [[["res_model", "=", "stock.lot"], ["res_id", "=", live[0]["id"]]]],
                                   {"fields": ["name"]})
    names = [a["name"] for a in attachments]
    assert sum(name.endswith(".jpg") for name in names) == len(slots)
    assert lot_property(live[0], "outcome") in ("hold", "stock", "repair")


@pytest.mark.qt_log_ignore("does not support propagateSizeHints")
def test_at_1366x768_the_card_keeps_its_history_and_the_photo_strip_fits_after_a_photo(
        make_bench, camera_config, demo_clip, qtbot):
    bench = make_bench()
    view = bench.view
    window = MainWindow("Bench 1")
    qtbot.add_widget(window)
    window.add_workspace(Workspace("bench", "Bench", view, "F1"))
    panel = CameraPanel(camera_config, bench.router, lambda: VirtualCamera(demo_clip, fps=20, loop=True),
                        retry_s=0.05)
    panel.photo_did_capture.connect(view.fill_photo_slot)
    view.awaiting_photo_slot_did_change.connect(panel.set_awaiting_slot)
    view.add_side_panel(panel)  # what app.py does
    panel.set_compact(True)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    try:
        bench.wait_page(view.lookup, timeout=8000)  # the camera read the box label: a look-up
        bench.start_grading()
        bench.wait_page(view.checklist, timeout=8000)
        checklist = view.checklist
        photos_at = next(i for i, s in enumerate(checklist.session.steps) if s.kind == "photos")
        checklist.move(photos_at - checklist.index)
        slot = checklist.current_step().slots[0][0]
        qtbot.waitUntil(lambda: panel.awaiting_slot == slot, timeout=2000)
        qtbot.waitUntil(lambda: panel.last_scan.text() != "", timeout=5000)
        panel.take_photo()
        qtbot.waitUntil(lambda: slot in checklist.session.photos, timeout=5000)
        qtbot.wait(50)
        assert (window.width(), window.height()) == (1366, 768)
        assert view.card.history.height() >= 3 * view.card.history.fontMetrics().height()  # was one line
        for button in (panel.photos.take, panel.photos.retake):
            bottom = button.mapTo(view, button.rect().bottomLeft()).y()
            assert button.isVisible() and bottom <= view.height(), button.text()
            assert panel.rect().contains(button.mapTo(panel, button.rect().bottomRight())), button.text()
    finally:
        panel.stop()
