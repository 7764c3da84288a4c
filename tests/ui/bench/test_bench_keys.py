"""One key, one meaning on the checklist: N is N/A everywhere; a confirmation's "no" is X and, when it holds
the unit, asks first (X twice)."""

from __future__ import annotations

import pytest

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from grading_station.ui.bench.step_editors import ChecklistKeys
from grading_station.ui.kit.workspace import Workspace
from grading_station.ui.main_window import MainWindow

SERIAL = "353918111045122"  # demo unit in stock (iPhone 13, Excellent)


def _open_at(bench, step_id: str):
    bench.scan(SERIAL)
    bench.start_grading()  # a scan only looks the unit up
    bench.wait_page(bench.view.checklist)
    panel = bench.view.checklist
    while panel.current_step().id != step_id:
        bench.press(Qt.Key.Key_Down)
    return panel


def test_n_is_not_applicable_on_a_confirmation_too(make_bench):
    bench = make_bench()
    panel = _open_at(bench, "find_my")
    bench.press("N")
    assert panel.session.steps[[s.id for s in panel.session.steps].index("find_my")].answer == "na"
    assert panel.current_step().id == "google_frp"  # answered, moved on


def test_a_no_that_holds_the_unit_asks_first_then_x_again_confirms(make_bench):
    bench = make_bench()
    panel = _open_at(bench, "mdm")
    editor = panel.editors["confirm"]
    bench.press("X")
    assert panel.current_step().id == "mdm" and panel.current_step().answer == ""  # not answered yet
    assert editor.prompt.isVisible() and "WH/Hold" in editor.prompt.text()
    assert "device management" in editor.prompt.text()  # says why
    bench.press("X")
    index = [s.id for s in panel.session.steps].index("mdm")
    assert panel.session.steps[index].answer == "no"
    assert panel.current_step().id == "carrier_unlocked" and not editor.prompt.isVisible()


def test_another_answer_gives_up_the_pending_no(make_bench):
    bench = make_bench()
    panel = _open_at(bench, "mdm")
    bench.press(Qt.Key.Key_Backspace)  # Backspace is "no" as well
    assert panel.editors["confirm"].no_pending
    bench.press("Y")
    index = [s.id for s in panel.session.steps].index("mdm")
    assert panel.session.steps[index].answer == "yes"


def test_the_key_reminders_use_n_only_for_not_applicable():
    for kind in ("check", "confirm"):
        assert "N not applicable" in ChecklistKeys.hint(kind)
        assert "N no " not in ChecklistKeys.hint(kind) and "A not applicable" not in ChecklistKeys.hint(kind)
    assert "X no" in ChecklistKeys.hint("confirm")
    assert "not applicable" not in ChecklistKeys.hint("confirm", allow_na=False)


@pytest.mark.qt_log_ignore("does not support propagateSizeHints")
def test_back_on_the_bench_the_keys_go_to_the_current_step_not_the_last_serial(make_bench, qtbot):
    bench = make_bench()
    view = bench.view
    window = MainWindow("Bench 1")
    qtbot.add_widget(window)
    window.add_workspace(Workspace("bench", "Bench", view, "F1"))
    window.add_workspace(Workspace("settings", "Settings", QLineEdit(), "F4"))
    window.show()
    bench.activate()
    bench.scan(SERIAL)
    bench.start_grading()  # a scan only looks the unit up
    bench.wait_page(view.checklist)
    bench.press("P")
    window.show_workspace("settings")
    window.show_workspace("bench")
    assert bench.focused() is view.checklist
    bench.press(Qt.Key.Key_Return)  # unanswered step 2: the checklist says so, no lookup again
    assert "Answer this step first" in view.checklist.error.text()
    bench.press("P")
    assert view.checklist.index == 2
