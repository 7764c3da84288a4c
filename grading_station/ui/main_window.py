"""The main window: one workspace at a time (Bench, Activity, Settings, ...), switched by F-keys or the side bar."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from grading_station.ui.widgets.message_bar import MessageBar


@dataclass(frozen=True)
class Workspace:
    key: str
    title: str
    widget: QWidget
    shortcut: str  # e.g. "F1"


class MainWindow(QMainWindow):
    """Hosts the workspaces in a stack with a side bar of big buttons; the status bar shows the connection state.

    Screens never call each other: each refreshes itself from the app's signals. The window only switches them.
    """

    def __init__(self, station: str) -> None:
        super().__init__()
        self.setWindowTitle(f"Grading Station — {station}")
        self._stack = QStackedWidget()
        self._buttons = QButtonGroup(self)
        self._buttons.setExclusive(True)
        self._side = QVBoxLayout()
        self._side.setContentsMargins(8, 8, 8, 8)
        self._side.setSpacing(8)
        self._keys: list[str] = []

        side = QWidget()
        side.setObjectName("sideBar")
        side.setLayout(self._side)
        side.setFixedWidth(170)
        self._side.addStretch(1)

        self.message_bar = MessageBar()
        right = QWidget()
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.message_bar)
        column.addWidget(self._stack, 1)

        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(side)
        row.addWidget(right, 1)
        self.setCentralWidget(central)

        self.connection_label = QLabel("Odoo: not connected")
        self.connection_label.setObjectName("connectionState")
        self.statusBar().addPermanentWidget(self.connection_label)
        self.setStyleSheet(_STYLE)

    def add_workspace(self, workspace: Workspace) -> None:
        button = QPushButton(f"{workspace.title}\n{workspace.shortcut}")
        button.setCheckable(True)
        button.setMinimumHeight(64)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keep focus in the workspace (the scan field)
        index = self._stack.addWidget(workspace.widget)
        self._buttons.addButton(button, index)
        self._side.insertWidget(self._side.count() - 1, button)
        button.clicked.connect(lambda: self.show_workspace(workspace.key))
        QShortcut(QKeySequence(workspace.shortcut), self, lambda: self.show_workspace(workspace.key))
        self._keys.append(workspace.key)
        if index == 0:
            button.setChecked(True)

    def show_workspace(self, key: str) -> None:
        index = self._keys.index(key)
        self._stack.setCurrentIndex(index)
        self._buttons.button(index).setChecked(True)
        self._stack.currentWidget().setFocus()

    def current_workspace(self) -> str:
        return self._keys[self._stack.currentIndex()]

    def set_connection_state(self, text: str, ok: bool) -> None:
        self.connection_label.setText(text)
        self.connection_label.setProperty("ok", ok)
        self.connection_label.style().unpolish(self.connection_label)
        self.connection_label.style().polish(self.connection_label)


_STYLE = """
#sideBar { background: #263238; }
#sideBar QPushButton { color: #eceff1; background: #37474f; border: none; border-radius: 6px;
                       font-size: 15px; font-weight: 600; padding: 6px; }
#sideBar QPushButton:checked { background: #1e88e5; color: white; }
#connectionState { font-size: 13px; padding: 2px 8px; }
#connectionState[ok="true"] { color: #2e7d32; }
#connectionState[ok="false"] { color: #c62828; }
"""
