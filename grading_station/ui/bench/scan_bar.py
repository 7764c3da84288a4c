"""The scan bar: the field a technician types a serial into, and the line saying what became of a scan."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from grading_station.ui.bench.theme import set_state
from grading_station.ui.scan_router import ScanRouter

from grading_station.i18n import _


class ScanBar(QWidget):
    """Typed serials go to the ScanRouter (source "keyboard"), exactly like scanner bursts and camera reads.

    A rejected scan turns the field red and shows the reason for `flash_ms`; the reason text stays until the
    next scan so a technician who looked away can still read it. Nothing else on the bench changes.
    """

    def __init__(self, router: ScanRouter, flash_ms: int = 2500, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._router = router
        self.field = QLineEdit()
        self.field.setObjectName("scanField")
        self.field.setPlaceholderText(_("Scan or type a serial number / IMEI, then Enter"))
        self.field.setClearButtonEnabled(True)
        self.field.setAccessibleName(_("Serial number or IMEI"))
        self.field.returnPressed.connect(self._submit_typed)
        self.go = QPushButton(_("Look up"))
        self.go.setProperty("kind", "primary")
        self.go.clicked.connect(self._submit_typed)
        self.status = QLabel(_("Ready: scan a unit."))
        self.status.setObjectName("scanStatus")
        self.status.setWordWrap(True)
        self.status.setProperty("role", "hint")
        self._flash = QTimer(self)
        self._flash.setSingleShot(True)
        self._flash.setInterval(flash_ms)
        self._flash.timeout.connect(lambda: set_state(self.field, ""))
        self._resting = (self.status.text(), "info")  # the line an error replaced (clear_error restores it)

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.field, 1)
        row.addWidget(self.go)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        column.addLayout(row)
        column.addWidget(self.status)

    def _submit_typed(self) -> None:
        raw = self.field.text().strip()
        if raw:
            self._router.submit(raw, "keyboard")

    def focus_field(self) -> None:
        self.field.setFocus(Qt.FocusReason.OtherFocusReason)
        self.field.selectAll()

    def show_scan(self, serial: str) -> None:
        """Echo an accepted (normalised) scan in the field, whatever its source."""
        self.field.setText(serial)

    def show_busy(self, text: str) -> None:
        self._flash.stop()
        set_state(self.field, "busy")
        self._say(text, "info")

    def show_ok(self, text: str) -> None:
        self._flash.stop()
        set_state(self.field, "ok")
        self._say(text, "ok")

    def show_error(self, text: str) -> None:
        """Flash the field red and show the reason (no sound: benches are noisy and shared). The reason stays
        until the next scan or `clear_error` (its cause is gone), which brings back the line it replaced."""
        if self.status.property("state") != "error":
            self._resting = (self.status.text(), self.status.property("state") or "info")
        set_state(self.field, "error")
        self._say(text, "error")
        self._flash.start()

    def show_info(self, text: str) -> None:
        self._flash.stop()
        set_state(self.field, "")
        self._say(text, "info")

    def clear_error(self) -> None:
        """The rejected scan's reason no longer applies (the technician moved on): show what was there before."""
        if self.status.property("state") == "error":
            self._flash.stop()
            set_state(self.field, "")
            self._say(*self._resting)

    def error_text(self) -> str:
        return self.status.text() if self.status.property("state") == "error" else ""

    def _say(self, text: str, state: str) -> None:
        self.status.setText(text)
        set_state(self.status, state)
