"""The Picking workspace (F5): the pick list, the chosen order's lines and where their units are, the scan
verdict, and the ship form. Keyboard and scanner first: ↑/↓ orders, scan to pick, T tracking, Enter ship."""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QSplitter, QVBoxLayout, QWidget

from grading_station.domain.picking import PickOrder, PickVerdict, unrecordable_lines

from grading_station.services.picking import PickBoard

from grading_station.ui.kit.background import run_in_background
from grading_station.ui.picking.order_table import OrderTable
from grading_station.ui.picking.ship_form import ShipForm
from grading_station.ui.widgets import theme

from grading_station import log
from grading_station.errors import KnownError
from grading_station.i18n import _, ngettext
from grading_station.wording import describe, describe_all


class PickingPanel(QWidget):
    """Shows the open Back Market orders and picks and ships them through the PickingService (every write goes
    to the outbox; Activity shows it). Polls Back Market for new orders every `picking.poll_interval_s`.

    Signals: `verdict_did_show(PickVerdict)` after each scan's verdict; `board_did_load(PickBoard)` after each
    refresh; `ship_did_queue(order_id)` when a shipment is in the outbox.
    """

    verdict_did_show = Signal(object)
    board_did_load = Signal(object)
    ship_did_queue = Signal(int)

    def __init__(self, picking: Any, importer: Any, config: Any, *,
                 open_url: Callable[[QUrl], Any] = QDesktopServices.openUrl,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC), poll: bool = True) -> None:
        super().__init__()
        theme.apply(self)
        self.picking, self.importer, self.config = picking, importer, config
        self.open_url, self.clock = open_url, clock
        self.board = PickBoard(())
        self.unserved: list = []
        self._loading = False
        self._again = False
        self._stopped = False
        self.loads = 0  # boards shown so far
        self.follow_up_ms = 3000  # a poll after an import, for the lines it could not serve

        title = QLabel(_("Picking"))
        title.setProperty("role", "title")
        self.summary = QLabel("")
        self.summary.setObjectName("pickSummary")
        self.summary.setProperty("role", "hint")
        self.import_button = QPushButton(_("Look for new orders"))
        self.import_button.setObjectName("importButton")
        self.import_button.clicked.connect(self.poll)
        top = QHBoxLayout()
        top.addWidget(title)
        top.addWidget(self.summary, 1)
        top.addWidget(self.import_button)

        self.table = OrderTable()
        self.table.order_did_select.connect(self._show_order)
        self.table.order_did_confirm.connect(self._confirmed)
        self.scan_field = QLineEdit()
        self.scan_field.setObjectName("pickScanField")
        self.scan_field.setPlaceholderText(_("Scan or type the unit's IMEI / serial, then Enter"))
        self.scan_field.setAccessibleName(_("Serial number or IMEI"))
        self.scan_field.returnPressed.connect(self._typed)
        self.verdict = QLabel(_("Choose an order (↑/↓), then scan its unit."))
        self.verdict.setObjectName("pickVerdict")
        self.verdict.setWordWrap(True)
        self.verdict.setMinimumHeight(56)
        self.verdict.setStyleSheet("font-size: 15pt; padding: 6px;")
        self.detail = QLabel("")
        self.detail.setObjectName("orderDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.RichText)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.ship_form = ShipForm()
        self.ship_form.ship_did_request.connect(self.ship)
        self.ship_form.note_did_request.connect(self.open_delivery_note)
        self.unserved_label = QLabel("")
        self.unserved_label.setObjectName("unservedLines")
        self.unserved_label.setWordWrap(True)

        right = QWidget()
        column = QVBoxLayout(right)
        column.setContentsMargins(8, 0, 0, 0)
        column.addWidget(self.scan_field)
        column.addWidget(self.verdict)
        column.addWidget(self.detail, 1)
        column.addWidget(self.ship_form)
        self.splitter = splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        self._split_by_hand = False
        splitter.splitterMoved.connect(lambda *_: setattr(self, "_split_by_hand", True))
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.unserved_label)

        QShortcut(QKeySequence("T"), self.table, self.focus_tracking, context=Qt.ShortcutContext.WidgetShortcut)
        QShortcut(QKeySequence("P"), self.table, self.open_delivery_note,
                  context=Qt.ShortcutContext.WidgetShortcut)
        QShortcut(QKeySequence("Escape"), self, self.table.setFocus,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._refresh_soon = QTimer(self)
        self._refresh_soon.setSingleShot(True)
        self._refresh_soon.setInterval(300)
        self._refresh_soon.timeout.connect(self.refresh)
        self._poller = QTimer(self)
        self._poller.setInterval(int(config.get("picking.poll_interval_s")) * 1000)
        self._poller.timeout.connect(self.poll)
        if poll:
            self._poller.start()
        self._show_order(0)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().resizeEvent(event)
        if not self._split_by_hand:  # the list gets the larger share: its model column is the one to read
            width = self.splitter.width()
            self.splitter.setSizes([int(width * 0.56), width - int(width * 0.56)])

    # -- the workspace protocol ------------------------------------------------------------------------
    def on_activate(self) -> None:
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        self.schedule_refresh()

    def on_scan(self, raw: str, source: str) -> None:
        """A scan picks a unit for the chosen order; once the order is picked it is the parcel's tracking."""
        order = self.current_order()
        if order is not None and order.picked and not order.shipped:
            self.ship_form.tracking.setText(raw.strip())
            self.focus_tracking()
            self._say(_("Tracking {tracking}: check the shipper, then Enter to ship.").format(
                tracking=raw.strip()), "ok")
            return
        order_id = order.order_id if order else None
        board = self.board
        self._say(_("Checking {serial}…").format(serial=raw.strip()), "busy")
        run_in_background(self, lambda: self.picking.judge(board, order_id, raw), success=self._judged,
                          failure=self._failed)

    # -- loading ---------------------------------------------------------------------------------------
    def schedule_refresh(self, *_args: object) -> None:
        self._refresh_soon.start()

    def refresh(self) -> None:
        if self._stopped:
            return
        if self._loading:  # one load at a time; a change meanwhile loads once more after it
            self._again = True
            return
        self._loading = True
        run_in_background(self, self.picking.board, success=self._loaded, failure=self._load_failed)

    def _loaded(self, board: PickBoard) -> None:
        self._loading = False
        self.loads += 1
        self.board = board
        self.table.show_orders(list(board.orders), self.clock())
        late = sum(1 for o in board.orders if o.late(self.clock()))
        self.summary.setText(_("{count} open orders, {late} late").format(count=len(board.orders), late=late))
        self._show_order(self.table.selected_id())
        self.board_did_load.emit(board)
        if self._again:
            self._again = False
            self.refresh()

    def _load_failed(self, exc: BaseException) -> None:
        self._loading = False
        if self._stopped:  # the store closed under a load in flight: nothing to show any more
            return
        if not isinstance(exc, KnownError):
            raise exc
        self.summary.setText(_("Orders not loaded: {reason}").format(reason=exc.user_message))

    def poll(self) -> None:
        """Ask Back Market for new orders (and cancellations of the open ones); the import goes to the outbox."""
        if self._stopped:
            return
        open_ids = [o.order_id for o in self.board.orders]
        run_in_background(self, lambda: self.importer.poll(open_ids), success=self._polled,
                          failure=self._poll_failed)

    def _polled(self, report: Any) -> None:
        self.unserved = list(report.unserved)
        if self.unserved:
            self.unserved_label.setText(describe_all((u.reason for u in self.unserved), " · "))
            theme.set_state(self.unserved_label, "warn")
        else:
            self.unserved_label.setText("")
        if report.queued or report.cancelled:
            self.schedule_refresh()
        if report.queued:  # once imported, the next look says which of their lines could not be served
            QTimer.singleShot(self.follow_up_ms, self.poll)

    def _poll_failed(self, exc: BaseException) -> None:
        if self._stopped:
            return
        if not isinstance(exc, KnownError):
            raise exc
        log.backmarket.info("order poll failed: %s", exc.user_message)
        self.summary.setText(_("Back Market not reached: {reason}").format(reason=exc.user_message))

    # -- the chosen order ------------------------------------------------------------------------------
    def current_order(self) -> PickOrder | None:
        return self.board.order(self.table.selected_id()) if self.board.orders else None

    def _show_order(self, order_id: int) -> None:
        order = self.board.order(order_id) if order_id else None
        self.ship_form.set_ready(bool(order and order.picked and not order.shipped))
        if order is None:
            self.detail.setText(_("No order chosen.") if not self.board.orders else "")
            return
        e = html.escape
        heading = _("Order {order}").format(order=order.order_id)
        this_order, picked_word, units_word = _("this order"), _("Picked"), _("Units")
        no_unit = _("no unit in stock")
        rows = [f"<p><b>{e(heading)}</b> · {e(order.customer)} · {e(order.market)} · "
                f"{e(order.sale_order_name)}</p><ul>"]
        for line in order.lines:
            spots = self.board.spots.get(line.variant_id, ())
            where = ", ".join(f"{e(s.serial)} ({e(self._spot_words(s, order, this_order))})" for s in spots[:6])
            picked = ", ".join(e(s) for s in line.picked) or "—"
            rows.append(f"<li><b>{e(line.needed)}</b> × {line.quantity} · {e(line.sku)}<br>"
                        f"{e(picked_word)}: {picked}<br>{e(units_word)}: {where or e(no_unit)}</li>")
        rows.append("</ul>")
        notes = unrecordable_lines(order)
        if notes:
            rows.append(f"<p style='color:{theme.WARN}'>{e(describe_all(notes, ' '))}</p>")
        self.detail.setText("".join(rows))

    @staticmethod
    def _spot_words(spot, order: PickOrder, this_order: str) -> str:
        if spot.reserved_for == order.order_id:
            return f"{spot.location}, {this_order}"
        if spot.reserved_for:
            return _("{location}, order {order}").format(location=spot.location, order=spot.reserved_for)
        return spot.location

    def _confirmed(self, order_id: int) -> None:
        """Enter on the list: on to the scan field, or to the tracking number once the order is picked."""
        order = self.board.order(order_id) if order_id else None
        if order is not None and order.picked and not order.shipped:
            self.focus_tracking()
        else:
            self.scan_field.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- scans -----------------------------------------------------------------------------------------
    def _typed(self) -> None:
        raw = self.scan_field.text().strip()
        if raw:
            self.on_scan(raw, "keyboard")

    def _judged(self, verdict: PickVerdict) -> None:
        self.verdict_did_show.emit(verdict)
        if not verdict.accepted:
            self._say(describe(verdict.reason), "error")
            return
        order = self.current_order()
        if order is None or verdict.line is None:
            return
        self._say(_("{serial} accepted for order {order} ({model}): picking…").format(
            serial=verdict.unit.serial, order=order.order_id, model=verdict.line.needed), "ok")
        run_in_background(self, lambda: self.picking.pick(order, verdict), success=self._picked,
                          failure=self._failed)

    def _picked(self, order: PickOrder) -> None:
        self._replace(order)
        self.scan_field.clear()
        if order.picked:
            self._say(_("Order {order} picked: the delivery is validated in the background. Scan the parcel's "
                        "tracking number (T).").format(order=order.order_id), "ok")
            self.focus_tracking()
        else:
            missing = sum(ln.missing for ln in order.lines)
            self._say(ngettext("Picked. {count} more unit to scan for order {order}.",
                               "Picked. {count} more units to scan for order {order}.", missing).format(
                count=missing, order=order.order_id), "ok")

    def _replace(self, order: PickOrder) -> None:
        orders = [order if o.order_id == order.order_id else o for o in self.board.orders]
        serials = dict(self.board.reserved)
        serials.update(dict.fromkeys(order.serials, order.order_id))
        self.board = PickBoard(tuple(orders), self.board.spots, serials, self.board.loaded_at)
        self.table.show_orders(orders, self.clock())
        self._show_order(order.order_id)

    def _failed(self, exc: BaseException) -> None:
        if not isinstance(exc, KnownError):
            raise exc
        self._say(exc.user_message, "error")

    # -- shipping --------------------------------------------------------------------------------------
    def focus_tracking(self) -> None:
        self.ship_form.tracking.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.ship_form.tracking.selectAll()

    def ship(self, tracking: str, shipper: str) -> None:
        order = self.current_order()
        if order is None:
            return
        run_in_background(self, lambda: self.picking.ship(order, tracking, shipper), success=self._shipped,
                          failure=self._failed)

    def _shipped(self, order: PickOrder) -> None:
        self._replace(order)
        self.ship_form.clear()
        self._say(_("Order {order}: shipment queued for Back Market (see Activity). Print the delivery note "
                    "(P).").format(order=order.order_id), "ok")
        self.ship_did_queue.emit(order.order_id)
        self.table.setFocus()

    def open_delivery_note(self) -> None:
        order = self.current_order()
        if order is None:
            return
        run_in_background(self, lambda: self.picking.delivery_note(order.order_id),
                          success=lambda url: url and self.open_url(QUrl(url)), failure=self._failed)

    def _say(self, text: str, state: str) -> None:
        self.verdict.setText(text)
        theme.set_state(self.verdict, state)

    def stop(self) -> None:
        """The station is closing: no more polls or loads (the store is about to close)."""
        self._stopped = True
        self._poller.stop()
        self._refresh_soon.stop()
