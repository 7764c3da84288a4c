"""The look-up page: a scanned unit in stock, shown without starting a grading (no lease, no draft yet)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from grading_station.ui.bench.theme import set_state

from grading_station.i18n import _


class LookupPage(QWidget):
    """What the bench knows of a scanned unit, and the keys that start work on it. A scan only looks up; the
    grading (and its lease in Odoo) starts when the technician asks.

    Signals:
        certificate_did_request(): C: open the unit's buyer certificate (offered once `set_certificate_available`).
        grading_did_request(complete_only): Enter/G: grade the unit; for a held unit Enter completes the
            record (only what is missing is asked again) and R re-grades it in full.
        label_did_request(preview): L: print its grade label again; V: show it (`labels` on: keys shown).
    """

    certificate_did_request = Signal()
    grading_did_request = Signal(bool)
    label_did_request = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.held = False
        self.labels = False  # a label service is there: L and V work and the hint says so
        self.title = QLabel()
        self.title.setProperty("role", "title")
        self.title.setWordWrap(True)
        self.body = QLabel()
        self.body.setObjectName("lookupBody")
        self.body.setWordWrap(True)
        self.hold = QLabel()
        self.hold.setObjectName("holdReason")
        self.hold.setWordWrap(True)
        self.source = QLabel()
        self.source.setObjectName("lookupSource")
        self.source.setWordWrap(True)
        self.start = QPushButton()
        self.start.setProperty("kind", "primary")
        self.start.clicked.connect(lambda: self.grading_did_request.emit(self.held))
        self.full = QPushButton(_("Full re-grade [R]"))
        self.full.clicked.connect(lambda: self.grading_did_request.emit(False))
        self.certificate = QPushButton(_("Certificate [C]"))
        self.certificate.setToolTip(_("Open the buyer's certificate that Odoo keeps for this unit"))
        self.certificate.clicked.connect(self.certificate_did_request.emit)
        self.certificate.setVisible(False)
        self.hint = QLabel()
        self.hint.setProperty("role", "hint")
        self.hint.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.full)
        buttons.addWidget(self.certificate)
        buttons.addStretch(1)
        buttons.addWidget(self.start)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        for widget in (self.title, self.body, self.hold, self.source):
            layout.addWidget(widget)
        layout.addSpacing(16)
        layout.addLayout(buttons)
        layout.addWidget(self.hint)
        layout.addStretch(2)

    def set_certificate_available(self, available: bool) -> None:
        """Offer "Certificate [C]" (the station can fetch certificates from Odoo)."""
        self.certificate.setVisible(available)

    def show_unit(self, model_name: str, grade_title: str, location: str, hold_reason: str = "",
                  cached_age: str = "") -> None:
        """`hold_reason`: why the unit is in WH/Hold ("" when it is not held); `cached_age`: how old the local
        copy shown is when Odoo could not be reached ("" when the data is live from Odoo)."""
        self.held = bool(hold_reason)
        self.title.setText(model_name)
        self.body.setText(_("Grade: {grade} · Location: {location}").format(grade=grade_title, location=location))
        self.hold.setText(_("Held because: {reason}").format(reason=hold_reason) if hold_reason else "")
        self.hold.setVisible(self.held)
        set_state(self.hold, "warn" if self.held else "")
        if cached_age:
            self.source.setText(
                _("Odoo cannot be reached: this is the local copy from {age}. The grading is kept on this "
                  "bench and sent when Odoo is back.").format(age=cached_age)
            )
        else:
            self.source.setText("")
        self.source.setVisible(bool(cached_age))
        set_state(self.source, "warn" if cached_age else "")
        self.full.setVisible(self.held)
        if self.held:
            self.start.setText(_("Complete the record [Enter]"))
            self.hint.setText(_("Enter: fix only what is missing · R: full re-grade · or scan another unit."))
        elif cached_age:
            self.start.setText(_("Start grading [Enter]"))
            self.hint.setText(_("Enter or G: start grading (not reserved in Odoo while it cannot be reached) · "
                                "or scan another unit to look it up."))
        else:
            self.start.setText(_("Start grading [Enter]"))
            self.hint.setText(_("Enter or G: start grading (reserves the unit for this bench) · "
                                "or scan another unit to look it up."))

        if self.labels:
            self.hint.setText(self.hint.text() + " " + _("L: reprint its label · V: preview it."))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_G):
            self.grading_did_request.emit(self.held)
        elif key == Qt.Key.Key_C and not self.certificate.isHidden():
            self.certificate_did_request.emit()
        elif key == Qt.Key.Key_R and self.held:
            self.grading_did_request.emit(False)
        elif key in (Qt.Key.Key_L, Qt.Key.Key_V) and self.labels:
            self.label_did_request.emit(key == Qt.Key.Key_V)
        else:
            return super().keyPressEvent(event)
        event.accept()
