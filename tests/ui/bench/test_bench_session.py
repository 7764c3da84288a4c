"""The open grading as the technician handles it: a remark on a step (M), dropping it (Esc twice), a stray
scan of another unit, a scanner ending its burst with Tab."""

from __future__ import annotations

import base64
import json

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from tests.helpers.bench_rig import lot_property

SERIAL = "353918111045122"  # demo unit in stock (iPhone 13, Excellent)
OTHER = "354660111457621"  # another demo unit in stock
REMARK = "speaker crackles at full volume"


def draft(bench) -> dict:
    return bench.store.drafts.load("Bench 1").payload


def test_a_remark_on_a_step_lands_in_the_report_and_the_odoo_summary(make_bench, tmp_path, qtbot):
    bench = make_bench()
    view = bench.view
    panel = view.checklist
    bench.scan(SERIAL)
    bench.start_grading()
    bench.press("M")
    assert bench.focused() is panel.note.field
    bench.type_text(REMARK)
    bench.press(Qt.Key.Key_Return)
    assert bench.focused() is panel and panel.index == 0  # Enter saved the remark, it did not move on
    assert REMARK in panel.note.text.text() and panel.steps.currentItem().text().endswith("✎")
    qtbot.waitUntil(lambda: draft(bench)["session"]["notes"] == {"power_on": REMARK}, timeout=2000)

    bench.press("M")
    bench.type_text("never mind")
    bench.press(Qt.Key.Key_Escape)  # gives up the edit; not the first Esc of a discard
    assert bench.focused() is panel and not panel.discard_pending
    assert REMARK in panel.note.text.text()

    bench.answer_checklist(tmp_path)
    bench.wait_page(view.grade)
    bench.press(Qt.Key.Key_Return)
    bench.wait_page(view.idle)
    assert bench.deliver() == 1
    qtbot.waitUntil(lambda: "Delivered" in view.idle.delivery.text(), timeout=5000)
    [lot] = [lot for lot in bench.lots(SERIAL) if lot["product_qty"] > 0]
    files = bench.admin.call(
        "ir.attachment",
        "search_read",
        [[["res_model", "=", "stock.lot"], ["res_id", "=", lot["id"]], ["name", "=like", "test-report-%"]]],
        {"fields": ["datas"]},
    )
    report = json.loads(base64.b64decode(files[-1]["datas"]))
    assert report["notes"] == {"power_on": REMARK}
    bodies = bench.admin.call(
        "mail.message",
        "search_read",
        [[["model", "=", "stock.lot"], ["res_id", "=", lot["id"]]]],
        {"fields": ["body"]},
    )
    assert any(REMARK in (b["body"] or "") for b in bodies)


def test_esc_asks_then_esc_again_discards_and_gives_the_lease_back(make_bench, qtbot):
    bench = make_bench()
    view = bench.view
    panel = view.checklist
    bench.scan(SERIAL)
    bench.start_grading()
    qtbot.waitUntil(lambda: "Reserved for this bench" in view.card.lease.text(), timeout=5000)
    bench.press("P")
    bench.press(Qt.Key.Key_Escape)
    assert panel.discard_pending and "Discard the grading of " + SERIAL in panel.error.text()
    bench.press("P")  # any other key keeps the grading, and does what it says
    assert not panel.discard_pending and panel.error.text() == ""
    assert [s.answer for s in panel.session.steps[:2]] == ["pass", "pass"]

    while panel.current_step().kind != "battery":
        bench.press(Qt.Key.Key_Down)
    assert bench.focused() is panel.editors["battery"].health
    bench.press(Qt.Key.Key_Escape)  # from inside the battery fields too
    assert panel.discard_pending

    bench.press(Qt.Key.Key_Escape)
    bench.wait_page(view.idle)
    assert view.session is None and bench.focused() is view.scan_bar.field
    assert "Discarded the grading of " + SERIAL in view.scan_bar.status.text()
    qtbot.waitUntil(lambda: bench.store.drafts.load("Bench 1") is None, timeout=2000)
    qtbot.waitUntil(
        lambda: lot_property(bench.lots(SERIAL)[0], "lease_station") in (False, "", None), timeout=5000
    )
    assert bench.store.outbox.list_items() == []  # nothing for Odoo

    bench.scan(SERIAL)  # starting over: a fresh checklist, not the discarded one
    bench.start_grading()
    assert not view.session.resumed and all(s.answer == "" for s in panel.session.steps[:2])


def test_a_scan_of_another_unit_mid_grading_is_refused_and_keeps_the_first(make_bench, qtbot):
    bench = make_bench()
    view = bench.view
    bench.scan(SERIAL)
    bench.start_grading()
    bench.press("P", "F")
    qtbot.waitUntil(lambda: draft(bench)["session"]["answers"].get("parts_genuine") == "fail", timeout=2000)
    calls = bench.sim.rpc_count()
    bench.scan(OTHER)
    qtbot.waitUntil(lambda: "still open" in view.scan_bar.error_text(), timeout=2000)
    assert "Esc twice" in view.scan_bar.error_text() and OTHER in view.scan_bar.error_text()
    assert bench.sim.rpc_count() == calls  # not looked up, its lease not taken
    assert view.pages.currentWidget() is view.checklist and view.session.serial == SERIAL
    assert bench.focused() is view.checklist
    assert draft(bench)["serial"] == SERIAL
    assert draft(bench)["session"]["answers"] == {"power_on": "pass", "parts_genuine": "fail"}


def test_a_scanner_ending_its_burst_with_tab_opens_the_unit(make_bench, qtbot):
    bench = make_bench()
    view = bench.view
    target = bench.focused()
    qtbot.keyClicks(target, SERIAL)
    qtbot.keyClick(target, Qt.Key.Key_Tab)
    bench.start_grading()
    assert view.session.serial == SERIAL
    assert view.scan_bar.field.text() == SERIAL


def test_a_scan_of_another_unit_before_any_answer_switches_to_it(make_bench, qtbot):
    bench = make_bench()
    view = bench.view
    bench.scan(SERIAL)  # the wrong unit picked up: nothing done on it yet
    bench.start_grading()
    qtbot.waitUntil(lambda: "Reserved for this bench" in view.card.lease.text(), timeout=5000)
    bench.scan(OTHER)
    bench.wait_page(view.lookup)  # the untouched grading of the wrong unit is dropped, OTHER looked up
    bench.start_grading()
    qtbot.waitUntil(lambda: view.session is not None and view.session.serial == OTHER, timeout=5000)
    assert view.pages.currentWidget() is view.checklist and "iPhone 14 Pro" in view.card.model.text()
    qtbot.waitUntil(lambda: draft(bench)["serial"] == OTHER, timeout=2000)
    qtbot.waitUntil(
        lambda: lot_property(bench.lots(SERIAL)[0], "lease_station") in (False, "", None), timeout=5000
    )


def raw_burst(bench, text: str) -> None:
    """A scanner sending characters a test keyboard cannot type (control, non-ASCII), ended by Enter."""
    target = bench.focused()
    for char in text + "\r":
        if char == "\r":
            key = Qt.Key.Key_Return
        elif char == "\x1b":
            key = Qt.Key.Key_Escape
        elif char.isascii() and char.isalnum():
            key = Qt.Key(ord(char.upper()))
        else:
            key = Qt.Key.Key_unknown
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(target, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, char))


def test_junk_bursts_with_control_or_non_ascii_characters_change_nothing(make_bench, qtbot):
    bench = make_bench()
    view = bench.view
    panel = view.checklist
    bench.scan(SERIAL)
    bench.start_grading()
    bench.press("P")
    before = (panel.index, panel.session)
    raw_burst(bench, "\x1b35391811\x1b1045122")  # Esc-laden junk: never two Esc for the discard
    qtbot.waitUntil(lambda: "control character" in view.scan_bar.error_text(), timeout=2000)
    assert not panel.discard_pending and panel.error.text() == ""
    raw_burst(bench, "é&\"'(-è_çà")  # digits from a scanner set to another keyboard layout
    qtbot.waitUntil(lambda: "keyboard layout" in view.scan_bar.error_text(), timeout=2000)
    bench.press(Qt.Key.Key_Escape)  # the technician's own Esc still only asks
    assert panel.discard_pending
    bench.press(Qt.Key.Key_Down)
    assert view.session.serial == SERIAL and view.pages.currentWidget() is panel
    assert (panel.session, panel.index) == (before[1], before[0] + 1)
