"""The log tail: the last lines of grading_station.log.TAIL, newest at the bottom, problems coloured."""

from __future__ import annotations

import html

from PySide6.QtCore import QTimer
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QPlainTextEdit

from grading_station.ui.widgets import theme

from grading_station.log import TailHandler

_COLOURS = {" ERROR ": theme.ERROR, " CRITICAL ": theme.ERROR, " WARNING ": theme.WARN}


class LogTailView(QPlainTextEdit):
    """Polls the in-memory tail (no disk, cheap) every `interval_ms` while visible and appends new lines."""

    def __init__(self, tail: TailHandler, interval_ms: int = 1000, max_lines: int = 2000) -> None:
        super().__init__()
        self.setObjectName("logTail")
        self.setReadOnly(True)
        self.setMaximumBlockCount(max_lines)
        self.setStyleSheet("font-family: monospace; font-size: 11pt;")
        self._tail = tail
        self._shown: list[str] = []
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.refresh)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self.refresh()
        self._timer.start()
        super().showEvent(event)

    def hideEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self._timer.stop()
        super().hideEvent(event)

    def refresh(self) -> None:
        lines = self._tail.lines()
        new = _new_lines(self._shown, lines)
        if not new:
            return
        self._shown = lines
        at_bottom = self.verticalScrollBar().value() >= self.verticalScrollBar().maximum() - 2
        for line in new:
            colour = next((c for word, c in _COLOURS.items() if word in line), None)
            text = html.escape(line)
            self.appendHtml(f'<span style="color:{colour}">{text}</span>' if colour else text)
        if at_bottom:
            self.moveCursor(QTextCursor.MoveOperation.End)


def _new_lines(shown: list[str], lines: list[str]) -> list[str]:
    """Lines of `lines` not yet shown: the tail is a ring buffer, so find where the shown part ends."""
    if not shown:
        return lines
    last = shown[-1]
    for index in range(len(lines) - 1, -1, -1):
        if lines[index] == last:
            return lines[index + 1:]
    return lines  # everything shown has rolled out of the buffer
