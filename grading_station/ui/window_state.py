"""The main window's size, place and maximised state, remembered between runs (kept apart from the settings)."""

from __future__ import annotations

import base64
import json
from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, QObject, Qt
from PySide6.QtWidgets import QWidget

from grading_station import log

STATE_FILE = "window-state.json"  # in Paths.config_dir: `persist` state, not a setting a person edits
SMALL_SCREEN = (1440, 900)  # at or below this (e.g. a 1366×768 bench screen) the first start is maximised


def remember_window(window: QWidget, config_dir: Path) -> None:
    """Call once, before `window.show()`: restores the last size and maximised state (or, the first time,
    fits the screen: maximised on a small one, so the status bar is never below its edge) and saves them
    whenever the window closes."""
    path = Path(config_dir) / STATE_FILE
    if not restore_window(window, path):
        fit_screen(window)
    window.installEventFilter(_SaveOnClose(window, path))


def restore_window(window: QWidget, path: Path) -> bool:
    """Apply the saved state; False when there is none (or it cannot be read)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        geometry = QByteArray(base64.b64decode(data["geometry"]))
    except (OSError, ValueError, KeyError, TypeError):
        return False
    if not window.restoreGeometry(geometry):  # Qt moves a window from a screen that is gone back on screen
        return False
    if data.get("maximized"):
        window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)
    return True


def save_window(window: QWidget, path: Path) -> None:
    data = {
        "geometry": base64.b64encode(bytes(window.saveGeometry().data())).decode("ascii"),
        "maximized": window.isMaximized(),
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data), encoding="utf-8")
    except OSError as exc:  # a read-only profile: the next start simply fits the screen again
        log.app.info("window state not saved: %s", exc)


def fit_screen(window: QWidget) -> None:
    screen = window.screen()
    if screen is None:
        return
    available = screen.availableGeometry()
    if available.width() <= SMALL_SCREEN[0] or available.height() <= SMALL_SCREEN[1]:
        window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)
    else:
        window.resize(min(window.width(), available.width()), min(window.height(), available.height()))


class _SaveOnClose(QObject):
    def __init__(self, window: QWidget, path: Path) -> None:
        super().__init__(window)
        self._path = path

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.Close and isinstance(watched, QWidget):
            save_window(watched, self._path)
        return False
