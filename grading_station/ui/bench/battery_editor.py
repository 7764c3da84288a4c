"""The battery step: health % and charge cycles typed in, checked by the service, refusals explained."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QWidget

from grading_station.domain.battery import MAX_FIELD_LENGTH

from grading_station.services.bench_models import StepView

from grading_station.ui.bench.step_editors import StepEditor
from grading_station.ui.bench.theme import set_state

from grading_station.i18n import _


class BatteryEditor(StepEditor):
    """Two fields; Enter in "health" moves to "cycles", Enter in "cycles" submits.

    Signal `reading_did_submit(health_text, cycles_text)`: the raw texts, validated off the GUI thread by the
    grading service (the domain's battery rules say what is in range and why not).
    """

    reading_did_submit = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.health = QLineEdit()
        self.health.setObjectName("batteryHealth")
        self.health.setPlaceholderText("e.g. 92")
        self.health.setMaximumWidth(220)
        self.health.setMaxLength(MAX_FIELD_LENGTH)
        self.cycles = QLineEdit()
        self.cycles.setObjectName("batteryCycles")
        self.cycles.setPlaceholderText("e.g. 310")
        self.cycles.setMaximumWidth(220)
        self.cycles.setMaxLength(MAX_FIELD_LENGTH)
        self.error = QLabel("")
        self.error.setObjectName("batteryError")
        self.error.setWordWrap(True)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setVerticalSpacing(12)
        form.addRow(_("Battery health (%)"), self.health)
        form.addRow(_("Charge cycles"), self.cycles)
        form.addRow(self.error)

    def show_step(self, step: StepView) -> None:
        self.error.setText("")

    def show_values(self, health: int | None, cycles: int | None) -> None:
        self.health.setText("" if health is None else str(health))
        self.cycles.setText("" if cycles is None else str(cycles))

    def take_focus(self) -> None:
        field = self.cycles if self.health.text() and not self.cycles.text() else self.health
        field.setFocus(Qt.FocusReason.OtherFocusReason)
        field.selectAll()

    def confirm(self) -> bool:
        if self.health.hasFocus() and not self.cycles.text().strip():
            self.cycles.setFocus(Qt.FocusReason.TabFocusReason)
            return False
        self.error.setText(_("Checking…"))
        set_state(self.error, "info")
        self.reading_did_submit.emit(self.health.text(), self.cycles.text())
        return False  # the panel moves on when the service accepts the reading

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        set_state(self.error, "error")
        self.health.setFocus(Qt.FocusReason.OtherFocusReason)
        self.health.selectAll()

    def show_accepted(self, text: str) -> None:
        self.error.setText(text)
        set_state(self.error, "ok")
