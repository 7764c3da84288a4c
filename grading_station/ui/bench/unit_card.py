"""The unit card: what the bench knows of the scanned unit (model, grade, location, lease) and its history."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QListWidget, QPushButton, QVBoxLayout, QWidget

from grading_station.domain.units import Unit

from grading_station.ui.bench.theme import set_state

from grading_station.i18n import _


class UnitCard(QFrame):
    """Read-only summary of one unit; `show_unit`, `show_intake`, `show_history` and `clear` refresh it.

    Signals:
        serial_did_show(serial): the card now shows this unit (found in Odoo or a new intake).
        label_did_request(preview): its grade label: printed again (False, key L) or shown (True, key V);
            the buttons show once `set_label_actions(True)` (a unit in stock, a label service).
    """

    serial_did_show = Signal(str)
    label_did_request = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "card")
        self.setFixedWidth(300)
        self.serial = QLabel()
        self.serial.setProperty("role", "subtitle")
        self.serial.setTextInteractionFlags(self.serial.textInteractionFlags())
        self.model = QLabel()
        self.model.setProperty("role", "title")
        self.model.setWordWrap(True)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.lease = QLabel()
        self.lease.setWordWrap(True)
        self.reprint = QPushButton(_("Reprint label [L]"))
        self.reprint.setObjectName("reprintLabel")
        self.reprint.clicked.connect(lambda: self.label_did_request.emit(False))
        self.preview = QPushButton(_("Preview [V]"))
        self.preview.setObjectName("previewLabel")
        self.preview.clicked.connect(lambda: self.label_did_request.emit(True))
        self.label_row = QWidget()
        row = QVBoxLayout(self.label_row)  # one under the other: the card is narrow at 1366×768, in any language
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        for button in (self.reprint, self.preview):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keys go to the page; the card only shows them
            button.setStyleSheet("font-size: 12pt; padding: 2px 8px; min-height: 30px;")  # secondary actions
            row.addWidget(button)
        self.history_title = history_title = QLabel(_("History"))
        history_title.setProperty("role", "hint")
        self.history = QListWidget()
        self.history.setObjectName("unitHistory")  # Odoo's chatter: data, in whatever language Odoo wrote it
        self.history.setWordWrap(True)
        self.history.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.history.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.history.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.history.setMinimumHeight(20)  # shrinks first when the camera shares the column
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 12)
        layout.setSpacing(6)
        for widget in (self.model, self.serial, self.details, self.lease, self.label_row, history_title):
            layout.addWidget(widget)
        layout.addWidget(self.history, 1)
        layout.addStretch(0)  # takes the room of the history when there is none to show
        self._layout = layout
        self.clear()

    def add_detail(self, widget: QWidget) -> None:
        """Another line about the unit, under the lease (e.g. its Back Market listing state)."""
        self._layout.insertWidget(self._layout.indexOf(self.lease) + 1, widget)

    def set_label_actions(self, shown: bool) -> None:
        self.label_row.setVisible(shown)

    def clear(self) -> None:
        self.label_row.setVisible(False)
        self.model.setText(_("No unit"))
        self.serial.setText("")
        self.details.setText(_("Scan a serial number or IMEI to begin."))
        self._show_history_box(False)
        self.lease.setText("")
        self.history.clear()

    def show_unit(self, unit: Unit, grade_title: str, hold_reason: str = "", cached_age: str = "") -> None:
        """`hold_reason`: why a held unit is held; `cached_age`: the unit comes from the local cache (Odoo
        down), seen in Odoo then."""
        self.label_row.setVisible(False)  # the bench shows it for a unit in stock it can reprint
        self.model.setText(unit.model_name)
        self.serial.setText(unit.serial)
        self.serial_did_show.emit(unit.serial)
        lines = [
            _("Grade: {grade}").format(grade=grade_title),
            _("Location: {location}").format(location=unit.location),
        ]
        if hold_reason:
            lines.append(_("Held because: {reason}").format(reason=hold_reason))
        if cached_age:
            lines.append(_("From the local cache (Odoo unreachable), seen {age}.").format(age=cached_age))
        self.details.setText("\n".join(lines))
        self._show_history_box(True)
        self.lease.setText("")
        self.history.clear()
        self.history.addItem(_("Loading history…"))

    def show_intake(self, serial: str, model_name: str = "", source_title: str = "") -> None:
        self.label_row.setVisible(False)  # not graded yet: no label to reprint
        self.model.setText(model_name or _("New unit"))
        self.serial.setText(serial)
        self.serial_did_show.emit(serial)
        self._show_history_box(False)  # a new unit has no history in Odoo
        lines = [_("Not in stock yet: new intake.")]
        if source_title:
            lines.append(_("Source: {source}").format(source=source_title))
        self.details.setText("\n".join(lines))
        self.lease.setText("")
        self.history.clear()

    def show_lease(self, text: str, state: str) -> None:
        self.lease.setText(text)
        set_state(self.lease, state)

    def show_history(self, entries: list[dict]) -> None:
        self.history.clear()
        if not entries:
            self.history.addItem(_("No history yet."))
        for entry in entries:
            date = str(entry.get("date", ""))[:16].replace("T", " ")
            self.history.addItem(f"{date} · {entry.get('author', '')}\n{entry.get('body', '')}")

    def show_history_error(self, text: str) -> None:
        self.history.clear()
        self.history.addItem(_("History unavailable: {reason}").format(reason=text))

    def _show_history_box(self, shown: bool) -> None:
        self.history_title.setVisible(shown)
        self.history.setVisible(shown)
        self._layout.setStretch(self._layout.count() - 1, 0 if shown else 1)
