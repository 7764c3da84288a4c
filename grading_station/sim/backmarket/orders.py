"""The simulator's orders, with the documented order and orderline state machines (API-NOTES §5)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime

from grading_station.sim.backmarket.catalogue import Catalogue, Refused

# Orderline transitions a merchant may ask for (OrderLineState table): 1 -> 2|4, 2 -> 3|5, 3 -> 6.
_NEXT = {1: {2, 4}, 2: {3, 5}, 3: {6}}
_CONDITION = {"PREMIUM": 9, "EXCELLENT": 10, "GOOD": 11, "FAIR": 12}


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def valid_imei(text: str) -> bool:
    if len(text) != 15 or not text.isdigit():
        return False
    total = 0
    for i, ch in enumerate(text):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


@dataclass
class SimLine:
    id: int
    sku: str
    quantity: int
    price: str
    state: int = 1
    imei: str = ""
    serial_number: str = ""
    listing_id: int = 0
    product: str = ""
    condition: int | None = None

    def to_json(self, currency: str) -> dict:
        data = {
            "id": self.id,
            "state": self.state,
            "listing": self.sku,
            "listing_id": self.listing_id,
            "quantity": self.quantity,
            "price": self.price,
            "shipping_price": "0.00",
            "currency": currency,
            "product": self.product,
            "imei": self.imei,
            "serial_number": self.serial_number,
            "date_creation": _now(),
            "orderline_fee": f"{float(self.price) * self.quantity * 0.1:.2f}",  # Back Market's commission
        }
        if self.condition is not None:
            data["condition"] = self.condition
        return data


@dataclass
class SimOrder:
    order_id: int
    country_code: str
    currency: str
    lines: list[SimLine]
    state_override: int | None = None  # 0, 8 and 10 are payment states, not derived from lines
    tracking_number: str = ""
    shipper: str = ""
    modified: str = field(default_factory=_now)
    created: str = field(default_factory=_now)
    expected_dispatch: str = ""  # tests set it; else the payment date
    customer: tuple[str, str] = ("Victor", "Hugo")
    shipped_at: str = ""  # set when the merchant ships (state 3)

    @property
    def state(self) -> int:
        if self.state_override is not None:
            return self.state_override
        live = [ln.state for ln in self.lines if ln.state not in (4, 5, 7)]
        if not live or all(s in (3, 6) for s in live):
            return 9
        if all(s == 2 for s in live):
            return 3
        return 1

    def to_json(self) -> dict:
        total = sum(float(ln.price) * ln.quantity for ln in self.lines)
        return {
            "order_id": self.order_id,
            "state": self.state,
            "country_code": self.country_code,
            "currency": self.currency,
            "price": f"{total:.2f}",
            "shipping_price": "0.00",
            "date_creation": self.created,
            "date_modification": self.modified,
            "date_payment": self.created,
            "expected_dispatch_date": self.expected_dispatch or self.created,
            "tracking_number": self.tracking_number,
            "shipper_display": self.shipper,
            "is_backship": False,
            "delivery_note": f"https://example.com/delivery_note/{self.order_id}.pdf",
            **({"expected_dispatch_date": self.expected_dispatch} if self.expected_dispatch else {}),
            "shipping_address": {
                "firstName": self.customer[0],
                "lastName": self.customer[1],
                "street": "3, Imaginary Street",
                "postalCode": "75003",
                "city": "Paris",
                "country": self.country_code[-2:].upper(),
                "phoneNumber": "+33639981234",
            },
            "orderlines": [ln.to_json(self.currency) for ln in self.lines],
            **({"date_shipping": self.shipped_at} if self.shipped_at else {}),  # a date-time, absent until shipped
        }


class OrderBook:
    """Orders placed by the tests (`place`) and the merchant's updates to them. Thread-safe."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self.orders: dict[int, SimOrder] = {}
        self.lock = threading.RLock()
        self._next_order, self._next_line = 70000, 900000
        self.refused_identifiers: set[str] = set()  # hook: IMEIs/serials Back Market answers 422 to

    def place(
        self,
        lines: list[tuple[str, int]],
        *,
        country_code: str = "fr-fr",
        state: int = 1,
        order_id: int | None = None,
        expected_dispatch: str = "",
        customer: tuple[str, str] = ("Victor", "Hugo"),
    ) -> int:
        """A customer orders (sku, quantity) pairs; Back Market decrements the listings' stock itself."""
        with self.lock:
            self._next_order = order_id if order_id is not None else self._next_order + 1
            sim_lines = []
            for sku, qty in lines:
                listing = self.catalogue.find(sku)
                self._next_line += 1
                price = listing.prices.get(country_code, ("100.00", None))[0] if listing else "100.00"
                if listing is not None:
                    listing.quantity = max(listing.quantity - qty, 0)
                sim_lines.append(
                    SimLine(
                        self._next_line,
                        listing.sku if listing else sku,
                        qty,
                        price,
                        state=1 if state in (1, 3, 9) else {0: 0, 10: 8, 8: 7}[state],
                        listing_id=listing.listing_id if listing else 0,
                        product=listing.title if listing else sku,
                        condition=_CONDITION.get(listing.grade) if listing else None,
                    )
                )
            order = SimOrder(
                self._next_order,
                country_code,
                "EUR",
                sim_lines,
                state_override=state if state in (0, 8, 10) else None,
                expected_dispatch=expected_dispatch,
                customer=customer,
            )
            self.orders[order.order_id] = order
            return order.order_id

    def cancel(self, order_id: int) -> None:
        """The customer cancels (or Back Market refunds) before shipping: paid lines become cancelled (4),
        accepted ones refunded before delivery (5); shipped lines refunded after delivery (6)."""
        with self.lock:
            order = self.orders[order_id]
            for line in order.lines:
                line.state = {1: 4, 2: 5, 3: 6}.get(line.state, line.state)
            order.modified = _now()

    def refund(self, order_id: int, sku: str) -> None:
        """Back Market refunds one line (state 2 -> 5, 3 -> 6)."""
        with self.lock:
            order = self.orders[order_id]
            for line in order.lines:
                if line.sku.casefold() == sku.casefold():
                    line.state = {1: 4, 2: 5, 3: 6}.get(line.state, line.state)
            order.modified = _now()

    def listed(self, state: int | None) -> list[SimOrder]:
        with self.lock:
            found = [o for o in self.orders.values() if o.state not in (0, 8)]
            return [o for o in found if state is None or o.state == state]

    def update(self, order_id: int, body: dict) -> SimOrder:
        with self.lock:
            order = self.orders.get(order_id)
            if order is None:
                raise Refused(404, None)
            new_state = body["new_state"]
            if order.state_override is not None:
                raise Refused(400, None)  # payment not confirmed: nothing may move
            if new_state == 3:
                if not body.get("tracking_number"):
                    raise Refused(400, None)
                targets = [ln for ln in order.lines if ln.state not in (4, 5, 7)]
                if not targets:
                    raise Refused(400, None)  # every line cancelled or refunded: nothing to ship
            else:
                sku = (body.get("sku") or "").casefold()
                targets = [ln for ln in order.lines if ln.sku.casefold() == sku]
                if not targets:
                    raise Refused(404, None)  # "The listing doesn't exist"
            if any(new_state not in _NEXT.get(ln.state, set()) for ln in targets):
                raise Refused(400, None)
            if new_state == 3 and len(order.lines) == 1 and order.lines[0].quantity == 1:
                # checked before anything moves: a refused identifier leaves the order unshipped
                self._identifiers(order.lines[0], body.get("imei"), body.get("serial_number"), refused=400)
            for line in targets:
                line.state = new_state
            if new_state == 3:
                order.tracking_number, order.shipper = body["tracking_number"], body.get("shipper", "")
                order.shipped_at = _now()
            order.modified = _now()
            return order

    def set_identifiers(self, line_id: int, body: dict) -> SimLine:
        with self.lock:
            line = next((ln for o in self.orders.values() for ln in o.lines if ln.id == line_id), None)
            if line is None:
                raise Refused(404, None)
            self._identifiers(line, body.get("imei"), body.get("serial_number"))
            return line

    def _identifiers(self, line: SimLine, imei: str | None, serial: str | None, refused: int = 422) -> None:
        """Write-once identifiers; `refused` is the status of a refusal (the ship call documents no 422)."""
        if imei and not valid_imei(imei):
            raise Refused(400, None)
        if {imei, serial} & self.refused_identifiers:
            raise Refused(refused, None)  # e.g. an IMEI already recorded on another order (no reason given)
        for name, value in (("imei", imei), ("serial_number", serial)):
            if value and getattr(line, name) and getattr(line, name) != value:
                raise Refused(refused, None)  # write-once
        line.imei, line.serial_number = imei or line.imei, serial or line.serial_number
