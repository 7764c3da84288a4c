"""The main window: one workspace at a time (Bench, Listing, Activity, Settings, ...), switched by F-keys or the side
bar; every scan goes to the workspace shown."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
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

from grading_station.ui.kit.workspace import ScanTarget, Workspace
from grading_station.ui.widgets.message_bar import MessageBar

from grading_station.i18n import _


class MainWindow(QMainWindow):
    """Hosts the workspaces in a stack with a side bar of big buttons; the status bar shows the connection state
    and, in demo mode, that nothing here is real.

    Screens never call each other: each refreshes itself from the station events. The window only switches them
    and routes scans to the one shown (`route_scan`). Signals:
        workspace_did_change(key): another workspace is shown.
        window_will_close(): the user closed the window (Ctrl+Q or the title bar); the app saves its state.
    """

    workspace_did_change = Signal(str)
    window_will_close = Signal()

    def __init__(self, station: str) -> None:
        super().__init__()
        self.set_station_name(station)
        self._stack = QStackedWidget()
        self._buttons = QButtonGroup(self)
        self._buttons.setExclusive(True)
        self._side = QVBoxLayout()
        self._side.setContentsMargins(8, 8, 8, 8)
        self._side.setSpacing(8)
        self._workspaces: list[Workspace] = []
        self._badges: dict[str, int] = {}

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

        self.mode_label = QLabel("")
        self.mode_label.setObjectName("modeBanner")
        self.mode_label.hide()
        self.statusBar().addWidget(self.mode_label)
        self.connection_label = QLabel(_("Odoo: not connected"))
        self.connection_label.setObjectName("connectionState")
        self.statusBar().addPermanentWidget(self.connection_label)
        self.setStyleSheet(_STYLE)
        QShortcut(QKeySequence.StandardKey.Quit, self, self.close)
        QShortcut(QKeySequence("Ctrl+Q"), self, self.close)  # Quit has no standard key on Windows

    def set_station_name(self, station: str) -> None:
        self.setWindowTitle(_("Grading Station — {station}").format(station=station))

    def add_workspace(self, workspace: Workspace) -> None:
        button = QPushButton()
        button.setObjectName(f"workspace-{workspace.key}")
        button.setCheckable(True)
        button.setMinimumHeight(64)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keep focus in the workspace (the scan field)
        index = self._stack.addWidget(workspace.widget)
        self._buttons.addButton(button, index)
        self._side.insertWidget(self._side.count() - 1, button)
        button.clicked.connect(lambda: self.show_workspace(workspace.key))
        QShortcut(QKeySequence(workspace.shortcut), self, lambda: self.show_workspace(workspace.key))
        self._workspaces.append(workspace)
        self._label_button(workspace)
        if index == 0:
            button.setChecked(True)

    def _label_button(self, workspace: Workspace) -> None:
        button = self._buttons.button(self._workspaces.index(workspace))
        count = self._badges.get(workspace.key, 0)
        badge = f"  ● {count}" if count else ""
        button.setText(f"{workspace.title}{badge}\n{workspace.shortcut}")
        button.setProperty("alert", bool(count))
        button.style().unpolish(button)
        button.style().polish(button)

    def set_badge(self, key: str, count: int) -> None:
        """Show `count` (things needing attention, e.g. failing deliveries) on a workspace's button; 0 hides it."""
        self._badges[key] = max(0, count)
        self._label_button(self._workspace(key))

    def badge(self, key: str) -> int:
        return self._badges.get(key, 0)

    def show_workspace(self, key: str) -> None:
        workspace = self._workspace(key)
        index = self._workspaces.index(workspace)
        changed = index != self._stack.currentIndex()
        self._stack.setCurrentIndex(index)
        self._buttons.button(index).setChecked(True)
        widget = workspace.widget
        if isinstance(widget, ScanTarget):
            widget.on_activate()
        else:
            widget.setFocus()
        if changed:
            self.workspace_did_change.emit(key)

    def workspace_keys(self) -> list[str]:
        return [w.key for w in self._workspaces]

    def current_workspace(self) -> str:
        return self._workspaces[self._stack.currentIndex()].key

    def workspace_widget(self, key: str) -> QWidget:
        return self._workspace(key).widget

    def route_scan(self, raw: str, source: str) -> None:
        """Give a scan to the workspace shown (a workspace that takes no scans says so)."""
        widget = self._workspaces[self._stack.currentIndex()].widget
        if isinstance(widget, ScanTarget):
            widget.on_scan(raw, source)

    def set_connection_state(self, text: str, ok: bool) -> None:
        self.connection_label.setText(text)
        self.connection_label.setProperty("ok", ok)
        self.connection_label.style().unpolish(self.connection_label)
        self.connection_label.style().polish(self.connection_label)

    def set_mode_banner(self, text: str) -> None:
        """A permanent reminder of the mode (e.g. "DEMO — simulated Odoo and Back Market"); "" hides it."""
        self.mode_label.setText(text)
        self.mode_label.setVisible(bool(text))

    def _workspace(self, key: str) -> Workspace:
        return next(w for w in self._workspaces if w.key == key)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        self.window_will_close.emit()
        super().closeEvent(event)


_STYLE = """
#sideBar { background: #263238; }
#sideBar QPushButton { color: #eceff1; background: #37474f; border: none; border-radius: 6px;
                       font-size: 15px; font-weight: 600; padding: 6px; }
#sideBar QPushButton:checked { background: #1e88e5; color: white; }
#sideBar QPushButton[alert="true"] { color: #ffcdd2; }
#sideBar QPushButton[alert="true"]:checked { color: white; border: 3px solid #e53935; }
#connectionState { font-size: 13px; padding: 2px 8px; }
#connectionState[ok="true"] { color: #2e7d32; }
#connectionState[ok="false"] { color: #c62828; }
#modeBanner { font-size: 13px; font-weight: 700; color: white; background: #6a1b9a; padding: 2px 10px;
              border-radius: 4px; }
"""
