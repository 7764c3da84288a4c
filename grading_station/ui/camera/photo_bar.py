"""The photo strip of the camera panel: which slot is next, Take (F8), the last photo's thumbnail, quality
warnings with "Use anyway" / "Retake"."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QWidget

from grading_station.hardware.photo import Still

from grading_station.i18n import _

_THUMB = 160


def thumbnail(jpeg: bytes) -> QImage:
    """The thumbnail of a still: decoding a full-resolution JPEG takes 20-60 ms, so call it on a worker
    (QImage, unlike QPixmap, may be used off the GUI thread)."""
    return QImage.fromData(jpeg).scaled(_THUMB, _THUMB * 9 // 16, Qt.AspectRatioMode.KeepAspectRatio,
                                        Qt.TransformationMode.SmoothTransformation)


class PhotoBar(QWidget):
    """Signals:
    take_did_request(): take a photo for the awaiting slot.
    retake_did_request(): take the last slot's photo again.
    accept_did_request(): keep the pending photo despite its warnings.
    """

    take_did_request = Signal()
    retake_did_request = Signal()
    accept_did_request = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pending: Still | None = None
        self.pending_slot = ""
        self.last_slot = ""
        self.titles: dict[str, str] = {}  # slot -> the bench's title for it
        self._compact = False
        self.next = QLabel(_("No photo waiting"))
        self.next.setObjectName("cameraNextPhoto")
        self.next.setWordWrap(True)
        self.take = QPushButton(_("Take photo (F8)"))
        self.take.setObjectName("cameraTake")
        self.take.setEnabled(False)
        self.take.clicked.connect(self.take_did_request)
        self.thumb = QLabel()
        self.thumb.setFixedSize(_THUMB, _THUMB * 9 // 16)
        self.thumb.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.thumb.setStyleSheet("background: #eceff1;")
        self.thumb.hide()  # shown with the first photo: no empty box taking the bench's height
        self.note = QLabel("")
        self.note.setObjectName("cameraPhotoNote")
        self.note.setWordWrap(True)
        self.accept = QPushButton(_("Use anyway"))
        self.accept.setObjectName("cameraAccept")
        self.accept.clicked.connect(self.accept_did_request)
        self.retake = QPushButton(_("Retake"))
        self.retake.setObjectName("cameraRetake")
        self.retake.clicked.connect(self.retake_did_request)
        for button in (self.accept, self.retake):
            button.hide()
        for button in (self.take, self.accept, self.retake):
            # A click must not take the keyboard from the bench: the technician keeps scanning and typing.
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._place(False)

    def _place(self, compact: bool) -> None:
        """Roomy: the buttons under the note. Compact (beside the bench at 1366×768): two rows only, so
        nothing is pushed out of (or drawn over) the panel once a photo is shown."""
        grid = self._grid
        for widget in (self.next, self.take, self.thumb, self.note, self.accept, self.retake):
            grid.removeWidget(widget)
        if compact:  # as narrow as the unit card above it: three columns, "Use anyway" only with a warning
            grid.addWidget(self.next, 0, 0, 1, 2)
            grid.addWidget(self.take, 0, 2)
            grid.addWidget(self.thumb, 1, 0)
            grid.addWidget(self.note, 1, 1)
            grid.addWidget(self.retake, 1, 2)
            grid.addWidget(self.accept, 2, 1, 1, 2)
        else:
            grid.addWidget(self.next, 0, 0, 1, 2)
            grid.addWidget(self.take, 0, 2)
            grid.addWidget(self.thumb, 1, 0, 2, 1)
            grid.addWidget(self.note, 1, 1, 1, 2)
            grid.addWidget(self.accept, 2, 1)
            grid.addWidget(self.retake, 2, 2)
        grid.setColumnStretch(1, 1)

    def set_compact(self, compact: bool) -> None:
        width = _THUMB // 2 if compact else _THUMB
        self.thumb.setFixedSize(width, width * 9 // 16)
        self._compact = compact
        self._place(compact)
        if not self.thumb.pixmap().isNull():
            self.thumb.setPixmap(self.thumb.pixmap().scaled(self.thumb.size(), Qt.AspectRatioMode.KeepAspectRatio))

    def title_of(self, slot: str) -> str:
        """The slot's title as the bench's tile shows it ("Left side"), the slot id only when none was given."""
        return self.titles.get(slot) or slot.replace("_", " ")

    def show_awaiting(self, slot: str, title: str = "") -> None:
        if slot and title:
            self.titles[slot] = title
        self.next.setText(_("Next photo: {title}").format(title=self.title_of(slot)) if slot
                          else _("No photo waiting"))
        self.take.setEnabled(bool(slot))

    def show_busy(self, slot: str) -> None:
        self.note.setText(_("Taking the photo: {title}…").format(title=self.title_of(slot)))
        self.note.setStyleSheet("")

    def show_still(self, slot: str, still: Still, thumb: QImage) -> None:
        """`thumb` comes from `thumbnail()`, made off the GUI thread."""
        self.pending, self.pending_slot, self.last_slot = still, slot, slot
        pixmap = QPixmap.fromImage(thumb)
        if self._compact:
            pixmap = pixmap.scaled(self.thumb.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                   Qt.TransformationMode.SmoothTransformation)
        self.thumb.setPixmap(pixmap)
        self.thumb.show()
        if still.quality.warnings:
            self.note.setText(" ".join(still.quality.warnings))
            self.note.setStyleSheet("color: #ef6c00; font-weight: 600;")
            self.accept.show()
            self.retake.show()

    def show_accepted(self, slot: str) -> None:
        self.pending = None
        self.note.setText(_("✔ Photo sent to the bench: {title}.").format(title=self.title_of(slot)))
        self.note.setStyleSheet("color: #2e7d32;")
        self.accept.hide()
        self.retake.show()  # retake the last one even after it was accepted

    def show_problem(self, text: str) -> None:
        self.note.setText(text)
        self.note.setStyleSheet("color: #c62828; font-weight: 600;")
