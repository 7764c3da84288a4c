"""App-wide keyboard-wedge filter: scanner bursts go to the ScanRouter from anywhere; typing is passed on."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit, QTextEdit, QWidget

from grading_station.domain.gs1 import gtin_check_ok
from grading_station.domain.identifiers import DEFAULT_SERIAL_PATTERNS, SerialPattern, parse_scan

from grading_station.hardware.scanbuffer import ScanBuffer, ScanOutput

from grading_station.ui.scan_router import ScanRouter

from grading_station.errors import InputError

_TERMINATOR_KEYS = {Qt.Key.Key_Return: "\r", Qt.Key.Key_Enter: "\r", Qt.Key.Key_Tab: "\t"}
_COMMAND_MODIFIERS = (
    Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier
)


SCAN_FIELDS = ("scanField",)  # object names of the fields made for scans (the bench's scan bar)
_ACCEPTS_SCANS = "acceptsScans"


def accept_scans(field: QWidget) -> None:
    """Mark a text field as made for scans (e.g. the model search takes a box's EAN): bursts there are scans."""
    field.setProperty(_ACCEPTS_SCANS, True)


def looks_like_scan(value: str, serial_patterns: Sequence[SerialPattern] = DEFAULT_SERIAL_PATTERNS) -> bool:
    """A value a scanner would send: an IMEI or serial the bench accepts (with the station's serial patterns),
    or a product barcode (GTIN)."""
    if value.isdigit() and len(value) in (8, 12, 13, 14) and gtin_check_ok(value):
        return True
    try:
        parse_scan(value, "", "", serial_patterns)
    except InputError:  # not an identifier: typing
        return False
    return True


def _is_free_text(widget: object) -> bool:
    if not isinstance(widget, (QLineEdit, QTextEdit, QPlainTextEdit)):
        return False
    if isinstance(widget, QLineEdit) and widget.isReadOnly():
        return False
    return widget.objectName() not in SCAN_FIELDS and widget.property(_ACCEPTS_SCANS) is not True


@dataclass
class _HeldKey:
    receiver: QObject
    key: int
    modifiers: Qt.KeyboardModifier
    text: str


class ScanFilter(QObject):
    """Installed on the QApplication (`app.installEventFilter(filter)`), it feeds every typed character to a
    pure ScanBuffer. Keys are held back while they may be the start of a scan (at most `max_interval_ms`, too
    short for a person to notice); a completed burst is submitted to the router as source "scanner" and its
    keys never reach the focused widget (so a serial scanned while the checklist has focus does not press
    "F" for fail); anything else is re-delivered to the widget it was meant for, in order.
    In a focused free-text field (a reason, a remark) a burst is a scan only if it ends like one and
    `is_scan(value)` agrees: a fast typist's words stay in the field. `clock_ms` is injectable for tests.
    """

    def __init__(
        self,
        router: ScanRouter,
        buffer: ScanBuffer,
        clock_ms: Callable[[], int] = lambda: int(time.monotonic() * 1000),
        parent: QObject | None = None,
        is_scan: Callable[[str], bool] = looks_like_scan,
    ) -> None:
        super().__init__(parent)
        self._is_scan = is_scan
        self._router = router
        self._buffer = buffer
        self._clock_ms = clock_ms
        self._held: list[_HeldKey] = []
        self._swallowed_releases: dict[
            int, int
        ] = {}  # key -> presses swallowed whose release is still to come
        self._replaying = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._poll)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        kind = event.type()
        if self._replaying or kind not in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            return False
        assert isinstance(event, QKeyEvent)
        char = self._char(event)
        if char is None:
            if kind == QEvent.Type.KeyPress and self._held:
                # Ctrl+S right after typing: the typed keys must land first, or Save sees the old value.
                self._timer.stop()
                self._deliver(self._buffer.interrupt())
            return False
        if kind == QEvent.Type.KeyRelease:
            return self._swallow_release(event.key())
        if event.isAutoRepeat():
            return False
        return self._press(watched, event, char)

    def _press(self, watched: QObject, event: QKeyEvent, char: str) -> bool:
        queued = len(self._held)
        if not self._buffer.holding:  # a burst keeps the rule of the field it started in
            self._buffer.free_text = self._is_scan if _is_free_text(QApplication.focusWidget()) else None
        out = self._buffer.feed(char, self._clock_ms())
        current_passes = len(out.typed) > queued  # the current key was released at once (e.g. Enter alone)
        self._deliver(out)
        if current_passes:
            return False
        if out.scans:
            self._note_swallowed(event.key())
            return True
        if self._buffer.holding:
            self._held.append(_HeldKey(watched, event.key(), event.modifiers(), event.text()))
            self._note_swallowed(event.key())
            self._arm_timer()
            return True
        return False

    def _deliver(self, out: ScanOutput) -> None:
        replay, self._held = self._held[: len(out.typed)], self._held[len(out.typed) :]
        self._replay(replay)
        if out.scans:
            self._held.clear()  # the held keys were the scan
            self._timer.stop()
        for scan in out.scans:
            self._router.submit(scan, "scanner")

    def _poll(self) -> None:
        self._deliver(self._buffer.poll(self._clock_ms()))
        if self._buffer.holding:
            self._arm_timer()

    def _arm_timer(self) -> None:
        deadline = self._buffer.deadline_ms()
        if deadline is not None:
            self._timer.start(max(1, deadline - self._clock_ms()))

    def _replay(self, keys: list[_HeldKey]) -> None:
        self._replaying = True
        try:
            for held in keys:
                receiver = QApplication.focusObject() or held.receiver
                for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                    QApplication.sendEvent(receiver, QKeyEvent(kind, held.key, held.modifiers, held.text))
        finally:
            self._replaying = False

    def _note_swallowed(self, key: int) -> None:
        self._swallowed_releases[key] = self._swallowed_releases.get(key, 0) + 1

    def _swallow_release(self, key: int) -> bool:
        count = self._swallowed_releases.get(key, 0)
        if not count:
            return False
        if count == 1:
            del self._swallowed_releases[key]
        else:
            self._swallowed_releases[key] = count - 1
        return True

    def _char(self, event: QKeyEvent) -> str | None:
        """The character a key contributes to a scan, or None for keys that are never part of one. A control
        character (Esc, GS...) inside a burst is held with it: a junk scan is then refused whole by the
        identifier check instead of its Esc reaching the focused screen (the checklist reads Esc as
        "discard?"); on its own it is a key like any other."""
        if event.modifiers() & _COMMAND_MODIFIERS:
            return None
        terminator = _TERMINATOR_KEYS.get(Qt.Key(event.key()))
        if terminator is not None:
            return terminator
        text = event.text()
        if len(text) != 1:
            return None
        return text if text.isprintable() or self._buffer.holding else None
