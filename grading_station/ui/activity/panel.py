"""The Activity workspace: what the outbox holds and how delivery goes, a Retry button, and the log tail."""

from __future__ import annotations

import concurrent.futures
from collections import Counter
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from grading_station.ui import messages
from grading_station.ui.activity.log_view import LogTailView
from grading_station.ui.activity.outbox_model import STATE_TITLES, OutboxModel, OutboxRow, row_of
from grading_station.ui.kit.background import run_in_background
from grading_station.ui.widgets import theme

from grading_station import log
from grading_station.i18n import _
from grading_station.log import TAIL, TailHandler


class OnStoreThread:
    """Runs `run_in_background` work on the store's own thread: a StoreExecutor hands the SQLite connection
    to what it runs, while the outbox methods called inside need none (they see they are on that thread)."""

    def __init__(self, store_executor: Any) -> None:
        self._executor = store_executor

    def submit(self, fn: Callable[[], Any]) -> concurrent.futures.Future:
        return self._executor.submit(lambda _conn: fn())


class ActivityPanel(QWidget):
    """Shows the outbox (newest first) and the log tail; refreshes itself when `events.outbox_did_change`
    (ui/kit/events.EventSignals) fires or when it is shown, reading the store on the thread of `store_executor`
    (a StoreExecutor), never on the GUI thread.

    Retry puts the selected failing item back in the queue (`outbox.retry_now`, audited under `actor()`, the
    technician) and calls `wake` (the deliverer's wake-up) so it is attempted at once.
    """

    def __init__(self, outbox: Any, events: Any, store_executor: Any, *,
                 wake: Callable[[], None] = lambda: None, actor: Callable[[], str] = lambda: "",
                 tail: TailHandler = TAIL, limit: int = 300,
                 debounce_ms: int = 150) -> None:
        super().__init__()
        theme.apply(self)
        self.outbox, self.executor = outbox, OnStoreThread(store_executor)
        self.wake, self.actor, self.limit = wake, actor, limit
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
        for column, mode in enumerate((QHeaderView.ResizeMode.ResizeToContents,) * 2
                                      + (QHeaderView.ResizeMode.Stretch,)
                                      + (QHeaderView.ResizeMode.ResizeToContents,) * 2):
            header.setSectionResizeMode(column, mode)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

        self.summary = QLabel("")
        self.summary.setObjectName("outboxSummary")
        self.retry_button = QPushButton("&Retry")
        self.retry_button.setEnabled(False)
        self.retry_button.setToolTip("Send the selected failing item again now (Alt+R)")
        self.retry_button.clicked.connect(self.retry_selected)
        self.log_view = LogTailView(tail)
        # The table elides long reasons; the selected item's whole reason is spelled out here.
        self.detail = QLabel("")
        self.detail.setObjectName("outboxDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        title = QLabel("Outbox")
        title.setProperty("role", "title")
        top_bar = QHBoxLayout()
        top_bar.addWidget(title)
        top_bar.addWidget(self.summary, 1)
        top_bar.addWidget(self.retry_button)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(24, 16, 24, 4)
        top_layout.addLayout(top_bar)
        top_layout.addWidget(self.table, 1)
        top_layout.addWidget(self.detail)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(24, 4, 24, 16)
        log_title = QLabel("Log")
        log_title.setProperty("role", "title")
        bottom_layout.addWidget(log_title)
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

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self.refresh()
        super().showEvent(event)

    def refresh(self) -> None:
        outbox, limit = self.outbox, self.limit
        run_in_background(self, lambda: [row_of(item) for item in outbox.list_items(limit=limit)],
                          success=self._show_rows, failure=self._read_failed, executor=self.executor)

    def _show_rows(self, rows: list[OutboxRow]) -> None:
        selected = self.selected_row()
        self.model.set_rows(rows)
        if selected is not None:
            for index, row in enumerate(rows):
                if row.item_id == selected.item_id:
                    self.table.selectRow(index)
        counts = Counter(row.state for row in rows)
        parts = [f"{counts[state]} {STATE_TITLES[state].lower().rstrip('…')}"
                 for state in ("failing", "pending", "delivering", "delivered") if counts[state]]
        self.summary.setText(" · ".join(parts) or "Nothing to send.")
        theme.set_state(self.summary, "error" if counts["failing"] else "")
        self._selection_changed()

    def _read_failed(self, exc: BaseException) -> None:
        log.ui.warning("the outbox could not be read: %s", exc)
        self.summary.setText("The outbox could not be read (see the log).")
        theme.set_state(self.summary, "error")

    def selected_row(self) -> OutboxRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()] if rows and rows[0].row() < len(self.model.rows) else None

    def _selection_changed(self, *_args) -> None:
        row = self.selected_row()
        self.retry_button.setEnabled(row is not None and row.retryable)
        failing = row is not None and row.state == "failing"
        self.detail.setText(f"{row.unit}: {row.reason}" if failing and row.reason else "")
        theme.set_state(self.detail, "error" if failing else "")

    def retry_selected(self) -> None:
        row = self.selected_row()
        if row is None or not row.retryable:
            return
        self.retry_button.setEnabled(False)
        outbox, item_id, actor = self.outbox, row.item_id, self.actor()
        run_in_background(self, lambda: outbox.retry_now(item_id, actor=actor), success=self._retried,
                          failure=self._read_failed, executor=self.executor)

    def _retried(self, _result: object) -> None:
        self.wake()  # the retry changed the outbox: its event refreshes this panel
