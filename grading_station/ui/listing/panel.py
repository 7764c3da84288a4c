"""The Listing workspace: graded units with their Back Market state, and "List on Back Market" for a batch."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QShowEvent
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

from grading_station.services.listing_outbox import ListingFeed
from grading_station.services.listing_outcomes import SyncReport
from grading_station.services.listing_overview import NO_VALUE, ListingOverview, Overview, OverviewRow

from grading_station.ui.kit.background import run_in_background, show_failure
from grading_station.ui.kit.workspace import jump_to_scanned
from grading_station.ui.listing.states import state_text
from grading_station.ui.widgets import theme

from grading_station import log
from grading_station.errors import KnownError
from grading_station.i18n import N_, _

# Fixed columns before the per-market prices, and the last one after them.
_LEADING = (N_("Serial"), N_("Model"), N_("Grade"), N_("Location"), N_("SKU"), N_("On sale"))
_STATE_COLUMN = N_("Back Market")
# Model, then SKU, give way on a small screen (elided, full text in the tooltip), down to these widths (pixels)
_SHRINKABLE = {1: 140, 4: 190}
_STATE_MIN_WIDTH = 170
_STATE_COLOURS = {"failed": theme.ERROR, "live": theme.OK, "pending": theme.INFO, "offline": theme.MUTED}
_STATES = {"live": N_("live"), "offline": N_("offline"), "pending": N_("pending"), "failed": N_("failed")}
_ENVIRONMENTS = {"production": N_("production"), "preprod": N_("preprod (test account)")}


class ListingPanel(QWidget):
    """Every graded unit in stock in Odoo (any station's) with its SKU, the quantity and prices last pushed and
    the Back Market state; lists the selected ones (or all not live) in one action with a progress bar. A
    header names the Back Market in use (or the demo simulator); when Odoo cannot be reached the table shows
    this station's units and says so.

    Signals: `batch_did_start(count)` when a batch leaves; `batch_did_finish(report)` with the SyncReport
    when it is done (also when it was deferred to the outbox); `batch_did_fail(message)` when Back Market
    refused it (e.g. an expired token). Other screens refresh on `batch_did_finish`.
    """

    batch_did_start = Signal(int)
    batch_did_finish = Signal(object)
    batch_did_fail = Signal(str)
    _progressed = Signal(int, int, str)

    def __init__(
        self,
        overview: ListingOverview,
        feed: ListingFeed,
        *,
        demo: bool = False,
        identify: Callable[[str], str] = str.strip,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        theme.apply(self)
        self.overview, self.feed, self.demo, self.identify = overview, feed, demo, identify
        self.registry = overview.registry
        self.units: list[OverviewRow] = []
        self.markets: tuple[str, ...] = ()
        self.table = QTableWidget(0, 0)
        self.table.setObjectName("listingTable")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)  # fitted in _fit_columns
        self.table.verticalHeader().setVisible(False)
        self.table.viewport().installEventFilter(self)
        self._set_columns(())
        self.list_button = QPushButton(_("List on Back Market"))
        self.list_button.setObjectName("listButton")
        self.list_button.setProperty("kind", "primary")
        self.list_button.setToolTip(_("List the selected units, or every unit not live when none is selected"))
        self.list_button.clicked.connect(self.list_units)
        self.refresh_button = QPushButton(_("Refresh"))
        self.refresh_button.clicked.connect(self.refresh)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.status = QLabel("")
        self.status.setObjectName("listingStatus")
        self.status.setWordWrap(True)
        self.status.setVisible(False)  # no empty gap above the table until there is something to say
        self.target = QLabel("")  # which Back Market: environment and address, or the demo simulator
        self.target.setObjectName("backmarketTarget")
        self.target.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.source_note = QLabel("")  # why the table is not Odoo's full picture
        self.source_note.setObjectName("listingSourceNote")
        self.source_note.setWordWrap(True)
        self.source_note.setVisible(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.list_button)
        buttons.addWidget(self.refresh_button)
        buttons.addWidget(self.progress, 1)
        buttons.addStretch(0 if self.progress.isVisible() else 1)
        layout = QVBoxLayout(self)
        title = QLabel(_("Back Market listings"))
        title.setProperty("role", "title")
        hint = QLabel(_("Every graded unit in stock in Odoo. Select some (or none: every unit not yet live) and "
                        "list them in one go; each row shows its SKU's quantity on sale, prices and state."))
        hint.setProperty("role", "hint")
        hint.setWordWrap(True)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.setSpacing(12)
        layout.addWidget(title)
        layout.addWidget(self.target)
        layout.addWidget(hint)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addWidget(self.source_note)
        layout.addWidget(self.table, 1)
        self._progressed.connect(self._show_progress)
        self._closed = False
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(300)
        self._refresh_timer.timeout.connect(self.refresh)

    # -- the workspace protocol (ui/kit/workspace.py) ---------------------------------------------
    def on_scan(self, raw: str, source: str) -> None:
        """A scan here selects that unit's row (to list it, or to see why it is not live)."""
        if jump_to_scanned(raw, self.identify, self.select_serial,
                           _("{serial} is not in the Listing: it is not graded in stock.")):
            self.table.setFocus()

    def on_activate(self) -> None:
        self.table.setFocus()
        self.schedule_refresh()

    def schedule_refresh(self, _item: object = None) -> None:
        """Refresh soon, once for a burst of changes (the station events' signals connect here)."""
        self._refresh_timer.start()

    def refresh(self) -> None:
        if self._closed:
            return
        run_in_background(self, self.overview.read, success=self._fill, failure=self._read_failed)

    def _read_failed(self, exc: BaseException) -> None:
        if not self._closed:  # a read in flight when the station stopped finds its database closed: expected
            show_failure(exc, replace="listing")

    def shutdown(self) -> None:
        """The station is stopping: no more reads (its registry is about to close)."""
        self._closed = True
        self._refresh_timer.stop()

    def _set_columns(self, markets: tuple[str, ...]) -> None:
        self.markets = markets
        titles = [_(t) for t in _LEADING] + list(markets) + [_(_STATE_COLUMN)]
        self.table.setColumnCount(len(titles))
        self.table.setHorizontalHeaderLabels(titles)
        for col, market in enumerate(markets, start=len(_LEADING)):
            self.table.horizontalHeaderItem(col).setToolTip(_("Price last pushed in {market}").format(market=market))

    def _fill(self, overview: Overview) -> None:
        self._show_target(overview)
        self.source_note.setText(overview.note)
        self.source_note.setToolTip(overview.detail)
        self.source_note.setVisible(bool(overview.note))
        theme.set_state(self.source_note, "warn" if overview.note else "")
        if overview.markets != self.markets:
            self._set_columns(overview.markets)
        self.units = overview.rows
        self.table.setRowCount(len(overview.rows))
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for row, unit in enumerate(overview.rows):
            quantity = NO_VALUE if unit.quantity is None else str(unit.quantity)
            texts = [unit.serial, unit.model_name, unit.grade, unit.location or NO_VALUE, unit.sku or NO_VALUE,
                     quantity, *(unit.prices[m] for m in overview.markets), state_text(unit)]
            for col, text in enumerate(texts):
                item = QTableWidgetItem(text)
                if col >= len(_LEADING) - 1 and col < len(texts) - 1:  # numbers line up on the right
                    item.setTextAlignment(right)
                if col == len(texts) - 1:
                    item.setToolTip(text)
                    if unit.state in _STATE_COLOURS:
                        item.setForeground(QColor(_STATE_COLOURS[unit.state]))
                if col in _SHRINKABLE:
                    item.setToolTip(text)  # the full name when the column is narrowed
                self.table.setItem(row, col, item)
        self._fit_columns()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_columns()  # the table's own width changed (window resized, side panel shown)
        return super().eventFilter(watched, event)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        self.schedule_refresh()  # F2 shows what Odoo has now (other benches commit meanwhile)

    def _fit_columns(self) -> None:
        """Columns as wide as their text; on a narrow screen Model and SKU give way so the Back Market state
        keeps a readable width (past that, the table scrolls sideways)."""
        if self.table.columnCount() == 0:
            return
        self.table.resizeColumnsToContents()
        last = self.table.columnCount() - 1
        room = self.table.viewport().width() - _STATE_MIN_WIDTH
        excess = sum(self.table.columnWidth(c) for c in range(last)) - room
        for col, floor in _SHRINKABLE.items():
            if excess <= 0:
                break
            width = self.table.columnWidth(col)
            narrower = max(floor, width - excess)
            self.table.setColumnWidth(col, narrower)
            excess -= width - narrower
        # the state takes what is left (a long failure reason is elided, whole in the tooltip), not its text width
        others = sum(self.table.columnWidth(c) for c in range(last))
        self.table.setColumnWidth(last, max(_STATE_MIN_WIDTH, self.table.viewport().width() - others))

    def _show_target(self, overview: Overview) -> None:
        target = overview.backmarket
        if self.demo:
            text = _("DEMO — Back Market simulator at {url}: nothing is sold").format(url=target.base_url)
        else:
            environment = _(_ENVIRONMENTS.get(target.environment, target.environment))
            text = _("Back Market {region}, {environment}: {url}").format(
                region=target.region, environment=environment, url=target.base_url
            )
        self.target.setText(text)
        theme.set_state(self.target, "warn" if self.demo or target.environment != "production" else "busy")

    def select_serial(self, serial: str) -> bool:
        """Select the row of `serial` (e.g. a scan while the workspace shows); False when it is not listed."""
        for row, unit in enumerate(self.units):
            if unit.serial == serial:
                self.table.selectRow(row)
                self.table.scrollToItem(self.table.item(row, 0))
                return True
        return False

    def selected_serials(self) -> list[str]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        if rows:
            return [self.units[r].serial for r in rows]
        return [u.serial for u in self.units if u.state != "live"]

    def selected_variants(self) -> list[int]:
        """The variants of the selected rows (or of every unit not live): any station's units, from Odoo."""
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        units = [self.units[r] for r in rows] if rows else [u for u in self.units if u.state != "live"]
        return sorted({u.variant_id for u in units if u.variant_id})

    def list_units(self) -> None:
        serials = self.selected_serials()
        variants = self.selected_variants()
        if not serials:
            self._show(_("Every unit is already live on Back Market."), "ok")
            return
        self.list_button.setEnabled(False)
        self.progress.setRange(0, 0)  # busy until the first variant is done
        self.progress.setVisible(True)
        self._show(_("Listing {count} units…").format(count=len(serials)), "busy")
        self.batch_did_start.emit(len(serials))

        def progress(done: int, total: int, what: str) -> None:
            self._progressed.emit(done, total, what)  # queued to the GUI thread

        run_in_background(
            self,
            lambda: self.feed.list_variants(variants, progress),
            success=self._finished,
            failure=self._failed,
        )

    def _show_progress(self, done: int, total: int, what: str) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.progress.setFormat(_("%v / %m SKUs · {what}").format(what=what))

    def _finished(self, report: SyncReport) -> None:
        self.list_button.setEnabled(True)
        self.progress.setVisible(False)
        counts = {s: len(report.by_state(s)) for s in ("live", "offline", "pending", "failed")}
        text = ", ".join(f"{n} {s}" for s, n in counts.items() if n) or "nothing to do"
        shown = ", ".join(
            _("{count} {state}").format(count=n, state=_(_STATES[s])) for s, n in counts.items() if n
        ) or _("nothing to do")
        self._show(_("Back Market SKUs: {summary}.").format(summary=shown), "error" if counts["failed"] else "ok")
        log.backmarket.info("batch listing: %s (%d requests)", text, report.requests)
        self.batch_did_finish.emit(report)
        self.refresh()

    def _failed(self, exc: BaseException) -> None:
        self.list_button.setEnabled(True)
        self.progress.setVisible(False)
        if not isinstance(exc, KnownError):
            log.ui.error("batch listing failed", exc_info=exc)
            message = _("Listing stopped on an unexpected error (see the log in Activity).")
        else:
            message = exc.user_message
        self._show(message, "error")
        self.batch_did_fail.emit(message)
        self.refresh()

    def _show(self, text: str, state: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))
        theme.set_state(self.status, state)
