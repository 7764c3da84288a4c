"""The picker's use cases: the pick board, a scan judged in one Odoo call, picks and shipments queued in the
outbox (key "order:<id>": per-order ordering) and the handlers that deliver them.

❌ Validating the delivery from the scan slot: Odoo down means a lost pick or a frozen screen.
✅ `pick()` queues "odoo.pick"; the deliverer validates, checks the serial on the done line, retries when down.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from grading_station.domain.identifiers import normalise_scan
from grading_station.domain.picking import (
    PickOrder,
    PickVerdict,
    StockSpot,
    add_months,
    identifier_field,
    judge_scan,
    sorted_for_picking,
    warranty_months,
)

from grading_station.backmarket.errors import BackMarketError
from grading_station.backmarket.models import OrderLineState

from grading_station.services.events import OrdersDidChange
from grading_station.services.listing_outbox import as_remote_error

from grading_station import log
from grading_station.config import declare
from grading_station.errors import RemoteRefused
from grading_station.i18n import _

KIND_PICK = "odoo.pick"
KIND_WARRANTY = "odoo.warranty"
KIND_SHIP = "bm.shipment"
_OPEN = ("pending", "delivering", "failing")
SHIPPERS = ("Colissimo", "Chronopost", "DHL Express", "UPS", "DPD", "GLS", "Deutsche Post", "Correos", "BRT",
            "Poste Italiane")

declare("picking.warranty_months", int, 12, "Warranty (months)",
        "Warranty registered on a unit when it is delivered, from the sale date", minimum=0, maximum=120)
declare("picking.warranty_by_market", list, [], "Warranty per market",
        "Markets whose warranty differs, one per line as market=months (e.g. de-de=24)")
declare("picking.battery_retest_days", int, 90, "Battery re-test after (days)",
        "A unit whose battery was tested longer ago must be re-tested before it ships (0: never)",
        minimum=0, maximum=3650)
declare("picking.poll_interval_s", int, 120, "Look for new orders every (s)",
        "How often the Picking workspace asks Back Market for new orders", minimum=15, maximum=3600)


@dataclass(frozen=True)
class PickBoard:
    """The open orders (earliest dispatch first), where their variants' units are, and which serial is
    reserved for which order; orders with a shipment waiting in the outbox are marked shipped."""

    orders: tuple[PickOrder, ...]
    spots: dict[int, tuple[StockSpot, ...]] = field(default_factory=dict)
    reserved: dict[str, int] = field(default_factory=dict)
    loaded_at: str = ""

    def order(self, order_id: int) -> PickOrder | None:
        return next((o for o in self.orders if o.order_id == order_id), None)


class PickingService:
    """Board, scan verdicts, picks and shipments; Qt-free, called from worker threads."""

    def __init__(self, gateway: Any, backmarket: Any, outbox: Any, config: Any, *,
                 publish: Callable[[Any], None] = lambda e: None, wake: Callable[[], None] = lambda: None,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.gateway, self.backmarket, self.outbox, self.config = gateway, backmarket, outbox, config
        self.publish, self.wake, self.clock = publish, wake, clock

    # -- reading ---------------------------------------------------------------------------------------
    def board(self) -> PickBoard:
        """Open orders from Odoo (5 RPCs) with this station's picks and shipments still in the outbox."""
        orders, spots = self.gateway.sales.open_orders()
        waiting = [i for i in self.outbox.list_items(limit=500, states=_OPEN) if i.kind in (KIND_PICK, KIND_SHIP)]
        merged = []
        for order in orders:
            for item in (i for i in reversed(waiting) if i.key == f"order:{order.order_id}"):
                if item.kind == KIND_SHIP:
                    order = replace(order, shipped=True)
                elif item.payload["serial"] not in order.serials:
                    order = order.with_pick(int(item.payload["line_id"]), item.payload["serial"])
            merged.append(order)
        reserved = {s.serial: s.reserved_for for units in spots.values() for s in units if s.reserved_for}
        for order in merged:
            reserved.update(dict.fromkeys(order.serials, order.order_id))
        return PickBoard(tuple(sorted_for_picking(merged)), {k: tuple(v) for k, v in spots.items()}, reserved,
                         self.clock().isoformat())

    def judge(self, board: PickBoard, order_id: int | None, raw: str) -> PickVerdict:
        """The verdict on a scan for an order: one Odoo call (the serial's lot), the rest from the board."""
        serial = normalise_scan(raw, self.config.get("scanner.prefix"), self.config.get("scanner.suffix"))
        order = board.order(order_id) if order_id else None
        unit = self.gateway.deliveries.scanned_unit(serial) if order is not None and serial else None
        return judge_scan(order, unit, serial, reserved_elsewhere=board.reserved, now=self.clock(),
                          retest_days=self.config.get("picking.battery_retest_days"))

    def delivery_note(self, order_id: int) -> str:
        """The URL of Back Market's delivery note (a PDF to put in the parcel), read when asked for."""
        try:
            return self.backmarket.get_order(order_id).delivery_note
        except BackMarketError as exc:
            raise as_remote_error(exc) from exc

    # -- writing (through the outbox) ------------------------------------------------------------------
    def pick(self, order: PickOrder, verdict: PickVerdict) -> PickOrder:
        """Queue the accepted unit for the delivery; the last unit of the order validates it and registers the
        warranty. Returns the order with the unit picked."""
        assert verdict.accepted and verdict.line is not None and verdict.unit is not None
        after = order.with_pick(verdict.line.line_id, verdict.unit.serial)
        key = f"order:{order.order_id}"
        self.outbox.enqueue(KIND_PICK, {
            "order_id": order.order_id, "picking_id": order.picking_id, "move_id": verdict.line.move_id,
            "line_id": verdict.line.line_id, "lot_id": verdict.unit.lot_id, "serial": verdict.unit.serial,
            "model_name": _("{serial} ({model}) for order {order}").format(
                serial=verdict.unit.serial, model=verdict.line.needed, order=order.order_id),
            "validate": after.picked, "expected": list(after.serials),
        }, key=key)
        if after.picked:
            months = warranty_months(order.market, self.config.get("picking.warranty_by_market"),
                                     self.config.get("picking.warranty_months"))
            self.outbox.enqueue(KIND_WARRANTY, {
                "order_id": order.order_id, "picking_id": order.picking_id, "serial": ", ".join(after.serials),
                "model_name": _("{serials} (order {order})").format(serials=", ".join(after.serials),
                                                                     order=order.order_id),
                "sale_order": order.sale_order_name,
                "warranty_end": add_months(self.clock().date(), months).isoformat(),
            }, key=key)
        self.wake()
        return after

    def ship(self, order: PickOrder, tracking: str, shipper: str) -> PickOrder:
        """Queue the shipment: Back Market gets the tracking number, shipper and the units' IMEI/serials."""
        tracking = tracking.strip()
        if not tracking:
            raise RemoteRefused(_("Scan or type the parcel's tracking number first."))
        if not order.picked:
            raise RemoteRefused(_("Order {order} is not fully picked yet.").format(order=order.order_id))
        self.outbox.enqueue(KIND_SHIP, {
            "order_id": order.order_id, "sale_order_id": order.sale_order_id, "tracking_number": tracking,
            "shipper": shipper, "serial": ", ".join(order.serials), "model_name": _("order {order}").format(
                order=order.order_id),
            "lines": [{"sku": ln.sku, "quantity": ln.quantity, "serials": list(ln.picked)} for ln in order.lines],
        }, key=f"order:{order.order_id}")
        self.wake()
        return replace(order, shipped=True)

    # -- delivering (the deliverer's thread) -----------------------------------------------------------
    def handle_pick(self, item: Any) -> dict:
        p = item.payload
        result = self.gateway.deliveries.pick(int(p["picking_id"]), int(p["move_id"]), int(p["lot_id"]), p["serial"],
                                              validate=bool(p["validate"]), expected=tuple(p["expected"]))
        self.publish(OrdersDidChange((int(p["order_id"]),)))
        return {"move_line_id": result.move_line_id, "validated": result.validated, "wizards": list(result.wizards)}

    def handle_warranty(self, item: Any) -> dict:
        p = item.payload
        written = self.gateway.deliveries.register_warranty(int(p["picking_id"]), p["warranty_end"], p["sale_order"])
        return {"lots": written, "warranty_end": p["warranty_end"]}

    def handle_ship(self, item: Any) -> dict:
        p = item.payload
        order_id = int(p["order_id"])
        try:
            sent = self._ship(order_id, p)
        except BackMarketError as exc:
            raise as_remote_error(exc) from exc
        self.gateway.sales.mark_shipped(int(p["sale_order_id"]))
        self.publish(OrdersDidChange((order_id,)))
        return sent

    def _ship(self, order_id: int, p: dict) -> dict:
        order = self.backmarket.get_order(order_id)
        live = [ln for ln in order.lines if ln.state not in (OrderLineState.CANCELLED,
                OrderLineState.REFUNDED_PRE_DELIVERY, OrderLineState.REFUNDED_POST_DELIVERY)]
        if not live:
            raise RemoteRefused(_("Order {order} was cancelled on Back Market: do not send the parcel; put the "
                                  "units back in stock.").format(order=order_id))
        if all(ln.state == OrderLineState.SHIPPED for ln in live):
            return {"shipped": True, "already": True, "tracking_number": order.tracking_number}
        serials = {ln["sku"].casefold(): ln["serials"] for ln in p["lines"]}
        fields = {"tracking_number": p["tracking_number"], "shipper": p["shipper"] or None}
        patched = []
        if len(order.lines) == 1 and order.lines[0].quantity == 1 and ships_with_identifiers_shape(p):
            serial = serials.get(order.lines[0].sku.casefold(), [""])[0]
            fields[identifier_field(serial)] = serial
        else:
            for line in live:
                units = serials.get(line.sku.casefold(), [])
                if line.quantity != 1 or len(units) != 1:
                    continue  # one identifier per orderline: a quantity > 1 line cannot record its units
                name = identifier_field(units[0])
                current = getattr(line, name)
                if current == units[0]:
                    continue
                if current:
                    raise RemoteRefused(_("Back Market already holds {current} for the {sku} line of order "
                                          "{order}, not {serial}: it cannot be corrected.").format(
                        current=current, sku=line.sku, order=order_id, serial=units[0]))
                self.backmarket.set_orderline_identifiers(line.id, order_id=order_id, **{name: units[0]})
                patched.append(line.id)
        self.backmarket.update_order(order_id, OrderLineState.SHIPPED, **fields)
        log.backmarket.info("order %s shipped with %s (%s)", order_id, p["tracking_number"], p["shipper"])
        return {"shipped": True, "patched": patched, "tracking_number": p["tracking_number"]}


def ships_with_identifiers_shape(payload: dict) -> bool:
    lines = payload["lines"]
    return len(lines) == 1 and int(lines[0]["quantity"]) == 1

