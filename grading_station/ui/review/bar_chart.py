"""A small horizontal bar chart drawn with QPainter (QtCharts is not in PySide6-Essentials)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from grading_station.ui.widgets import theme

_ROW, _GAP = 26, 6


class BarChart(QWidget):
    """(label, value) bars, longest first as given, the value written at the end of each bar."""

    def __init__(self, title: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.bars: list[tuple[str, float]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_bars(self, bars: Sequence[tuple[str, float]]) -> None:
        self.bars = list(bars)[:12]
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(400, 30 + len(self.bars) * (_ROW + _GAP))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QColor(theme.MUTED))
        painter.drawText(QRectF(0, 0, self.width(), 24), Qt.AlignmentFlag.AlignLeft, self.title)
        if not self.bars:
            return
        label_width = min(180.0, self.width() * 0.3)
        top = max(v for _, v in self.bars) or 1.0
        room = self.width() - label_width - 70
        for index, (label, value) in enumerate(self.bars):
            y = 28 + index * (_ROW + _GAP)
            painter.setPen(QColor("#263238"))
            painter.drawText(QRectF(0, y, label_width - 8, _ROW), Qt.AlignmentFlag.AlignRight |
                             Qt.AlignmentFlag.AlignVCenter, label)
            width = max(2.0, room * value / top)
            painter.fillRect(QRectF(label_width, y + 3, width, _ROW - 6), QColor(theme.INFO))
            painter.drawText(QRectF(label_width + width + 6, y, 64, _ROW), Qt.AlignmentFlag.AlignVCenter,
                             f"{value:g}")
        painter.end()
