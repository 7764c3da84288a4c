"""The ship form: the carrier's tracking number (scanned or typed), the shipper, Ship (Enter), delivery note."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from grading_station.services.picking import SHIPPERS

from grading_station.i18n import _


class ShipForm(QWidget):
    """Signals: `ship_did_request(tracking, shipper)` on Enter or Ship; `note_did_request()` for the PDF."""

    ship_did_request = Signal(str, str)
    note_did_request = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.tracking = QLineEdit()
        self.tracking.setObjectName("trackingField")
        self.tracking.setPlaceholderText(_("Tracking number: scan the parcel label (T), then Enter"))
        self.tracking.setAccessibleName(_("Tracking number"))
        self.tracking.returnPressed.connect(self._ship)
        self.shipper = QComboBox()
        self.shipper.setObjectName("shipperBox")
        self.shipper.setEditable(True)  # Back Market takes any shipper name (≤ 200 characters)
        self.shipper.addItems(SHIPPERS)
        self.shipper.setAccessibleName(_("Shipper"))
        self.ship_button = QPushButton(_("Ship (Enter)"))
        self.ship_button.setObjectName("shipButton")
        self.ship_button.setProperty("kind", "primary")
        self.ship_button.clicked.connect(self._ship)
        self.note_button = QPushButton(_("Delivery note (P)"))
        self.note_button.setObjectName("noteButton")
        self.note_button.setToolTip(_("Open Back Market's delivery note to print and put in the parcel"))
        self.note_button.clicked.connect(self.note_did_request)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.shipper, 1)
        row.addWidget(self.ship_button)
        row.addWidget(self.note_button)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        title = QLabel(_("Ship"))
        title.setProperty("role", "hint")
        column.addWidget(title)
        column.addWidget(self.tracking)
        column.addLayout(row)

    def _ship(self) -> None:
        self.ship_did_request.emit(self.tracking.text().strip(), self.shipper.currentText().strip())

    def set_ready(self, ready: bool) -> None:
        for widget in (self.tracking, self.shipper, self.ship_button):
            widget.setEnabled(ready)
        # the primary look only when shipping is what comes next (the theme's primary style hides "disabled")
        self.ship_button.setProperty("kind", "primary" if ready else "")
        self.ship_button.style().unpolish(self.ship_button)
        self.ship_button.style().polish(self.ship_button)

    def clear(self) -> None:
        self.tracking.clear()
