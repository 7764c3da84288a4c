"""The Listing workspace: graded units with their Back Market state, and "List on Back Market" for a batch."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from grading_station.backmarket.registry import ListingRegistry, UnitListing

from grading_station.services.listing_outbox import ListingFeed
from grading_station.services.listing_outcomes import SyncReport

from grading_station.ui import messages
from grading_station.ui.kit.background import run_in_background
from grading_station.ui.widgets import theme

from grading_station import log
from grading_station.errors import KnownError
from grading_station.i18n import _

COLUMNS = ("Serial", "Model", "Grade", "SKU", "Back Market")
_STATE_TITLES = {"pending": "Pending", "live": "Live", "offline": "Offline", "failed": "Failed"}
_STATE_COLOURS = {"failed": theme.ERROR, "live": theme.OK, "pending": theme.INFO, "offline": theme.MUTED}


def state_text(unit: UnitListing) -> str:
    """What the Back Market column says: the state, and the reason when it failed."""
    record = unit.listing
    if record is None or record.state == "pending":
        return "Pending" + (f": {record.reason}" if record and record.reason else "")
    if record.state == "failed":
        return f"Failed: {record.reason}"
    if record.state == "live":
        return f"Live ({record.quantity} on sale)"
    return f"Offline: {record.reason}" if record.reason else "Offline"


class ListingPanel(QWidget):
    """Units graded at this station and their listing state; lists the selected ones (or all not live) in
    one action with a progress bar.

    Signals: `batch_did_start(count)` when a batch leaves; `batch_did_finish(report)` with the SyncReport
    when it is done (also when it was deferred to the outbox); `batch_did_fail(message)` when Back Market
    refused it (e.g. an expired token). Other screens refresh on `batch_did_finish`.
    """

    batch_did_start = Signal(int)
    batch_did_finish = Signal(object)
    batch_did_fail = Signal(str)
    _progressed = Signal(int, int, str)

    def __init__(self, registry: ListingRegistry, feed: ListingFeed, identify: Callable[[str], str] = str.strip,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        theme.apply(self)
        self.registry, self.feed, self.identify = registry, feed, identify
        self.units: list[UnitListing] = []
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("listingTable")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setVisible(False)
        self.list_button = QPushButton("List on Back Market")
        self.list_button.setObjectName("listButton")
        self.list_button.setProperty("kind", "primary")
        self.list_button.setToolTip("List the selected units, or every unit not live when none is selected")
        self.list_button.clicked.connect(self.list_units)
        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.clicked.connect(self.refresh)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.status = QLabel("")
        self.status.setObjectName("listingStatus")
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.list_button)
        buttons.addWidget(self.refresh_button)
        buttons.addWidget(self.progress, 1)
        buttons.addStretch(0 if self.progress.isVisible() else 1)
        layout = QVBoxLayout(self)
        title = QLabel("Back Market listings")
        title.setProperty("role", "title")
        hint = QLabel("Units graded at this station. Select some (or none: every unit not yet live) and list "
                      "them in one go; each row shows its Back Market state.")
        hint.setProperty("role", "hint")
        hint.setWordWrap(True)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.setSpacing(12)
        layout.addWidget(title)
        layout.addWidget(hint)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        self._progressed.connect(self._show_progress)
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(300)
        self._refresh_timer.timeout.connect(self.refresh)

    # -- the workspace protocol (ui/kit/workspace.py) ---------------------------------------------
    def on_scan(self, raw: str, source: str) -> None:
        """A scan here selects that unit's row (to list it, or to see why it is not live)."""
        try:
            serial = self.identify(raw)
        except KnownError as exc:
            messages.error(exc.user_message, replace="scan")
            return
        row = next((i for i, unit in enumerate(self.units) if unit.serial == serial), None)
        if row is None:
            messages.warning(_("{serial} is not in the Listing: it has not been graded here yet.").format(
                serial=serial), replace="scan")
            return
        messages.clear("scan")
        self.table.selectRow(row)
        self.table.scrollToItem(self.table.item(row, 0))
        self.table.setFocus()

    def on_activate(self) -> None:
        self.table.setFocus()
        self.schedule_refresh()

    def schedule_refresh(self, _item: object = None) -> None:
        """Refresh soon, once for a burst of changes (connect `OutboxBridge.outbox_did_change` here)."""
        self._refresh_timer.start()

    def refresh(self) -> None:
        run_in_background(self, self.registry.units, success=self._fill)

    def _fill(self, units: list[UnitListing]) -> None:
        self.units = units
        self.table.setRowCount(len(units))
        for row, unit in enumerate(units):
            texts = (unit.serial, unit.model_name, unit.grade, unit.sku, state_text(unit))
            for col, text in enumerate(texts):
                item = QTableWidgetItem(text)
                if col == len(texts) - 1 and unit.state in _STATE_COLOURS:
                    item.setForeground(QColor(_STATE_COLOURS[unit.state]))
                    item.setToolTip(text)
                self.table.setItem(row, col, item)

    def selected_serials(self) -> list[str]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        if rows:
            return [self.units[r].serial for r in rows]
        return [u.serial for u in self.units if u.state != "live"]

    def list_units(self) -> None:
        serials = self.selected_serials()
        if not serials:
            self._show("Every unit is already live on Back Market.", "ok")
            return
        self.list_button.setEnabled(False)
        self.progress.setRange(0, 0)  # busy until the first variant is done
        self.progress.setVisible(True)
        self._show(f"Listing {len(serials)} units…", "busy")
        self.batch_did_start.emit(len(serials))

        def progress(done: int, total: int, what: str) -> None:
            self._progressed.emit(done, total, what)  # queued to the GUI thread

        run_in_background(
            self,
            lambda: self.feed.list_batch(serials, progress),
            success=self._finished,
            failure=self._failed,
        )

    def _show_progress(self, done: int, total: int, what: str) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.progress.setFormat(f"%v / %m SKUs · {what}")

    def _finished(self, report: SyncReport) -> None:
        self.list_button.setEnabled(True)
        self.progress.setVisible(False)
        counts = {s: len(report.by_state(s)) for s in ("live", "offline", "pending", "failed")}
        text = ", ".join(f"{n} {s}" for s, n in counts.items() if n) or "nothing to do"
        self._show(f"Back Market SKUs: {text}.", "error" if counts["failed"] else "ok")
        log.backmarket.info("batch listing: %s (%d requests)", text, report.requests)
        self.batch_did_finish.emit(report)
        self.refresh()

    def _failed(self, exc: BaseException) -> None:
        self.list_button.setEnabled(True)
        self.progress.setVisible(False)
        if not isinstance(exc, KnownError):
            log.ui.error("batch listing failed", exc_info=exc)
            message = "Listing stopped on an unexpected error (see the log in Activity)."
        else:
            message = exc.user_message
        self._show(message, "error")
        self.batch_did_fail.emit(message)
        self.refresh()

    def _show(self, text: str, state: str) -> None:
        self.status.setText(text)
        theme.set_state(self.status, state)
