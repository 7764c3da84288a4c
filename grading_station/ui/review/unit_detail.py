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
        self.claim = QLabel("")  # a care folder's claim, above the original grading
        self.claim.setObjectName("reviewClaim")
        self.claim.setTextFormat(Qt.TextFormat.RichText)
        self.claim.setWordWrap(True)
        self.claim.setVisible(False)
        self.history = QLabel("")
        self.history.setObjectName("reviewHistory")
        self.history.setWordWrap(True)
        self.history.setProperty("role", "hint")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.claim)
        layout.addWidget(self.facts)
        layout.addWidget(self.history)
        self.show_unit(None)

    def show_unit(self, unit: ReviewUnit | None) -> None:
        if unit is None:
            self.facts.setText(_("Select a unit in a queue, or scan its serial.") if not self.claim.text()
                               else "")
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

    def show_claim(self, dispute: object | None) -> None:
        """The care folder (and the return received in Odoo) beside the unit's grading: what the customer reports,
        chooses and declares, the grading it was sold with."""
        if dispute is None:
            self.claim.setText("")
            self.claim.setVisible(False)
            return
        folder, returned = dispute.folder, dispute.returned
        rows = []
        if folder is not None:
            rows += [
                _row(_("Care folder"), str(folder.id)),
                _row(_("Issues"), ", ".join(f"{issue} ({tag})" for issue, tag in folder.issues)),
                _row(_("Customer wants"), folder.resolution_choice),
                _row(_("Declared"), folder.declared_warranty_state),
                _row(_("Return label"), _("yes: the unit is coming back") if folder.return_coming else _("no")),
            ]
        if returned is not None:
            rows.append(_row(_("Returned"), _("{picking}, received {day}").format(
                picking=returned.picking, day=returned.received[:10])))
        rows.append(_row(_("Sold as"), self.grade_title(dispute.sold_grade)))
        if dispute.regraded:
            rows.append(_row(_("Note"), _("re-graded since the sale: now {grade}").format(
                grade=self.grade_title(dispute.unit.grade))))
        if dispute.problem:
            rows.append(_row(_("Problem"), dispute.problem))
        self.claim.setText("<table>" + "".join(rows) + "</table>")
        self.claim.setVisible(True)

    def show_history(self, entries: Sequence[AuditEntry]) -> None:
        lines = [_("{at} · {actor}: {action} — {reason}").format(
            at=e.at[:16].replace("T", " "), actor=e.actor, action=e.action.removeprefix("review_"),
            reason=e.detail.get("reason", "")) for e in entries[:5]]
        self.history.setText("\n".join(lines))
