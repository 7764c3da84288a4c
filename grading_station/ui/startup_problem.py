"""The window shown instead of the station when it cannot start (local database damaged or in use)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from grading_station.ui.widgets import theme

from grading_station.i18n import _


@dataclass(frozen=True)
class StartupProblem:
    """Why the station cannot start, in the user's words; `path` is the file concerned; `can_set_aside` offers
    to move a damaged file aside (kept, never deleted: it may hold gradings not delivered yet)."""

    message: str
    path: Path | None = None
    can_set_aside: bool = False


class StartupProblemWindow(QWidget):
    """Says what stops the start-up and what to do; Retry (Enter) tries again once the user fixed it.

    Signals:
        retry_did_request(): try starting again.
        set_aside_did_request(): move the damaged file aside, then start again with a fresh one.
    """

    retry_did_request = Signal()
    set_aside_did_request = Signal()

    def __init__(self, problem: StartupProblem) -> None:
        super().__init__()
        theme.apply(self)
        self.setWindowTitle(_("Grading Station cannot start"))
        self.problem = problem
        title = QLabel(_("Grading Station cannot start"))
        title.setProperty("role", "title")
        self.message = QLabel(problem.message)
        self.message.setObjectName("startupProblem")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.setStyleSheet("font-size: 17px;")
        self.retry_button = QPushButton(_("Try again  (Enter)"))
        self.retry_button.setProperty("kind", "primary")
        self.retry_button.setDefault(True)
        self.retry_button.clicked.connect(self.retry_did_request)
        self.folder_button = QPushButton(_("Open the folder"))
        self.folder_button.setVisible(problem.path is not None)
        self.folder_button.clicked.connect(self._open_folder)
        self.set_aside_button = QPushButton(_("Set the damaged file aside and start fresh"))
        self.set_aside_button.setVisible(problem.can_set_aside)
        self.set_aside_button.clicked.connect(self.set_aside_did_request)
        self.quit_button = QPushButton(_("Quit  (Ctrl+Q)"))
        self.quit_button.clicked.connect(self.close)
        buttons = QHBoxLayout()
        for button in (self.retry_button, self.folder_button, self.set_aside_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.quit_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.setSpacing(16)
        layout.addWidget(title)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addLayout(buttons)
        QShortcut(QKeySequence("Return"), self, self.retry_did_request.emit)
        QShortcut(QKeySequence("Enter"), self, self.retry_did_request.emit)
        QShortcut(QKeySequence("Ctrl+Q"), self, self.close)
        self.resize(900, 420)

    def _open_folder(self) -> None:
        if self.problem.path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.problem.path.parent)))
