"""What the supervisor sees of the selected unit: the original grading beside where it is now, and the actions
already taken on it at this station."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from grading_station.domain.review import ReviewUnit

from grading_station.store.audit import AuditEntry

from grading_station.i18n import _


def _row(title: str, value: str) -> str:
    return f"<tr><td style='color:#546e7a;padding-right:12px'>{html.escape(title)}</td>" \
           f"<td><b>{html.escape(value or '—')}</b></td></tr>"


class UnitDetail(QWidget):
    """The selected unit's facts (grade and the suggested one, battery, technician, dates, hold reason)."""

    def __init__(self, grade_title: Callable[[str], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grade_title = grade_title
        self.facts = QLabel("")
        self.facts.setObjectName("reviewFacts")
        self.facts.setTextFormat(Qt.TextFormat.RichText)
        self.facts.setWordWrap(True)
        self.facts.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.history = QLabel("")
        self.history.setObjectName("reviewHistory")
        self.history.setWordWrap(True)
        self.history.setProperty("role", "hint")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.facts)
        layout.addWidget(self.history)
        self.show_unit(None)

    def show_unit(self, unit: ReviewUnit | None) -> None:
        if unit is None:
            self.facts.setText(_("Select a unit in a queue, or scan its serial."))
            self.history.setText("")
            return
        battery = unit.prop("battery_health")
        cycles = unit.prop("battery_cycles")
        rows = [
            _row(_("Serial"), unit.serial),
            _row(_("Model"), unit.model_name),
            _row(_("Grade"), self.grade_title(unit.grade)),
            _row(_("Suggested"), self.grade_title(unit.suggested_grade) if unit.suggested_grade else ""),
            _row(_("Override reason"), unit.prop("override_reason")),
            _row(_("Battery"), _("{health} % · {cycles} cycles").format(health=battery, cycles=cycles or "—")
                 if battery else ""),
            _row(_("Graded by"), _("{technician} at {station}").format(technician=unit.technician,
                                                                        station=unit.prop("station"))),
            _row(_("Tested"), unit.prop("tested_at")[:16]),
            _row(_("Intake"), unit.prop("intake_date")),
            _row(_("Checklist"), unit.prop("checklist")),
            _row(_("Location"), unit.location),
            _row(_("Hold reason"), unit.hold_reason),
            _row(_("Warranty until"), unit.prop("warranty_end")),
        ]
        self.facts.setText("<table>" + "".join(rows) + "</table>")

    def show_history(self, entries: Sequence[AuditEntry]) -> None:
        lines = [_("{at} · {actor}: {action} — {reason}").format(
            at=e.at[:16].replace("T", " "), actor=e.actor, action=e.action.removeprefix("review_"),
            reason=e.detail.get("reason", "")) for e in entries[:5]]
        self.history.setText("\n".join(lines))
