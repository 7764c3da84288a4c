"""What the bench refuses, and that a refusal changes nothing else: bad scans, readings, photos, overrides,
another bench's lease; and a half-done grading survives a killed app."""

from __future__ import annotations

import warnings

import pytest

from PySide6.QtCore import Qt

from tests.helpers.bench_rig import jpeg_bytes, lot_property, write_file
from tests.helpers.sync import gui_caught_up

SERIAL = "353918111045122"  # demo unit in stock (iPhone 13, Excellent)


@pytest.mark.parametrize(
    ("scanned", "reason"),
    [
        ("353918111045123", "wrong check digit"),  # IMEI with a bad Luhn digit
        ("0194253401483", "product barcode"),  # the model's EAN, not the unit's
        ("3539181110451220", "IMEISV"),
        ("X" * 70, "at most 64"),
        ("A" * 500, "500 characters long"),  # a scanner stuck on a long barcode
        ("HELLO!", "does not look like a serial"),
    ],
)
def test_bad_scan_is_refused_with_its_reason_and_nothing_changes(make_bench, qtbot, scanned, reason):
    bench = make_bench()
    view = bench.view
    calls = bench.sim.rpc_count()
    bench.scan(scanned)
    qtbot.waitUntil(lambda: reason in view.scan_bar.error_text(), timeout=2000)
    assert view.scan_bar.field.property("state") == "error"
    assert view.pages.currentWidget() is view.idle
    assert bench.sim.rpc_count() == calls  # not even a look-up
    qtbot.waitUntil(lambda: view.scan_bar.field.property("state") == "", timeout=2000)  # the flash ends
    assert reason in view.scan_bar.status.text()  # the reason stays readable


def test_junk_scan_during_a_checklist_leaves_it_alone(make_bench, qtbot):
    bench = make_bench()
    view = bench.view
    bench.scan(SERIAL)
    bench.start_grading()
    bench.press("P", "P")
    before = (view.checklist.index, view.checklist.session)
    bench.scan("0194253401483")  # scanned the box's EAN by mistake, while the checklist has the focus
    qtbot.waitUntil(lambda: "product barcode" in view.scan_bar.error_text(), timeout=2000)
    assert (view.checklist.index, view.checklist.session) == before  # no "F" for fail from the burst
    assert bench.focused() is view.checklist
    assert [s.answer for s in view.checklist.session.steps[:3]] == ["pass", "pass", ""]


def go_to_step(bench, kind: str) -> None:
    panel = bench.view.checklist
    while panel.current_step().kind != kind:
        bench.press(Qt.Key.Key_Down)


def test_battery_out_of_range_or_not_a_number_is_refused(make_bench, qtbot):
    bench = make_bench()
    view = bench.view
    bench.scan(SERIAL)
    bench.start_grading()
    go_to_step(bench, "battery")
    editor = view.checklist.editors["battery"]
    for health, reason in (("140", "140 % is not possible"), ("abc", "is not a number")):
        editor.health.clear()
        editor.cycles.setText("300")
        editor.health.setFocus()
        bench.type_text(health)
        bench.press(Qt.Key.Key_Return)
        qtbot.waitUntil(lambda r=reason: r in editor.error.text(), timeout=2000)
        assert view.checklist.current_step().kind == "battery"
        assert bench.focused() is editor.health
    assert bench.store.drafts.load("Bench 1").payload["session"]["battery"] is None
    editor.health.clear()
    bench.type_text("88")
    bench.press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.checklist.current_step().kind != "battery", timeout=2000)
    assert bench.store.drafts.load("Bench 1").payload["session"]["battery"] == {"health": 88, "cycles": 300,
                                                                              "source": "manual"}


def test_corrupt_or_non_image_photo_is_refused(make_bench, tmp_path, qtbot):
    bench = make_bench()
    view = bench.view
    bench.scan(SERIAL)
    bench.start_grading()
    go_to_step(bench, "photos")
    slot = view.checklist.current_step().slots[0][0]
    assert view.awaiting_photo_slot == slot
    bench.chosen_files.append(write_file(tmp_path, "front.jpg", jpeg_bytes()[:400]))  # truncated JPEG
    bench.press("1")
    qtbot.waitUntil(lambda: "not a readable photo" in view.checklist.error.text(), timeout=5000)
    assert "Refused" in view.checklist.photos.slots[slot].state.text()
    bench.chosen_files.append(write_file(tmp_path, "notes.txt", b"battery 88 %, screen ok"))
    bench.press("1")
    qtbot.waitUntil(lambda: "notes.txt is not a readable photo" in view.checklist.error.text(), timeout=5000)
    assert slot not in view.checklist.session.photos
    assert bench.store.drafts.load("Bench 1").payload["session"]["photos"] == {}

    view.fill_photo_slot(slot, jpeg_bytes())  # what the camera panel does
    qtbot.waitUntil(lambda: slot in view.checklist.session.photos, timeout=5000)
    assert view.checklist.photos.slots[slot].has_photo()
    assert view.awaiting_photo_slot == view.checklist.current_step().slots[1][0]


def test_drop_a_photo_file_on_its_tile(make_bench, tmp_path, qtbot):
    from PySide6.QtCore import QMimeData, QPoint, QPointF, QUrl
    from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
    from PySide6.QtWidgets import QApplication

    bench = make_bench()
    view = bench.view
    bench.scan(SERIAL)
    bench.start_grading()
    go_to_step(bench, "photos")
    slot = view.checklist.current_step().slots[1][0]
    tile = view.checklist.photos.slots[slot]
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(write_file(tmp_path, "back.jpg", jpeg_bytes()))])
    args = (Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    with warnings.catch_warnings():  # PySide6 flags the QPoint constructors of drag events as deprecated
        warnings.simplefilter("ignore", DeprecationWarning)
        enter, move = QDragEnterEvent(QPoint(10, 10), *args), QDragMoveEvent(QPoint(10, 10), *args)
    assert QApplication.sendEvent(tile, enter) and enter.isAccepted()
    QApplication.sendEvent(tile, move)
    QApplication.sendEvent(tile, QDropEvent(QPointF(10, 10), *args))
    qtbot.waitUntil(lambda: slot in view.checklist.session.photos, timeout=5000)
    assert tile.has_photo()


def test_override_needs_a_reason_kept_in_the_audit_log(make_bench, tmp_path, qtbot):
    bench = make_bench()
    view = bench.view
    bench.scan(SERIAL)
    bench.start_grading()
    bench.answer_checklist(tmp_path)
    bench.wait_page(view.grade)
    assert view.grade.suggestion.grade == "premium"
    bench.press("3")  # Good instead of the suggested Premium
    assert bench.focused() is view.grade.reason
    bench.press(Qt.Key.Key_Return)  # no reason given
    qtbot.waitUntil(lambda: "say why" in view.grade.error.text(), timeout=2000)
    assert bench.store.outbox.list_items() == []
    assert view.pages.currentWidget() is view.grade
    bench.type_text("hairline scratch on the camera ring")
    bench.press(Qt.Key.Key_Return)
    bench.wait_page(view.idle)
    assert "Good (override)" in view.idle.body.text()
    override = bench.store.audit.entries(subject=SERIAL, action="grade_override")
    assert override and override[0].detail["reason"] == "hairline scratch on the camera ring"
    assert override[0].detail["from"] == "premium" and override[0].detail["to"] == "good"


def test_a_unit_leased_by_another_bench_says_which_and_until_when(make_bench, qtbot):
    first = make_bench("Bench 1", base="b1")
    first.scan(SERIAL)
    first.start_grading()
    second = make_bench("Bench 2", base="b2")
    second.scan(SERIAL)
    second.wait_page(second.view.leased)
    assert "being graded at Bench 1 until" in second.view.leased.text()
    assert "Bench 1" in second.view.card.lease.text()
    assert "nothing was changed" in second.view.scan_bar.error_text()
    assert second.store.drafts.load("Bench 2") is None
    [lot] = second.lots(SERIAL)
    assert lot_property(lot, "lease_station") == "Bench 1"


def test_a_killed_app_resumes_the_half_done_grading(make_bench, tmp_path, qtbot):
    bench = make_bench("Bench 1", base="b1")
    view = bench.view
    bench.scan(SERIAL)
    bench.start_grading()
    bench.press("P", "F", "P")
    go_to_step(bench, "battery")
    bench.type_text("87")
    bench.press(Qt.Key.Key_Return)
    bench.type_text("333")
    bench.press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.checklist.current_step().kind != "battery", timeout=2000)
    go_to_step(bench, "photos")
    slot = view.checklist.current_step().slots[0][0]
    view.fill_photo_slot(slot, jpeg_bytes())
    qtbot.waitUntil(lambda: slot in view.checklist.session.photos, timeout=5000)
    bench.kill()

    again = make_bench("Bench 1", base="b1")  # the same computer restarted: same local store
    again.wait_page(again.view.checklist)
    panel = again.view.checklist
    assert again.view.card.model.text() == "iPhone 13 128GB Midnight"
    assert [s.answer for s in panel.session.steps[:3]] == ["pass", "fail", "pass"]
    assert (panel.session.battery_health, panel.session.battery_cycles) == (87, 333)
    assert slot in panel.session.photos
    assert panel.current_step().id == panel.session.steps[3].id  # the first step still open
    assert "Resumed" in again.view.scan_bar.status.text()
    qtbot.waitUntil(lambda: "Reserved for this bench" in again.view.card.lease.text(), timeout=5000)


def test_camera_panel_is_told_which_photo_slot_waits(make_bench, qtbot):
    bench = make_bench()
    view = bench.view
    announced: list[str] = []
    view.awaiting_photo_slot_did_change.connect(lambda slot, _title: announced.append(slot))
    bench.scan(SERIAL)
    bench.start_grading()
    go_to_step(bench, "photos")
    slots = [slot for slot, _, _ in view.checklist.current_step().slots]
    assert announced == [slots[0]] and view.awaiting_photo_slot == slots[0]
    view.fill_photo_slot(slots[0], jpeg_bytes())
    qtbot.waitUntil(lambda: announced[-1] == slots[1], timeout=5000)
    bench.press(Qt.Key.Key_Up)  # leaving the photo step: nothing to fill
    assert announced[-1] == "" and view.awaiting_photo_slot == ""
    bench.press(Qt.Key.Key_Down)
    assert announced[-1] == slots[1]


def test_a_long_grading_keeps_renewing_its_lease(make_bench, qtbot):
    bench = make_bench()
    view = bench.view
    bench.scan(SERIAL)
    bench.start_grading()
    writes = bench.sim.rpc_count("stock.lot", "write")
    view.flow._renew.setInterval(30)  # the default is every 10 minutes
    view.flow._renew.start()
    qtbot.waitUntil(lambda: bench.sim.rpc_count("stock.lot", "write") >= writes + 2, timeout=5000)
    assert "Reserved for this bench" in view.card.lease.text()
    view.flow._renew.stop()


def test_an_answer_arriving_after_shutdown_starts_nothing(make_bench, qtbot):
    bench = make_bench()
    bench.scan(SERIAL)
    qtbot.waitUntil(lambda: bench.view.flow.busy, timeout=2000)  # the look-up is in flight
    bench.kill()  # the app quits: the bench stops, then its pools (the look-up's answer is still queued)
    gui_caught_up(qtbot)  # its answer (queued before the pools closed) is delivered: no claim, no save scheduled
    assert bench.view.session is None
