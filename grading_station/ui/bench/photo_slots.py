"""Photo slots: one tile per required photo, filled by drag-and-drop, a file dialog or the camera panel."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QPixmap
from PySide6.QtWidgets import QFileDialog, QFrame, QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from grading_station.ui.bench.theme import set_state

IMAGE_FILTER = "Images (*.jpg *.jpeg *.png *.webp *.bmp *.heic)"


class PhotoSlot(QFrame):
    """One tile. Signals:
    file_did_drop(slot, path): a file was dropped on the tile or chosen in the dialog (not yet checked).
    slot_did_select(slot): the technician picked this tile (it becomes the one awaiting a photo).
    """

    file_did_drop = Signal(str, str)
    slot_did_select = Signal(str)

    def __init__(self, slot: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.slot = slot
        self.setProperty("role", "card")
        self.setAcceptDrops(True)
        self.setObjectName(f"photoSlot_{slot}")
        self.title = QLabel(title)
        self.title.setProperty("role", "subtitle")
        self.thumb = QLabel("Drop a photo here")
        self.thumb.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.thumb.setMinimumSize(180, 120)
        self.thumb.setProperty("role", "hint")
        self.state = QLabel("Missing")
        self.state.setWordWrap(True)
        set_state(self.state, "warn")
        self.choose = QPushButton("Choose file…")
        self.choose.clicked.connect(self._choose_file)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addWidget(self.title)
        layout.addWidget(self.thumb, 1)
        layout.addWidget(self.state)
        layout.addWidget(self.choose)

    def _choose_file(self) -> None:
        self.slot_did_select.emit(self.slot)
        path, _ = QFileDialog.getOpenFileName(
            self, f"Photo: {self.title.text()}", str(Path.home()), IMAGE_FILTER
        )
        if path:
            self.file_did_drop.emit(self.slot, path)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt override)
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt override)
        urls = [u for u in event.mimeData().urls() if u.isLocalFile()]
        if urls:
            event.acceptProposedAction()
            self.slot_did_select.emit(self.slot)
            self.file_did_drop.emit(self.slot, urls[0].toLocalFile())

    def show_photo(self, thumbnail_png: bytes, filename: str) -> None:
        pixmap = QPixmap()
        pixmap.loadFromData(thumbnail_png)
        self.thumb.setPixmap(pixmap)
        self.state.setText(f"✔ {filename}")
        set_state(self.state, "ok")

    def show_error(self, text: str) -> None:
        self.state.setText(text)
        set_state(self.state, "error")

    def show_awaiting(self, awaiting: bool) -> None:
        self.setProperty("awaiting", awaiting)
        self.setStyleSheet("QFrame#%s { border: 3px solid #1565c0; }" % self.objectName() if awaiting else "")

    def has_photo(self) -> bool:
        return self.thumb.pixmap() is not None and not self.thumb.pixmap().isNull()


class PhotoSlots(QWidget):
    """The grid of tiles for a checklist's photo step. Signals:
    file_did_drop(slot, path): as PhotoSlot.
    awaiting_slot_did_change(slot): the slot the camera should fill next ("" when all are filled).
    """

    file_did_drop = Signal(str, str)
    awaiting_slot_did_change = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setSpacing(10)
        self.slots: dict[str, PhotoSlot] = {}
        self.awaiting = ""

    def set_slots(self, slots: list[tuple[str, str]], filled: dict[str, tuple[bytes, str]]) -> None:
        """Rebuild the tiles: `slots` is [(slot id, title)], `filled` maps slot -> (thumbnail PNG, file name)."""
        for tile in self.slots.values():
            tile.deleteLater()
        self.slots = {}
        columns = 3 if len(slots) > 4 else 2
        for index, (slot, title) in enumerate(slots):
            tile = PhotoSlot(slot, title)
            tile.file_did_drop.connect(self.file_did_drop)
            tile.slot_did_select.connect(self._select)
            self._grid.addWidget(tile, index // columns, index % columns)
            self.slots[slot] = tile
            if slot in filled:
                tile.show_photo(*filled[slot])
        self._advance()

    def show_photo(self, slot: str, thumbnail_png: bytes, filename: str) -> None:
        self.slots[slot].show_photo(thumbnail_png, filename)
        self._advance()

    def show_error(self, slot: str, text: str) -> None:
        self.slots[slot].show_error(text)
        self._select(slot)

    def _select(self, slot: str) -> None:
        self._set_awaiting(slot)

    def _advance(self) -> None:
        empty = [s for s, tile in self.slots.items() if not tile.has_photo()]
        self._set_awaiting(empty[0] if empty else "")

    def _set_awaiting(self, slot: str) -> None:
        for name, tile in self.slots.items():
            tile.show_awaiting(name == slot)
        if slot != self.awaiting:
            self.awaiting = slot
            self.awaiting_slot_did_change.emit(slot)
