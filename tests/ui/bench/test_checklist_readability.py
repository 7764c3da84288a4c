"""The step list as a new technician reads it: wide enough, sections shown, the current step in view, and a
mark that says what was answered (a zone's condition, N/A) rather than a green tick for everything."""

from __future__ import annotations

import pytest

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from grading_station.ui.bench.checklist_panel import STEP_ROW
from grading_station.ui.bench.theme import MUTED, PASS

SERIAL = "353918111045122"  # demo unit in stock (iPhone 13, Excellent)
pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _open(bench, width: int = 1500, height: int = 900):
    view = bench.view
    view.resize(width, height)
    bench.scan(SERIAL)
    bench.start_grading()  # a scan only looks the unit up
    bench.wait_page(view.checklist)
    return view.checklist


def _item_of(panel, step_id: str):
    index = [s.id for s in panel.session.steps].index(step_id)
    return next(panel.steps.item(r) for r in range(panel.steps.count()) if panel.steps.item(r).data(STEP_ROW) == index)


def test_the_step_list_grows_with_the_screen_and_shows_the_sections(make_bench):
    bench = make_bench()
    panel = _open(bench)
    assert panel.steps.width() >= 300  # was a fixed 240 px whatever the width
    headings = [panel.steps.item(r) for r in range(panel.steps.count()) if panel.steps.item(r).data(STEP_ROW) is None]
    assert [h.text() for h in headings][:2] == ["START-UP", "DISPLAY & TOUCH"]
    assert all(not h.flags() & Qt.ItemFlag.ItemIsSelectable for h in headings)
    bench.press(Qt.Key.Key_Down)
    assert panel.steps.currentItem().data(STEP_ROW) == 1 == panel.index


def test_the_current_step_is_kept_in_the_middle_of_the_list(make_bench):
    bench = make_bench()
    panel = _open(bench)
    for _ in range(15):
        bench.press(Qt.Key.Key_Down)
    rect = panel.steps.visualItemRect(panel.steps.currentItem())
    height = panel.steps.viewport().height()
    assert height * 0.25 < rect.center().y() < height * 0.75


def test_marks_say_what_was_answered(make_bench):
    bench = make_bench()
    panel = _open(bench)
    zone = next(s for s in panel.session.steps if s.id.startswith("cosmetic."))
    while panel.current_step().id != zone.id:
        bench.press(Qt.Key.Key_Down)
    bench.press("3")  # visible scratches: not a pass
    item = _item_of(panel, zone.id)
    assert zone.options[2][1] in item.text() and item.foreground().color() != QColor(PASS)
    na_step = next(s for s in panel.session.steps if s.kind == "check" and s.allow_na)
    while panel.current_step().id != na_step.id:
        bench.press(Qt.Key.Key_Up)
    bench.press("N")
    item = _item_of(panel, na_step.id)
    assert item.text().startswith("–") and "N/A" in item.text() and item.foreground().color() == QColor(MUTED)
