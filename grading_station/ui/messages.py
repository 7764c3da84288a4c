"""User messages (error/warning/info) through one module, buffered until a window registers a sink.

❌ `QMessageBox.warning(self, "Odoo", str(exc))` in a screen: modal, untestable, lost at start-up.
✅ `messages.error(exc.user_message, replace="odoo")`: the main window shows it, tests record it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal

_log = logging.getLogger("grading_station.ui.messages")


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Message:
    """One message for the user. A later message with the same `replace` key supersedes this one on screen."""

    level: Level
    text: str
    replace: str | None = None


Sink = Callable[[Message], None]


class _Relay(QObject):
    """Lives in the GUI thread; a queued signal brings a message posted by a worker thread to the sink."""

    posted = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        app = QCoreApplication.instance()
        if app is not None:
            self.moveToThread(app.thread())  # whichever thread builds it, it must live in the GUI thread
        self.posted.connect(_deliver_later)


_sink: Sink | None = None
_buffer: list[Message] = []
_lock = threading.Lock()
_relay: _Relay | None = None


def set_sink(sink: Sink | None) -> None:
    """Show messages with `sink` from now on (called on the GUI thread); buffered ones are delivered first."""
    global _sink, _relay
    if _relay is None and QCoreApplication.instance() is not None:
        _relay = _Relay()
    with _lock:
        _sink = sink
        pending, _buffer[:] = list(_buffer), []
    if sink is not None:
        for message in pending:
            sink(message)


def error(text: str, replace: str | None = None) -> None:
    _post(Message(Level.ERROR, text, replace))


def warning(text: str, replace: str | None = None) -> None:
    _post(Message(Level.WARNING, text, replace))


def info(text: str, replace: str | None = None) -> None:
    _post(Message(Level.INFO, text, replace))


def clear(replace: str) -> None:
    """Take back the message posted with key `replace` (its cause is gone): dropped from the buffer, and the
    sink gets an empty message with that key, which a sink shows as "nothing" (it supersedes the old one)."""
    with _lock:
        _buffer[:] = [m for m in _buffer if m.replace != replace]
        sink = _sink
    if sink is None:
        return
    cleared = Message(Level.INFO, "", replace)
    if _on_gui_thread():
        sink(cleared)
    else:
        (_relay or _Relay()).posted.emit(cleared)


def _post(message: Message) -> None:
    # Logged at INFO: what the user was told belongs in the trail, but it is not a fault of the app.
    _log.info("message to user (%s): %s", message.level, message.text, extra={"event": "user_message"})
    with _lock:
        sink = _sink
        if sink is None:
            if message.replace is not None:
                _buffer[:] = [m for m in _buffer if m.replace != message.replace]
            _buffer.append(message)
            return
    if _on_gui_thread():
        sink(message)
    else:
        (_relay or _Relay()).posted.emit(message)


def _deliver_later(message: Message) -> None:
    with _lock:
        sink = _sink
        if sink is None:
            _buffer.append(message)
            return
    sink(message)


def _on_gui_thread() -> bool:
    app = QCoreApplication.instance()
    return app is None or QThread.currentThread() is app.thread()


def pending() -> list[Message]:
    """Messages waiting for a sink (for a window that wants to show what happened during start-up)."""
    with _lock:
        return list(_buffer)
