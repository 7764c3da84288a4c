"""The technician's remark on the current checklist step: shown under the step, typed after M, Enter saves."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QWidget

from grading_station.i18n import _

MAX_NOTE = 500  # a remark, not a report: long enough for "scratch 2 cm left of the camera, hairline"


class _NoteField(QLineEdit):
    """Esc gives up the edit (the checklist panel must not read it as "discard the grading"); Enter saves and
    stops there (QLineEdit passes it on, and the panel would read it as "next step")."""

    cancel_did_request = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        if event.key() == Qt.Key.Key_Escape:
            self.cancel_did_request.emit()
            event.accept()
            return
        super().keyPressEvent(event)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()


class StepNote(QWidget):
    """The remark of the step shown: a line of text, or a field while it is being written.

    Signals:
        note_did_save(text): Enter in the field: keep this remark for the step ("" removes it).
        editing_did_end(): the field closed (saved or given up); the checklist takes the keys back.
    """

    note_did_save = Signal(str)
    editing_did_end = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = QLabel()
        self.text.setObjectName("stepNote")
        self.text.setProperty("role", "hint")
        self.text.setWordWrap(True)
        self.field = _NoteField()
        self.field.setObjectName("stepNoteField")
        self.field.setMaxLength(MAX_NOTE)
        self.field.setPlaceholderText(_("Remark on this step, e.g. “speaker crackles at full volume” · Enter saves"))
        self.field.returnPressed.connect(self._save)
        self.field.cancel_did_request.connect(self._cancel)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.text, 1)
        row.addWidget(self.field, 1)
        self.field.hide()
        self.show_note("")

    @property
    def editing(self) -> bool:
        return self.field.isVisible()

    def show_note(self, note: str) -> None:
        """The step's saved remark (hidden when there is none and no edit is open)."""
        self.text.setText(_("✎ Note: {note}").format(note=note) if note else "")
        self.text.setVisible(bool(note))
        self.setVisible(bool(note) or self.editing)

    def edit(self, note: str) -> None:
        self.field.setText(note)
        self.text.hide()
        self.field.show()
        self.show()
        self.field.setFocus(Qt.FocusReason.OtherFocusReason)
        self.field.selectAll()

    def _save(self) -> None:
        text = self.field.text().strip()
        self._close()
        self.show_note(text)
        self.note_did_save.emit(text)

    def _cancel(self) -> None:
        note = self.text.text().removeprefix("✎ Note: ")
        self._close()
        self.show_note(note)

    def _close(self) -> None:
        self.field.hide()
        self.editing_did_end.emit()
