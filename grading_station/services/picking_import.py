"""Order import: new Back Market orders (state 1) polled with paging and queued; the outbox handler accepts the
lines Odoo can serve (`new_state: 2`) and creates the sale orders, 10 orders per batch of Odoo calls."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from grading_station.domain.picking import CANNOT_SERVE
from grading_station.domain.reasons import Reason

from grading_station.backmarket.errors import BackMarketError
from grading_station.backmarket.models import Order, OrderLineState, OrderState
from grading_station.odoo.sales import NewSale

from grading_station.services.events import OrdersDidChange
from grading_station.services.listing_outbox import as_remote_error

from grading_station import log
from grading_station.errors import RemoteRefused
from grading_station.i18n import _

KIND_IMPORT = "bm.order.import"
KIND_CANCEL = "odoo.order.cancel"
BATCH = 10  # orders per import item: one batch of Odoo calls (≤ 8 RPCs) per 10 orders
RETRY_UNSERVED = timedelta(minutes=10)  # an order none of whose lines could be served is tried again after
_ENDED = {OrderLineState.CANCELLED, OrderLineState.REFUNDED_PRE_DELIVERY, OrderLineState.REFUNDED_POST_DELIVERY}


@dataclass(frozen=True)
class Unserved:
    """An orderline we cannot serve (no free unit of its SKU): shown to the picker, never accepted silently."""

    order_id: int
    sku: str
    reason: Reason


@dataclass
class PollReport:
    """What one poll found: orders queued for import, lines not served, imported orders cancelled since."""

    queued: list[int] = field(default_factory=list)
    unserved: list[Unserved] = field(default_factory=list)
    cancelled: list[int] = field(default_factory=list)
    requests: int = 0


def order_payload(order: Order) -> dict:
    """The order as the import item keeps it (what creating the sale order needs)."""
    a = order.shipping_address
    return {
        "order_id": order.order_id, "market": order.country_code, "expected": order.expected_dispatch_date,
        "name": f"{a.first_name} {a.last_name}".strip() if a else str(order.order_id),
        "street": a.street if a else "", "street2": a.street2 if a else "", "zip": a.postal_code if a else "",
        "city": a.city if a else "", "country": a.country if a else "", "phone": a.phone if a else "",
        "email": a.email if a else "",
        "lines": [{"id": ln.id, "sku": ln.sku, "quantity": ln.quantity, "state": ln.state,
                   "price": str(ln.price or 0)} for ln in order.lines],
    }


class OrderImporter:
    """Polls Back Market for new orders and imports them through the outbox (idempotent end to end: Back Market
    lines already accepted are not accepted again, a sale order exists once per `client_order_ref`)."""

    def __init__(self, backmarket: Any, gateway: Any, outbox: Any, publish: Callable[[Any], None] = lambda e: None,
                 wake: Callable[[], None] = lambda: None,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.backmarket, self.gateway, self.outbox = backmarket, gateway, outbox
        self.publish, self.wake, self.clock = publish, wake, clock

    # -- polling (a worker thread, on a timer) ---------------------------------------------------------
    def poll(self, open_order_ids: Iterable[int] = ()) -> PollReport:
        report = PollReport()
        sent = self.backmarket.requests_sent
        try:
            new = self._new_orders()
            known = self.gateway.sales.existing_orders([o.order_id for o in new])
            waiting = self._waiting_imports()
            tried = self._recently_unserved()
            report.unserved = [Unserved(o.order_id, ln.sku, CANNOT_SERVE(order=o.order_id, sku=ln.sku)) for o in new
                               if o.order_id in known or o.order_id in tried
                               for ln in o.lines if ln.state == OrderLineState.PAID]
            todo = [o for o in new if o.order_id not in set(known) | waiting | tried]
            for start in range(0, len(todo), BATCH):
                chunk = todo[start:start + BATCH]
                self.outbox.enqueue(KIND_IMPORT, {"orders": [order_payload(o) for o in chunk],
                                                  "serial": ", ".join(str(o.order_id) for o in chunk)})
                report.queued.extend(o.order_id for o in chunk)
            report.cancelled = self._cancelled(list(open_order_ids))
        except BackMarketError as exc:
            raise as_remote_error(exc) from exc
        report.requests = self.backmarket.requests_sent - sent
        if report.queued or report.cancelled:
            log.backmarket.info("orders: %d new queued for import, %d cancelled", len(report.queued),
                                len(report.cancelled))
            self.wake()
        return report

    def _new_orders(self) -> list[Order]:
        """Every order in state 1 (paid: lines to accept), all pages; states 0 and 10 are never shipped."""
        page, found = 1, []
        while True:
            result = self.backmarket.list_orders(page, 50, state=OrderState.PAID)
            found.extend(o for o in result.items if o.state == OrderState.PAID)
            if not result.next_url or not result.items:
                return found
            page += 1

    def _waiting_imports(self) -> set[int]:
        items = self.outbox.list_items(limit=500, states=("pending", "delivering", "failing"))
        return {int(o["order_id"]) for i in items if i.kind == KIND_IMPORT for o in i.payload.get("orders", [])}

    def _recently_unserved(self) -> set[int]:
        """Orders an import found no unit for lately: shown as not served, not queued again at every poll (they
        are tried again after RETRY_UNSERVED, when stock may have come in)."""
        since = (self.clock() - RETRY_UNSERVED).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")  # the store's
        items = self.outbox.list_items(limit=200, states=("delivered",))
        return {int(u["order_id"]) for i in items if i.kind == KIND_IMPORT and (i.delivered_at or "") >= since
                for u in (i.result or {}).get("unserved", [])}

    def _cancelled(self, order_ids: list[int]) -> list[int]:
        """Imported orders whose every line was cancelled or refunded on Back Market: their picking is cancelled
        (an outbox item per order, after anything else queued for it)."""
        waiting = {i.key for i in self.outbox.list_items(limit=500, states=("pending", "delivering", "failing"))
                   if i.kind == KIND_CANCEL}
        cancelled = []
        for order_id in order_ids:
            order = self.backmarket.get_order(order_id)
            if order.lines and all(ln.state in _ENDED for ln in order.lines) and f"order:{order_id}" not in waiting:
                self.outbox.enqueue(KIND_CANCEL, {"order_id": order_id, "serial": _("order {order}").format(
                    order=order_id)}, key=f"order:{order_id}")
                cancelled.append(order_id)
        return cancelled

    # -- delivering (the outbox deliverer's thread) ----------------------------------------------------
    def handle_import(self, item: Any) -> dict:
        orders = item.payload["orders"]
        skus = self._variants_by_sku()
        wanted = [skus.get(ln["sku"].casefold()) for o in orders for ln in o["lines"]]
        free: dict[int, int] = {}
        for unit in self.gateway.sales.free_units([v for v in wanted if v]):
            free[unit.variant_id] = free.get(unit.variant_id, 0) + 1
        existing = self.gateway.sales.existing_orders([o["order_id"] for o in orders])
        sales, unserved = [], []
        for order in orders:
            lines = []
            for line in order["lines"]:
                variant = skus.get(line["sku"].casefold())
                state, quantity = line["state"], int(line["quantity"])
                if state == OrderLineState.PAID and order["order_id"] not in existing:
                    if not variant or free.get(variant, 0) < quantity:
                        unserved.append({"order_id": order["order_id"], "sku": line["sku"]})
                        continue
                    state = self._accept(order["order_id"], line["sku"])
                    free[variant] -= quantity
                if state == OrderLineState.VALIDATED and variant:
                    lines.append((variant, quantity, float(line["price"] or 0)))
            sales.append(NewSale(
                order["order_id"], order["market"], order["name"], order["street"], order["street2"], order["zip"],
                order["city"], order["country"], order["phone"], order["email"], order["expected"], tuple(lines)))
        created = self.gateway.sales.create_orders(sales)  # those without a line to serve are not created
        self.publish(OrdersDidChange(tuple(created)))
        return {"sale_orders": {str(k): v for k, v in created.items()}, "unserved": unserved}

    def _accept(self, order_id: int, sku: str) -> int:
        """Accept one line; a line Back Market will not move (cancelled meanwhile) keeps the state it has."""
        try:
            self.backmarket.update_order(order_id, OrderLineState.VALIDATED, sku=sku)
            return OrderLineState.VALIDATED
        except BackMarketError as exc:
            if exc.retryable:
                raise as_remote_error(exc) from exc
            order = self.backmarket.get_order(order_id)  # refused: already accepted (a retry), or cancelled?
            line = next((ln for ln in order.lines if ln.sku.casefold() == sku.casefold()), None)
            log.backmarket.info("accepting %s of order %s refused (%s): the line is in state %s", sku, order_id,
                                exc.user_message, line.state if line else "?")
            return line.state if line else OrderLineState.CANCELLED

    def _variants_by_sku(self) -> dict[str, int]:
        catalogue = self.gateway.catalogue
        catalogue.ensure_loaded()
        return {catalogue.variant(v).sku.casefold(): v for v in catalogue.variant_ids()
                if catalogue.variant(v) and catalogue.variant(v).sku}

    def handle_cancel(self, item: Any) -> dict:
        """Cancel the sale order and its delivery of an order cancelled on Back Market."""
        order_id = int(item.payload["order_id"])
        found = self.gateway.sales.existing_orders([order_id])
        if order_id not in found:
            return {"cancelled": False, "reason": "no sale order"}
        if not self.gateway.sales.cancel_order(found[order_id]):
            raise RemoteRefused(_("Order {order} was cancelled on Back Market after its delivery was validated: "
                                  "stop the parcel and put the unit back in stock.").format(order=order_id))
        self.publish(OrdersDidChange((order_id,)))
        return {"cancelled": True, "sale_order_id": found[order_id]}
