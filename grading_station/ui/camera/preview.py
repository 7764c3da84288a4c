"""The live camera picture with the codes found in it outlined (green: the one being scanned)."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from grading_station.hardware.decode_loop import FrameReport

_PICKED = QColor("#2e7d32")
_OTHER = QColor("#ffb300")


class PreviewView(QWidget):
    """Paints the newest preview image, letterboxed, and the outlines of the last decoded frame's codes.
    Painting only draws what it was given: all image work happened on the capture thread."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cameraPreview")
        self.setMinimumSize(160, 90)  # 16:9; small enough to leave the unit card its history at 1366×768
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._image: QImage | None = None
        self._scale = 1.0
        self._report: FrameReport | None = None
        self._message = "Camera off"
        self.images_shown = 0

    def show_image(self, image: QImage, scale: float) -> None:
        self._image, self._scale = image, scale
        self.images_shown += 1
        self.update()

    def show_report(self, report: FrameReport | None) -> None:
        self._report = report
        self.update()

    def show_message(self, text: str) -> None:
        """Shown instead of the picture (camera off, or a fault)."""
        self._message = text
        self._image = None
        self.update()

    def has_image(self) -> bool:
        return self._image is not None

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#263238"))
        if self._image is None:
            painter.setPen(QColor("white"))
            painter.drawText(self.rect().adjusted(12, 12, -12, -12), Qt.AlignmentFlag.AlignCenter
                             | Qt.TextFlag.TextWordWrap, self._message)
            return
        image = self._image
        fit = min(self.width() / image.width(), self.height() / image.height())
        w, h = image.width() * fit, image.height() * fit
        target = QRectF((self.width() - w) / 2, (self.height() - h) / 2, w, h)
        painter.drawImage(target, image)
        if self._report is None:
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        factor = self._scale * fit  # frame pixels -> widget pixels
        picked = self._report.picked
        for symbol in self._report.symbols:
            if len(symbol.corners) < 2:
                continue
            polygon = QPolygonF([QPointF(target.x() + x * factor, target.y() + y * factor)
                                 for x, y in symbol.corners])
            is_picked = picked is not None and picked.value in symbol.text.upper()
            painter.setPen(QPen(_PICKED if is_picked else _OTHER, 4 if is_picked else 2))
            painter.drawPolygon(polygon)
