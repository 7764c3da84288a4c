"""Photo slots: one tile per photo, filled by drag-and-drop, a file dialog (click, 1-9) or the camera."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QMouseEvent, QPixmap, QResizeEvent
from PySide6.QtWidgets import QFileDialog, QFrame, QGridLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from grading_station.ui.bench.theme import set_state

from grading_station.i18n import _

IMAGE_FILTER = "Images (*.jpg *.jpeg *.png *.webp *.bmp)"
FileChooser = Callable[[QWidget, str], str]  # (parent, title) -> chosen path, "" when cancelled
THUMB_MAX = 320  # the store's thumbnails are 320 px on their long side: never blown up beyond that


class LastFolder:
    """The folder the file dialog opens in: where the last photo was chosen (the technician's camera card or
    download folder, not the home root), for as long as the app runs."""

    def __init__(self, start: Path | None = None) -> None:
        self.path = start or Path.home()

    def remember(self, chosen: str) -> None:
        if chosen:
            self.path = Path(chosen).parent


LAST_FOLDER = LastFolder()


def choose_image_file(parent: QWidget, title: str, folder: LastFolder = LAST_FOLDER) -> str:
    path, _filter = QFileDialog.getOpenFileName(parent, title, str(folder.path), _(IMAGE_FILTER))
    folder.remember(path)
    return path


class PhotoSlot(QFrame):
    """One tile, itself the touch target: click (or its number key) opens the file dialog, a dropped file
    fills it. Signals:
        file_did_drop(slot, path): a file was dropped on the tile or chosen in the dialog (not yet checked).
        slot_did_select(slot): the technician picked this tile (it becomes the one awaiting a photo).
    """

    file_did_drop = Signal(str, str)
    slot_did_select = Signal(str)

    def __init__(
        self, slot: str, title: str, number: int, chooser: FileChooser, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.slot = slot
        self._chooser = chooser
        self.setProperty("role", "card")
        self.setAcceptDrops(True)
        self.setObjectName(f"photoSlot_{slot}")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setMinimumHeight(150)
        self.title = QLabel(f"[{number}] {title}")
        self.title.setObjectName("photoTitle")
        self.title.setWordWrap(True)
        self.thumb = QLabel(_("Drop a photo or click"))
        self.thumb.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.thumb.setMinimumSize(100, 70)
        # The pixmap follows the tile's size, never the other way round (no growing loop).
        self.thumb.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self._pixmap = QPixmap()
        self.thumb.setProperty("role", "hint")
        self.thumb.setWordWrap(True)
        self.state = QLabel(_("Missing"))
        set_state(self.state, "warn")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addWidget(self.thumb, 1)
        layout.addWidget(self.state)

    def choose_file(self) -> None:
        self.slot_did_select.emit(self.slot)
        path = self._chooser(self, _("Photo: {slot}").format(slot=self.title.text()))
        if path:
            self.file_did_drop.emit(self.slot, path)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        if event.button() == Qt.MouseButton.LeftButton:
            self.choose_file()

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
        self._pixmap = QPixmap()
        self._pixmap.loadFromData(thumbnail_png)
        self._fit_thumb()
        self.state.setText(_("✔ Saved"))
        self.state.setToolTip(filename)
        set_state(self.state, "ok")

    def _fit_thumb(self) -> None:
        """The thumbnail as large as the tile allows (up to the stored thumbnail's own size)."""
        if self._pixmap.isNull():
            return
        width = min(max(self.thumb.width(), 100), THUMB_MAX)
        height = min(max(self.thumb.height(), 70), THUMB_MAX)
        self.thumb.setPixmap(
            self._pixmap.scaled(
                width, height, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
            )
        )

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._fit_thumb()

    def show_error(self, text: str) -> None:
        self.state.setText(_("✘ Refused"))
        self.state.setToolTip(text)
        set_state(self.state, "error")

    def show_awaiting(self, awaiting: bool) -> None:
        self.setStyleSheet(f"QFrame#{self.objectName()} {{ border: 3px solid #1565c0; }}" if awaiting else "")

    def has_photo(self) -> bool:
        return self.thumb.pixmap() is not None and not self.thumb.pixmap().isNull()


class PhotoSlots(QWidget):
    """The grid of tiles for a checklist's photo step. Signals:
    file_did_drop(slot, path): as PhotoSlot.
    awaiting_slot_did_change(slot): the slot the camera should fill next ("" when all are filled).
    """

    file_did_drop = Signal(str, str)
    awaiting_slot_did_change = Signal(str)

    def __init__(self, chooser: FileChooser = choose_image_file, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._chooser = chooser
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setSpacing(8)
        self.slots: dict[str, PhotoSlot] = {}
        self.awaiting = ""

    def set_slots(self, slots: list[tuple[str, str]], filled: dict[str, tuple[bytes, str]]) -> None:
        """Rebuild the tiles: `slots` is [(slot, title)], `filled` maps slot -> (thumbnail PNG, file name)."""
        for tile in self.slots.values():
            tile.deleteLater()
        self.slots = {}
        columns = 3 if len(slots) > 4 else 2
        for index, (slot, title) in enumerate(slots):
            tile = PhotoSlot(slot, title, index + 1, self._chooser)
            tile.file_did_drop.connect(self.file_did_drop)
            tile.slot_did_select.connect(self._set_awaiting)
            self._grid.addWidget(tile, index // columns, index % columns)
            self.slots[slot] = tile
            if slot in filled:
                tile.show_photo(*filled[slot])
        self._advance()

    def choose(self, number: int) -> bool:
        """Open the file dialog of tile `number` (1-based, the key shown on the tile)."""
        tiles = list(self.slots.values())
        if 1 <= number <= len(tiles):
            tiles[number - 1].choose_file()
            return True
        return False

    def show_photo(self, slot: str, thumbnail_png: bytes, filename: str) -> None:
        if slot in self.slots:
            self.slots[slot].show_photo(thumbnail_png, filename)
            self._advance()

    def show_error(self, slot: str, text: str) -> None:
        if slot in self.slots:
            self.slots[slot].show_error(text)
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
