"""The main window comes back at the size and maximised state it was closed with; the first start fits."""

from __future__ import annotations

import pytest

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow

from grading_station.ui.window_state import STATE_FILE, remember_window

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _window(qtbot, config_dir) -> QMainWindow:
    window = QMainWindow()
    qtbot.add_widget(window)
    remember_window(window, config_dir)
    return window


def test_size_comes_back_after_a_restart(qtbot, tmp_path):
    first = _window(qtbot, tmp_path)
    first.setWindowState(Qt.WindowState.WindowNoState)
    first.show()
    first.resize(640, 420)
    qtbot.waitUntil(lambda: (first.width(), first.height()) == (640, 420))
    first.close()
    assert (tmp_path / STATE_FILE).exists()
    again = _window(qtbot, tmp_path)
    again.show()
    assert (again.width(), again.height()) == (640, 420) and not again.isMaximized()


def test_maximised_comes_back_maximised(qtbot, tmp_path):
    first = _window(qtbot, tmp_path)
    first.showMaximized()
    qtbot.waitUntil(first.isMaximized)
    first.close()
    again = _window(qtbot, tmp_path)
    assert again.windowState() & Qt.WindowState.WindowMaximized


def test_the_first_start_on_a_small_screen_is_maximised(qtbot, tmp_path):
    window = _window(qtbot, tmp_path)  # the offscreen screen is 800×600: smaller than a 1366×768 bench
    assert window.windowState() & Qt.WindowState.WindowMaximized


def test_an_unreadable_state_file_is_a_first_start(qtbot, tmp_path):
    (tmp_path / STATE_FILE).write_text("{not json", encoding="utf-8")
    window = _window(qtbot, tmp_path)
    assert window.windowState() & Qt.WindowState.WindowMaximized
