"""The Activity workspace: what the outbox holds and how delivery goes, in the user's words, with the
technical details a click away, a Retry button, the log tail and a button opening the log file."""

from __future__ import annotations

import concurrent.futures
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Property, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from grading_station.ui import messages
from grading_station.ui.activity.log_view import LogTailView
from grading_station.ui.activity.outbox_model import OutboxModel
from grading_station.ui.activity.wording import ItemWords, words_of
from grading_station.ui.kit.background import run_in_background
from grading_station.ui.widgets import theme

from grading_station import log
from grading_station.i18n import N_, _
from grading_station.log import TAIL, TailHandler

# The summary line, most urgent first.
_COUNT_WORDS = (("failing", N_("{n} failing")), ("pending", N_("{n} waiting")),
                ("delivering", N_("{n} sending")), ("delivered", N_("{n} delivered")))


class OnStoreThread:
    """Runs `run_in_background` work on the store's own thread: a StoreExecutor hands the SQLite connection
    to what it runs, while the outbox methods called inside need none (they see they are on that thread)."""

    def __init__(self, store_executor: Any) -> None:
        self._executor = store_executor

    def submit(self, fn: Callable[[], Any]) -> concurrent.futures.Future:
        return self._executor.submit(lambda _conn: fn())


class ActivityPanel(QWidget):
    """Shows the outbox (newest first) in the user's words, the selected item's technical details (with a Copy
    button), and the log tail; refreshes itself when `events.outbox_did_change` fires (ui/kit/events.EventSignals)
    or when it is shown, reading the store on the thread of `store_executor` (a StoreExecutor), never on the GUI
    thread.

    Retry puts the selected failing item back in the queue (`outbox.retry_now`, audited under `actor()`, the
    technician) and calls `wake` (the deliverer's wake-up) so it is attempted at once. "Open log file" opens
    `log_file` with the system's viewer; without one the button is hidden.

    Signals:
        failing_count_did_change(int): how many outbox items are failing changed (after a refresh); for a
            badge on the side bar. The current value is the `failing_count` property.
    """

    failing_count_did_change = Signal(int)

    def __init__(self, outbox: Any, events: Any, store_executor: Any, *,
                 wake: Callable[[], None] = lambda: None, actor: Callable[[], str] = lambda: "",
                 tail: TailHandler = TAIL, limit: int = 300, debounce_ms: int = 150,
                 log_file: Path | None = None,
                 open_url: Callable[[QUrl], object] = QDesktopServices.openUrl,
                 tz: dt.tzinfo | None = None) -> None:
        super().__init__()
        theme.apply(self)
        self.outbox, self.executor = outbox, OnStoreThread(store_executor)
        self.wake, self.actor, self.limit = wake, actor, limit
        self.log_file, self._open_url, self._tz = log_file, open_url, tz
        self._failing = 0
        self.model = OutboxModel()
        self.table = QTableView()
        self.table.setObjectName("outboxTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(36)
        header = self.table.horizontalHeader()
        for column, mode in enumerate((QHeaderView.ResizeMode.ResizeToContents,
                                       QHeaderView.ResizeMode.Interactive, QHeaderView.ResizeMode.Stretch)):
            header.setSectionResizeMode(column, mode)
        header.resizeSection(1, 420)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

        self.summary = QLabel("")
        self.summary.setObjectName("outboxSummary")
        self.retry_button = QPushButton(_("&Retry"))
        self.retry_button.setEnabled(False)
        self.retry_button.setToolTip(_("Send the selected failing item again now (Alt+R)"))
        self.retry_button.clicked.connect(self.retry_selected)
        self.open_log_button = QPushButton(_("Open log file"))
        self.open_log_button.setObjectName("openLogFile")
        self.open_log_button.setToolTip(str(log_file) if log_file else "")
        if log_file is None:  # hide only: a widget shown before it has a parent opens as a window of its own
            self.open_log_button.hide()
        self.open_log_button.clicked.connect(self.open_log_file)
        self.log_view = LogTailView(tail)
        # The table elides long text: the selected item's whole sentence, then its technical side.
        self.detail = QLabel("")
        self.detail.setObjectName("outboxDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = QPlainTextEdit()
        self.details.setObjectName("outboxDetails")
        self.details.setReadOnly(True)
        self.details.setMaximumHeight(130)
        self.details.setPlaceholderText(_("Select an item to see its technical details."))
        self.details.setStyleSheet("font-family: monospace;")
        self.copy_button = QPushButton(_("Copy details"))
        self.copy_button.setEnabled(False)
        self.copy_button.setToolTip(_("Copy the selected item's details, e.g. for a support request"))
        self.copy_button.clicked.connect(self.copy_details)

        title = QLabel(_("Outbox"))
        title.setProperty("role", "title")
        top_bar = QHBoxLayout()
        top_bar.addWidget(title)
        top_bar.addWidget(self.summary, 1)
        top_bar.addWidget(self.retry_button)
        details_bar = QHBoxLayout()
        details_bar.addWidget(self.details, 1)
        details_bar.addWidget(self.copy_button, 0, Qt.AlignmentFlag.AlignTop)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(24, 16, 24, 4)
        top_layout.addLayout(top_bar)
        top_layout.addWidget(self.table, 1)
        top_layout.addWidget(self.detail)
        top_layout.addLayout(details_bar)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(24, 4, 24, 16)
        log_bar = QHBoxLayout()
        log_title = QLabel(_("Log"))
        log_title.setProperty("role", "title")
        log_bar.addWidget(log_title, 1)
        log_bar.addWidget(self.open_log_button)
        bottom_layout.addLayout(log_bar)
        bottom_layout.addWidget(self.log_view, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        QVBoxLayout(self).addWidget(splitter)
        self.layout().setContentsMargins(0, 0, 0, 0)

        # Bursts of changes (a queue draining) become one reload.
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(debounce_ms)
        self._debounce.timeout.connect(self.refresh)
        events.outbox_did_change.connect(lambda _event: self._debounce.start())

    # -- the workspace protocol (ui/kit/workspace.py) ---------------------------------------------
    def on_scan(self, raw: str, source: str) -> None:
        """A scan here selects the newest outbox item of that unit (to see what happened to it)."""
        wanted = raw.strip().upper()
        row = next((i for i, r in enumerate(self.model.rows) if wanted and wanted in r.unit.upper()), None)
        if row is None:
            messages.warning(_("Nothing in the outbox for {serial}.").format(serial=raw.strip()), replace="scan")
            return
        messages.clear("scan")
        self.table.selectRow(row)
        self.table.setFocus()

    def on_activate(self) -> None:
        self.table.setFocus()
    def _get_failing_count(self) -> int:
        return self._failing

    failing_count = Property(int, _get_failing_count, notify=failing_count_did_change)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self.refresh()
        super().showEvent(event)

    def refresh(self) -> None:
        outbox, limit, tz = self.outbox, self.limit, self._tz

        def read() -> tuple[list[ItemWords], dict[str, int]]:
            return [words_of(item, tz) for item in outbox.list_items(limit=limit)], outbox.counts()

        run_in_background(self, read, success=self._show_rows, failure=self._read_failed,
                          executor=self.executor)

    def _show_rows(self, result: tuple[list[ItemWords], dict[str, int]]) -> None:
        rows, counts = result
        selected = self.selected_row()
        self.model.set_rows(rows)
        if selected is not None:
            for index, row in enumerate(rows):
                if row.item_id == selected.item_id:
                    self.table.selectRow(index)
        parts = [_(words).format(n=counts[state]) for state, words in _COUNT_WORDS if counts.get(state)]
        self.summary.setText(" · ".join(parts) or _("Nothing to send."))
        theme.set_state(self.summary, "error" if counts.get("failing") else "")
        self._selection_changed()
        if counts.get("failing", 0) != self._failing:
            self._failing = counts.get("failing", 0)
            self.failing_count_did_change.emit(self._failing)

    def _read_failed(self, exc: BaseException) -> None:
        log.ui.warning("the outbox could not be read: %s", exc)
        self.summary.setText(_("The outbox could not be read (see the log)."))
        theme.set_state(self.summary, "error")

    def selected_row(self) -> ItemWords | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()] if rows and rows[0].row() < len(self.model.rows) else None

    def _selection_changed(self, *_args) -> None:
        row = self.selected_row()
        self.retry_button.setEnabled(row is not None and row.retryable)
        self.copy_button.setEnabled(row is not None)
        self.detail.setText(row.sentence if row is not None else "")
        self.details.setPlainText(row.technical if row is not None else "")
        theme.set_state(self.detail, "error" if row is not None and row.needs_attention else "")

    def copy_details(self) -> None:
        row = self.selected_row()
        if row is not None:
            QGuiApplication.clipboard().setText(f"{row.sentence}\n{row.technical}")

    def open_log_file(self) -> None:
        if self.log_file is not None:
            self._open_url(QUrl.fromLocalFile(str(self.log_file)))

    def retry_selected(self) -> None:
        row = self.selected_row()
        if row is None or not row.retryable:
            return
        self.retry_button.setEnabled(False)
        outbox, item_id, actor = self.outbox, row.item_id, self.actor()
        run_in_background(self, lambda: outbox.retry_now(item_id, actor=actor), success=self._retried,
                          failure=self._read_failed, executor=self.executor)

    def _retried(self, _result: object) -> None:
        self.wake()  # the retry changed the outbox: its change signal refreshes this panel
