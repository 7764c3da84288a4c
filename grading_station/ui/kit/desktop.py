"""Hand a file to the desktop's own program for its type (the PDF viewer for a certificate)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices


def open_with_desktop(path: Path) -> bool:
    """Open `path` with the desktop's program for its type; False when none took it."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
