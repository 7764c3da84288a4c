"""What the main window needs of a workspace: the scans it gets while shown, and where focus goes when shown."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from PySide6.QtWidgets import QWidget

from grading_station.errors import KnownError


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


def jump_to_scanned(raw: str, identify: Callable[[str], str], select: Callable[[str], bool], missing: str) -> bool:
    """The scan of a list workspace (Listing, Review): the serial read from `raw` selects its row; a bad scan or
    a serial the list does not hold is said in the message bar (`missing` has a `{serial}` placeholder)."""
    from grading_station.ui import messages  # (a workspace module imports the kit: keep this one light)

    try:
        serial = identify(raw)
    except KnownError as exc:
        messages.error(exc.user_message, replace="scan")
        return False
    if not select(serial):
        messages.warning(missing.format(serial=serial), replace="scan")
        return False
    messages.clear("scan")
    return True
