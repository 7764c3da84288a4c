"""The grade step offers only the grades the commit accepts, and an upgrade needs a supervisor."""

from __future__ import annotations

import pytest

from PySide6.QtCore import Qt

from grading_station.services.bench_models import GradeAdvice

from grading_station.ui.bench.grade_panel import GradePanel

CHOICES = (("premium", "Premium"), ("excellent", "Excellent"), ("good", "Good"), ("fair", "Fair"),
           ("repair", "Repair"), ("parts", "Parts/Recycle"))
SELLABLE = ("premium", "excellent", "good", "fair")
pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _panel(qtbot, grade: str) -> GradePanel:
    panel = GradePanel()
    qtbot.add_widget(panel)
    panel.show()
    qtbot.waitExposed(panel)
    panel.activateWindow()
    qtbot.waitUntil(panel.isActiveWindow)
    panel.show_suggestion(GradeAdvice(grade, ("speakers: failed → Repair",), CHOICES, sellable=SELLABLE))
    return panel


def test_grades_the_checklist_rules_out_are_greyed_out_and_a_key_says_why(qtbot):
    panel = _panel(qtbot, "repair")
    enabled = {key: button.isEnabled() for key, button in panel.buttons}
    assert enabled == {"premium": False, "excellent": False, "good": False, "fair": False,
                       "repair": True, "parts": True}
    qtbot.keyClick(panel, Qt.Key.Key_2)
    assert panel.grade == "repair" and "Not possible" in panel.error.text() and "Repair" in panel.error.text()
    qtbot.keyClick(panel, Qt.Key.Key_6)
    assert panel.grade == "parts" and panel.error.text() == ""


def test_an_upgrade_needs_the_supervisors_name_and_confirmation(qtbot):
    panel = _panel(qtbot, "good")
    commits = []
    panel.commit_did_request.connect(lambda grade, reason: commits.append((grade, reason)))
    qtbot.keyClick(panel, Qt.Key.Key_1)  # Premium, above the suggested Good
    assert panel.upgrade_box.isVisible() and panel.reason.hasFocus()
    qtbot.keyClicks(panel.reason, "battery replaced, cosmetic re-checked")
    qtbot.keyClick(panel.reason, Qt.Key.Key_Return)
    assert commits == [] and panel.supervisor.hasFocus()
    qtbot.keyClicks(panel.supervisor, "Dana")
    qtbot.keyClick(panel.supervisor, Qt.Key.Key_Return)
    assert commits == [] and "confirm" in panel.error.text() and panel.approved.hasFocus()
    qtbot.keyClick(panel.approved, Qt.Key.Key_Space)
    qtbot.keyClick(panel.approved, Qt.Key.Key_Return)
    assert commits == [("premium", "battery replaced, cosmetic re-checked (upgrade confirmed by supervisor Dana)")]


def test_a_downgrade_needs_no_supervisor(qtbot):
    panel = _panel(qtbot, "good")
    commits = []
    panel.commit_did_request.connect(lambda grade, reason: commits.append((grade, reason)))
    qtbot.keyClick(panel, Qt.Key.Key_4)
    assert not panel.upgrade_box.isVisible()
    qtbot.keyClicks(panel.reason, "scratch on the camera lens")
    qtbot.keyClick(panel.reason, Qt.Key.Key_Return)
    assert commits == [("fair", "scratch on the camera lens")]
