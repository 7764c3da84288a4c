"""Picking Back Market orders: the open orders as plain values, the scan verdict, warranty dates, ship shapes."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from grading_station.domain.identifiers import is_valid_imei
from grading_station.domain.reasons import Reason, code

# Why a scanned unit cannot fill a line (worded in grading_station.wording).
NOT_FOUND = code("pick.not_found", "serial")
SOLD = code("pick.sold", "serial")
WRONG_GRADE = code("pick.wrong_grade", "order", "needed", "grade")
WRONG_PRODUCT = code("pick.wrong_product", "order", "needed", "model")
NOT_IN_STOCK = code("pick.not_in_stock", "serial", "location")
ON_HOLD = code("pick.on_hold", "serial", "why")
RESERVED = code("pick.reserved", "serial", "other")
TWICE = code("pick.twice", "serial", "order")
RETEST_DUE = code("pick.retest_due", "serial", "days")
ORDER_DONE = code("pick.order_done", "order")
NO_ORDER = code("pick.no_order")
QUANTITY_GT_ONE = code("pick.quantity_gt_one", "sku", "quantity")
CANNOT_SERVE = code("pick.cannot_serve", "order", "sku")


@dataclass(frozen=True)
class StockSpot:
    """Where a unit of a variant is: its serial, location, and the order whose line holds it (0 when free)."""

    serial: str
    location: str
    reserved_for: int = 0


@dataclass(frozen=True)
class PickLine:
    """One ordered line as the picker sees it: its `sale.order.line` (`line_id`), Odoo move and move lines."""

    line_id: int
    sku: str
    quantity: int
    variant_id: int
    template_id: int
    model_name: str
    grade: str  # grade key
    grade_title: str
    move_id: int = 0
    move_line_ids: tuple[int, ...] = ()
    picked: tuple[str, ...] = ()  # serials already on this line (picked in Odoo or waiting in the outbox)

    @property
    def missing(self) -> int:
        return max(0, self.quantity - len(self.picked))

    @property
    def needed(self) -> str:
        return f"{self.model_name} {self.grade_title}".strip()


@dataclass(frozen=True)
class PickOrder:
    """An imported Back Market order still to pick or ship (its `sale.order` and delivery in Odoo)."""

    order_id: int
    sale_order_id: int
    sale_order_name: str
    picking_id: int
    market: str
    expected_dispatch: str  # ISO-8601 UTC, "" when Back Market gave none
    customer: str
    lines: tuple[PickLine, ...]
    picking_state: str = "assigned"  # Odoo's: assigned, done, cancel
    delivery_note: str = ""
    shipped: bool = False

    def late(self, now: datetime) -> bool:
        if not self.expected_dispatch or self.shipped:
            return False
        due = datetime.fromisoformat(self.expected_dispatch.replace("Z", "+00:00"))
        if due.tzinfo is None and now.tzinfo is not None:
            due = due.replace(tzinfo=now.tzinfo)
        return due < now

    @property
    def picked(self) -> bool:
        return all(line.missing == 0 for line in self.lines)

    @property
    def serials(self) -> tuple[str, ...]:
        return tuple(s for line in self.lines for s in line.picked)

    def with_pick(self, line_id: int, serial: str) -> PickOrder:
        lines = tuple(
            replace(ln, picked=(*ln.picked, serial)) if ln.line_id == line_id else ln for ln in self.lines
        )
        return replace(self, lines=lines)


def sorted_for_picking(orders: list[PickOrder]) -> list[PickOrder]:
    """Earliest expected dispatch first (orders without a date last), then by order id."""
    return sorted(orders, key=lambda o: (o.expected_dispatch == "", o.expected_dispatch, o.order_id))


@dataclass(frozen=True)
class ScannedUnit:
    """What one lookup of the scanned serial found in Odoo (`live` False: the serial exists but not on hand)."""

    serial: str
    lot_id: int
    variant_id: int
    template_id: int
    model_name: str
    grade_title: str
    location: str
    in_stock: bool  # in WH/Stock or below it
    live: bool = True
    hold_reason: str = ""
    leased_by: str = ""
    tested_at: str = ""  # ISO-8601, "" when unknown
    properties: dict = field(default_factory=dict)


@dataclass(frozen=True)
class PickVerdict:
    """A scan's outcome: `line` is the orderline it fills when accepted, else `reason` says why not."""

    accepted: bool
    reason: Reason | None = None
    line: PickLine | None = None
    unit: ScannedUnit | None = None


def judge_scan(
    order: PickOrder | None,
    unit: ScannedUnit | None,
    serial: str,
    *,
    reserved_elsewhere: dict[str, int],
    now: datetime,
    retest_days: int,
) -> PickVerdict:
    """Accept only a live unit of an ordered variant (product and grade) in WH/Stock, not held or leased, not on
    another order's line, not already on this order, with its battery tested within `retest_days`."""
    if order is None:
        return PickVerdict(False, NO_ORDER())
    if order.picked or order.picking_state in ("done", "cancel"):
        return PickVerdict(False, ORDER_DONE(order=order.order_id))
    if serial in order.serials:
        return PickVerdict(False, TWICE(serial=serial, order=order.order_id), unit=unit)
    if unit is None:
        return PickVerdict(False, NOT_FOUND(serial=serial))
    if not unit.live:
        return PickVerdict(False, SOLD(serial=serial), unit=unit)
    open_lines = [ln for ln in order.lines if ln.missing]
    line = next((ln for ln in open_lines if ln.variant_id == unit.variant_id), None)
    if line is None:
        wanted = next((ln for ln in open_lines if ln.template_id == unit.template_id), open_lines[0])
        if wanted.template_id == unit.template_id:
            return PickVerdict(False, WRONG_GRADE(order=order.order_id, needed=wanted.needed,
                                                  grade=unit.grade_title), unit=unit)
        return PickVerdict(False, WRONG_PRODUCT(order=order.order_id, needed=wanted.needed,
                                                model=f"{unit.model_name} {unit.grade_title}".strip()), unit=unit)
    if not unit.in_stock:
        return PickVerdict(False, NOT_IN_STOCK(serial=serial, location=unit.location or "?"), unit=unit)
    if unit.hold_reason or unit.leased_by:
        return PickVerdict(False, ON_HOLD(serial=serial, why=unit.hold_reason or unit.leased_by), unit=unit)
    other = reserved_elsewhere.get(serial, 0)
    if other and other != order.order_id:
        return PickVerdict(False, RESERVED(serial=serial, other=other), unit=unit)
    if retest_overdue(unit.tested_at, now, retest_days):
        return PickVerdict(False, RETEST_DUE(serial=serial, days=retest_days), unit=unit)
    return PickVerdict(True, line=line, unit=unit)


def retest_overdue(tested_at: str, now: datetime, days: int) -> bool:
    """A battery tested more than `days` ago (or never) must be re-tested before it ships; 0 disables it."""
    if days <= 0:
        return False
    if not tested_at:
        return True
    tested = datetime.fromisoformat(tested_at.replace("Z", "+00:00"))
    if tested.tzinfo is None and now.tzinfo is not None:
        tested = tested.replace(tzinfo=now.tzinfo)
    return now - tested > timedelta(days=days)


def add_months(day: date, months: int) -> date:
    """`day` plus whole months, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def warranty_months(market: str, by_market: list[str], default: int) -> int:
    """Months of warranty in `market` from entries like "de-de=24" (the default elsewhere)."""
    for entry in by_market:
        name, _, months = entry.partition("=")
        if name.strip().casefold() == market.casefold() and months.strip().isdigit():
            return int(months)
    return default


def identifier_field(serial: str) -> str:
    """Back Market's field for a unit identifier: `imei` for a valid IMEI, else `serial_number`."""
    return "imei" if is_valid_imei(serial) else "serial_number"


def ships_with_identifiers(order: PickOrder) -> bool:
    """Back Market records the IMEI/serial on the ship call only for one line of quantity 1; any other shape
    goes through `PATCH /ws/orderlines/{id}` per line."""
    return len(order.lines) == 1 and order.lines[0].quantity == 1


def unrecordable_lines(order: PickOrder) -> list[Reason]:
    """Lines whose units Back Market cannot all record (one identifier per orderline)."""
    return [QUANTITY_GT_ONE(sku=ln.sku, quantity=ln.quantity) for ln in order.lines if ln.quantity > 1]
