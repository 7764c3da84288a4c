"""What the main window needs of a workspace: the scans it gets while shown, and where focus goes when shown."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from PySide6.QtWidgets import QWidget


@runtime_checkable
class ScanTarget(Protocol):
    """A workspace widget: the main window routes every scan (scanner burst, camera, typed + Enter) to the active
    one, so a scan on the Listing workspace reaches the Listing, never the bench behind it."""

    def on_scan(self, raw: str, source: str) -> None:
        """Handle a raw scan; `source` is "scanner", "camera" or "keyboard". Validation is the workspace's."""

    def on_activate(self) -> None:
        """The workspace was just shown: put the keyboard focus where its user needs it."""


@dataclass(frozen=True)
class Workspace:
    """One entry of the side bar: `title` (already translated), its F-key, and the widget it shows."""

    key: str
    title: str
    widget: QWidget
    shortcut: str  # e.g. "F1"
