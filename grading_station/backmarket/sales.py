"""The lines Back Market sold in a period, with what the figures need: price, commission (`orderline_fee`), the
payment, shipping and promised dispatch dates (`GET /ws/orders`, every page)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from grading_station.backmarket.calls import Calls
from grading_station.backmarket.models import money

SHIPPED_STATES = (3, 9)  # order states once shipped (9: every line done)


@dataclass(frozen=True)
class SoldLine:
    order_id: int
    line_id: int
    sku: str
    quantity: int
    price: Decimal
    fee: Decimal
    currency: str
    paid_at: str
    shipped_at: str
    expected_dispatch: str
    serial: str = ""  # the IMEI or serial the line was shipped with (the supervisor's figures trace its grader)


def sold_lines_from_json(order: dict) -> list[SoldLine]:
    lines = []
    for line in order.get("orderlines") or []:
        if not isinstance(line, dict) or line.get("state") != 3 or not isinstance(line.get("id"), int):
            continue  # shipped only (not refunded, not cancelled)
        lines.append(SoldLine(
            order_id=int(order["order_id"]), line_id=line["id"], sku=str(line.get("listing") or ""),
            quantity=int(line.get("quantity") or 1),
            price=money(line.get("price")) or Decimal(0), fee=money(line.get("orderline_fee")) or Decimal(0),
            currency=str(line.get("currency") or order.get("currency") or ""),
            paid_at=str(order.get("date_payment") or ""), shipped_at=str(order.get("date_shipping") or ""),
            expected_dispatch=str(order.get("expected_dispatch_date") or ""),
            serial=str(line.get("imei") or line.get("serial_number") or "").strip(),
        ))
    return lines


class SalesCalls(Calls):
    """Mixed into BackMarketClient."""

    def sold_lines(self, since: str = "", max_pages: int = 500) -> list[SoldLine]:
        """Lines of the orders shipped and modified since `since` (ISO date-time), following every page."""
        found: dict[int, SoldLine] = {}  # by line id: an absolute `next` may drop the state filter
        for state in SHIPPED_STATES:
            url, params = "/ws/orders", {"state": state, "page-size": 50, "date_modification": since or None}
            for _page in range(max_pages):
                data = self.transport.call("list sold orders", "GET", url, params=params)
                for order in (data or {}).get("results") or []:
                    if isinstance(order, dict) and isinstance(order.get("order_id"), int):
                        found.update((ln.line_id, ln) for ln in sold_lines_from_json(order))
                url, params = (data or {}).get("next") or "", {}
                if not url:
                    break
        return sorted(found.values(), key=lambda ln: (ln.order_id, ln.line_id))
