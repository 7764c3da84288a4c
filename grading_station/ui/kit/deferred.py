"""A workspace whose widget is built after start-up (it needs something slow to load), held by a stand-in."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from grading_station.ui import messages
from grading_station.ui.kit.workspace import ScanTarget


class DeferredWorkspace(QWidget):
    """Stands in the side bar from the start; says `waiting_text` until `set_widget` gives the real workspace,
    then shows it and forwards the workspace protocol (scans, activation) to it."""

    def __init__(self, waiting_text: str) -> None:
        super().__init__()
        self._waiting_text = waiting_text
        self.widget: QWidget | None = None
        self._label = QLabel(waiting_text)
        self._label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._label.setProperty("role", "big-hint")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.addWidget(self._label)

    def set_widget(self, widget: QWidget) -> None:
        self._label.hide()
        self._layout.addWidget(widget)
        self.widget = widget
        if self.isVisible() and isinstance(widget, ScanTarget):
            widget.on_activate()

    def on_scan(self, raw: str, source: str) -> None:
        if isinstance(self.widget, ScanTarget):
            self.widget.on_scan(raw, source)
        else:
            messages.info(self._waiting_text, replace="scan")

    def on_activate(self) -> None:
        if isinstance(self.widget, ScanTarget):
            self.widget.on_activate()
        else:
            self.setFocus()
