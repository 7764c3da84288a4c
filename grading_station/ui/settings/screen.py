"""The Settings workspace: the list of pages on the left, the chosen page on the right, Save below."""

from __future__ import annotations

import concurrent.futures

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from grading_station.ui import messages
from grading_station.ui.kit.background import run_in_background
from grading_station.ui.settings import general_pages, odoo_page  # noqa: F401  (they register their pages)
from grading_station.ui.settings.pages import (
    BlockingWork,
    PageFactory,
    SettingsContext,
    SettingsPage,
    ordered_pages,
)
from grading_station.ui.settings.setup_banner import SetupBanner
from grading_station.ui.widgets import theme

from grading_station import log
from grading_station.errors import InputError, KnownError
from grading_station.i18n import _


class SettingsScreen(QWidget):
    """Shows every registered Settings page; Save (Ctrl+S) validates all pages, then writes the settings file
    and the keyring off the GUI thread. Revert reloads the fields from the config.

    Signals:
        settings_did_save(): the settings file and keyring hold what the pages show.
    """

    settings_did_save = Signal()

    def __init__(self, context: SettingsContext, pages: list[PageFactory] | None = None, *,
                 first_run: bool = False) -> None:
        super().__init__()
        theme.apply(self)
        self.context = context
        # One writer thread: saves happen in the order the user asked for them.
        self._io = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="settings-io")
        self._fixed_pages = pages is not None
        self.pages: list[SettingsPage] = []
        self._factories: list[PageFactory] = []
        self.page_list = QListWidget()
        self.page_list.setObjectName("pageList")
        self.page_list.setFixedWidth(210)
        self.stack = QStackedWidget()
        for factory in pages if pages is not None else ordered_pages():
            self._add_page(factory, len(self.pages))
        self.page_list.currentRowChanged.connect(self.stack.setCurrentIndex)

        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.revert_button = QPushButton(_("Revert"))
        self.save_button = QPushButton(_("Save  (Ctrl+S)"))
        self.save_button.setProperty("kind", "primary")
        self.revert_button.clicked.connect(self.load)
        self.save_button.clicked.connect(self.save)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)

        buttons = QHBoxLayout()
        buttons.setContentsMargins(24, 8, 24, 12)
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        self.setup_banner = SetupBanner()
        self.setup_banner.setVisible(first_run)
        right = QVBoxLayout()
        right.setContentsMargins(0, 0, 0, 0)
        right.addWidget(self.setup_banner)
        right.addWidget(self.stack, 1)
        right.addLayout(buttons)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.page_list)
        row.addLayout(right, 1)

        self.destroyed.connect(lambda *_: self._io.shutdown(wait=False))
        self.load()
        self.page_list.setCurrentRow(0)

    # -- the workspace protocol (ui/kit/workspace.py) ---------------------------------------------
    def on_scan(self, raw: str, source: str) -> None:
        messages.info(_("Scans are not used in Settings: press F1 for the bench."), replace="scan")

    def on_activate(self) -> None:
        self.page_list.setFocus()

    def show_setup(self) -> None:
        """First run: the set-up steps above the Odoo page, its first field focused."""
        self.setup_banner.show()
        odoo = self.pages[0]
        self.page_list.setCurrentRow(0)
        first = odoo.findChild(QWidget, "odoo.url")
        if first is not None:
            first.setFocus()

    def _add_page(self, factory: PageFactory, index: int) -> None:
        page = factory(self.context)
        scroller = QScrollArea()
        scroller.setWidget(page)
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QScrollArea.Shape.NoFrame)
        self.pages.insert(index, page)
        self._factories.insert(index, factory)
        self.page_list.insertItem(index, _(page.title))
        self.stack.insertWidget(index, scroller)

    def add_registered_pages(self) -> None:
        """Build the pages registered since this screen was made (the camera's, loaded after start-up), each
        at its place in the order; the page shown stays shown."""
        if self._fixed_pages:
            return
        current = self.pages[self.page_list.currentRow()] if self.pages else None
        for factory in ordered_pages():
            if factory in self._factories:
                continue
            order = getattr(factory, "order", 100)
            index = sum(1 for f in self._factories if getattr(f, "order", 100) <= order)
            self._add_page(factory, index)
            self.pages[index].load()
        if current is not None:
            self.page_list.setCurrentRow(self.pages.index(current))

    def page(self, title: str) -> SettingsPage:
        return next(p for p in self.pages if p.title == title)

    def show_page(self, title: str) -> None:
        self.page_list.setCurrentRow(self.pages.index(self.page(title)))

    def load(self) -> None:
        for page in self.pages:
            page.load()
        self._say("", "")

    def save(self) -> None:
        work: list[BlockingWork] = []
        for page in self.pages:
            try:
                item = page.save()
            except InputError as exc:
                self.show_page(page.title)
                self._say(exc.user_message, "error")
                return
            if item is not None:
                work.append(item)
        self.save_button.setEnabled(False)
        self._say(_("Saving…"), "busy")

        def write() -> None:
            for item in work:
                item()
            self.context.config.save()

        run_in_background(self, write, success=self._saved, failure=self._save_failed, executor=self._io)

    def _saved(self, _result: object) -> None:
        self.save_button.setEnabled(True)
        if self.context.config.get("odoo.url"):
            self.setup_banner.hide()
        self._say(_("Settings saved."), "ok")
        log.app.info("settings saved", extra={"event": "settings_saved"})
        self.settings_did_save.emit()

    def _save_failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        if not isinstance(exc, KnownError):
            log.ui.error("saving the settings failed", exc_info=exc)  # a bug: keep the traceback
            exc = KnownError(_("The settings could not be saved (see the log in Activity)."))
        self._say(exc.user_message, "error")
        messages.error(exc.user_message, replace="settings")

    def _say(self, text: str, state: str) -> None:
        self.status.setText(text)
        theme.set_state(self.status, state)
        self.status.setAlignment(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft)
