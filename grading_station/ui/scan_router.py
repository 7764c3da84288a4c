"""The one entry point for scans: the keyboard-wedge filter, the camera and typed input all submit here."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class ScanRouter(QObject):
    """Forwards every raw scan to whoever handles scans (the active workspace).

    Signals:
        scan_did_arrive(raw: str, source: str): a raw value arrived; `source` is "scanner", "camera" or "keyboard".
            Receivers normalise and validate it (grading_station.domain.identifiers) the same way whatever
            the source.
    """

    scan_did_arrive = Signal(str, str)

    def submit(self, raw: str, source: str) -> None:
        self.scan_did_arrive.emit(raw, source)
