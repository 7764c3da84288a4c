"""Each bench message belongs to a state and goes with it: on the checklist, the scan bar, the grade panel
and the bench's banner messages."""

from __future__ import annotations

from PySide6.QtCore import Qt

from grading_station.ui import messages as ui_messages

from tests.helpers.bench_rig import jpeg_bytes, write_file

SERIAL = "353918111045122"  # demo unit in stock (iPhone 13, Excellent)


def go_to_step(bench, kind: str) -> None:
    while bench.view.checklist.current_step().kind != kind:
        bench.press(Qt.Key.Key_Down)


def test_photos_still_missing_goes_once_every_photo_is_in(make_bench, tmp_path, qtbot):
    bench = make_bench()
    panel = bench.view.checklist
    bench.scan(SERIAL)
    bench.start_grading()
    go_to_step(bench, "photos")
    slots = [slot for slot, _, needed in panel.current_step().slots if needed]
    for number, slot in enumerate(slots[:-1], start=1):
        bench.chosen_files.append(write_file(tmp_path, f"{slot}.jpg", jpeg_bytes((number * 30, 90, 120))))
        bench.press(str(number))
        qtbot.waitUntil(lambda s=slot: s in panel.session.photos, timeout=5000)
    bench.press(Qt.Key.Key_Return)
    assert "Photos still missing" in panel.error.text()
    bench.chosen_files.append(write_file(tmp_path, "last.jpg", jpeg_bytes()))
    bench.press(str(len(slots)))
    qtbot.waitUntil(lambda: slots[-1] in panel.session.photos, timeout=5000)
    assert panel.error.text() == ""  # the cause is gone, so is the message


def test_a_rejected_scan_during_a_grading_goes_with_the_next_answer(make_bench, qtbot):
    bench = make_bench()
    view = bench.view
    bench.scan(SERIAL)
    bench.start_grading()
    bench.scan("0194253401483")  # the box's EAN read by mistake
    qtbot.waitUntil(lambda: "product barcode" in view.scan_bar.error_text(), timeout=2000)
    bench.press("P")
    assert view.scan_bar.error_text() == ""
    assert "grading starts" in view.scan_bar.status.text()  # the line the error had replaced


def test_the_bench_banner_message_is_taken_back_when_a_grading_starts(make_bench, messages, qtbot):
    bench = make_bench()
    bench.view.fill_photo_slot("front", jpeg_bytes())  # a camera still with no unit: the banner says so
    assert messages.warnings == ["Scan a unit before taking photos."]
    bench.scan(SERIAL)
    bench.start_grading()
    cleared = [m for m in messages.posted if m.text == "" and m.replace == "bench"]
    assert cleared, messages.posted


def test_clear_drops_a_buffered_message_and_tells_the_sink():
    ui_messages.set_sink(None)
    try:
        ui_messages.error("Cannot reach Odoo", replace="odoo")
        ui_messages.warning("Scan a unit first", replace="bench")
        ui_messages.clear("bench")
        assert [m.text for m in ui_messages.pending()] == ["Cannot reach Odoo"]
        seen = []
        ui_messages.set_sink(seen.append)
        ui_messages.clear("odoo")
        assert seen[-1] == ui_messages.Message(ui_messages.Level.INFO, "", "odoo")
    finally:
        ui_messages.set_sink(None)
        ui_messages.clear("odoo")
