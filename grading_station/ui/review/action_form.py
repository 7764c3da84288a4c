"""The actions on the selected unit: who (the supervisor's name, kept between actions), why, and what."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from grading_station.domain.review import ReviewUnit

from grading_station.ui.widgets import theme

from grading_station.i18n import N_, _

REINSPECT, REGRADE, REPAIR, PARTS, RELEASE = "reinspect", "regrade", "repair", "parts", "release"
REPLY, RETURN = "reply", "return"
_BUTTONS = (
    (REINSPECT, N_("Re-inspect"), N_("Show the unit at the bench: its checklist opens with the earlier answers")),
    (REGRADE, N_("Re-grade"), N_("Move the unit to the grade chosen above (relisted at that grade)")),
    (REPAIR, N_("To repair"), N_("Open a repair order on the unit in Odoo and move it to WH/Repair")),
    (PARTS, N_("Parts / recycle"), N_("Take the unit off sale for parts or recycling")),
    (RELEASE, N_("Release"), N_("Put a held unit whose record is complete back in sellable stock")),
    (RETURN, N_("Return in"), N_("Book the return of the unit's delivery in Odoo, into WH/Hold")),
    (REPLY, N_("Reply"), N_("Send the reason above as the message, with the unit's test report and "
                                           "photos, on the selected care folder")),
)


class ActionForm(QWidget):
    """Signal `action_did_request(kind, grade)`: a button was pressed (the panel checks and runs it);
    re-inspect needs no reason, every other action a name and a reason (checked by the service)."""

    action_did_request = Signal(str, str)

    def __init__(self, grades: Sequence[tuple[str, str]], supervisor: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.supervisor = QLineEdit(supervisor)
        self.supervisor.setObjectName("reviewSupervisor")
        self.supervisor.setPlaceholderText(_("Your name"))
        self.reason = QLineEdit()
        self.reason.setObjectName("reviewReason")
        self.reason.setPlaceholderText(_("Why (audit log and the unit's chatter in Odoo)"))
        self.grade = QComboBox()
        self.grade.setObjectName("reviewGrade")
        for key, title in grades:
            self.grade.addItem(title, key)
        form = QFormLayout()
        form.addRow(_("Supervisor"), self.supervisor)
        form.addRow(_("Reason"), self.reason)
        form.addRow(_("New grade"), self.grade)
        self.buttons: dict[str, QPushButton] = {}
        grid = QGridLayout()
        for number, (kind, title, tip) in enumerate(_BUTTONS):
            button = QPushButton(_(title))
            button.setObjectName(f"review_{kind}")
            button.setToolTip(_(tip))
            button.clicked.connect(lambda _checked=False, k=kind: self._request(k))
            self.buttons[kind] = button
            grid.addWidget(button, number // 3, number % 3)
        self.status = QLabel("")
        self.status.setObjectName("reviewActionStatus")
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addLayout(grid)
        layout.addWidget(self.status)
        self.show_unit(None)

    def show_unit(self, unit: ReviewUnit | None, *, dispute: bool = False) -> None:
        """Enable what applies to `unit`: release only for a held unit, the stock actions for a unit on hand,
        the reply for a care folder's unit."""
        for kind, button in self.buttons.items():
            if kind == REPLY:
                button.setEnabled(dispute and unit is not None)
            elif kind == RETURN:  # a sold unit (not on hand) of a care folder
                button.setEnabled(dispute and unit is not None and not unit.place)
            elif kind == RELEASE:
                button.setEnabled(unit is not None and unit.place == "hold")
            else:
                button.setEnabled(unit is not None and bool(unit.place))
        if unit is not None:
            index = self.grade.findData(unit.grade)
            if index >= 0:
                self.grade.setCurrentIndex(index)

    def say(self, text: str, state: str) -> None:
        self.status.setText(text)
        theme.set_state(self.status, state)

    def done(self) -> None:
        """The action is stored: the reason is cleared for the next one (the name stays)."""
        self.reason.clear()

    def _request(self, kind: str) -> None:
        self.action_did_request.emit(kind, str(self.grade.currentData() or ""))
