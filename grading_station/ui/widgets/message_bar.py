"""A banner under the title bar showing the newest user message (the sink of grading_station.ui.messages)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from grading_station.ui.messages import Level, Message

_COLOURS = {Level.ERROR: "#c62828", Level.WARNING: "#ef6c00", Level.INFO: "#1565c0"}


class MessageBar(QWidget):
    """Shows one message at a time; info messages fade after a few seconds, errors stay until dismissed
    or replaced by a newer message with the same `replace` key (or any newer message)."""

    def __init__(self, info_ms: int = 6000) -> None:
        super().__init__()
        self.setObjectName("messageBar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._text = QLabel()
        self._text.setWordWrap(True)
        self._text.setStyleSheet("color: white; font-size: 16px; font-weight: 600;")
        close = QPushButton("✕")
        close.setFlat(True)
        close.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        close.setStyleSheet("color: white; font-size: 16px; border: none; padding: 4px 10px;")
        close.clicked.connect(self.hide)
        row = QHBoxLayout(self)
        row.setContentsMargins(14, 8, 8, 8)
        row.addWidget(self._text, 1)
        row.addWidget(close)
        self._timer = QTimer(self, singleShot=True, interval=info_ms)
        self._timer.timeout.connect(self.hide)
        self.current: Message | None = None
        self.hide()

    def show_message(self, message: Message) -> None:
        if not message.text:  # messages.clear(key): hide it if it is the one shown
            if self.current is not None and self.current.replace == message.replace:
                self.current = None
                self.hide()
            return
        self.current = message
        self._text.setText(message.text)
        self.setStyleSheet(f"#messageBar {{ background: {_COLOURS[message.level]}; }}")
        self.show()
        if message.level is Level.INFO:
            self._timer.start()
        else:
            self._timer.stop()
