"""The supervisor's queues as pure functions of the units on hand: held/repair, battery re-test, grade overrides."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from grading_station.domain.reasons import Reason, code

# Why a held unit cannot be released yet (its record is not complete).
NO_GRADE = code("review.no_grade")
NOT_SELLABLE = code("review.not_sellable", "grade")
NO_BATTERY = code("review.no_battery")
NO_TEST_DATE = code("review.no_test_date")
NO_CHECKLIST = code("review.no_checklist")
NOT_HELD = code("review.not_held", "location")

HOLD, REPAIR, STOCK = "hold", "repair", "stock"


@dataclass(frozen=True)
class ReviewUnit:
    """A serial on hand in one of the warehouse's internal locations, with its lot properties as read.

    `place` is STOCK, HOLD or REPAIR (where its quant is, not stock.lot.location_id, which Odoo does not
    recompute); `value` is what the unit sells for at its grade (0 when there is no price rule)."""

    serial: str
    lot_id: int
    variant_id: int
    template_id: int
    model_name: str
    category: str
    grade: str
    location: str
    place: str
    in_date: str
    value: float = 0.0
    new_price: float = 0.0  # the model's new-device price (what `value` is worked out from)
    props: Mapping[str, object] = field(default_factory=dict)

    def prop(self, name: str) -> str:
        value = self.props.get(name)
        return "" if value is False or value is None else str(value)

    @property
    def hold_reason(self) -> str:
        return self.prop("hold_reason")

    @property
    def technician(self) -> str:
        return self.prop("technician")

    @property
    def suggested_grade(self) -> str:
        return self.prop("suggested_grade")

    @property
    def overridden(self) -> bool:
        """The technician chose another grade than the one the checklist suggested."""
        return bool(self.suggested_grade) and self.suggested_grade != self.grade


@dataclass(frozen=True)
class RetestDue:
    """A unit whose battery should be measured again: in stock `days_in_stock` days, last tested `days_since_test`."""

    unit: ReviewUnit
    days_in_stock: int
    days_since_test: int


def _day(value: str) -> date | None:
    """ "2026-11-27", "2026-11-27 09:30:00" or an ISO datetime -> its date; None when empty or unreadable."""
    text = (value or "").strip()
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            return None


def held_and_repair(units: Iterable[ReviewUnit]) -> list[ReviewUnit]:
    """Units in WH/Hold then WH/Repair, oldest first within each (they have waited longest)."""
    chosen = [u for u in units if u.place in (HOLD, REPAIR)]
    return sorted(chosen, key=lambda u: (u.place != HOLD, u.in_date, u.serial))


def retest_due(
    units: Iterable[ReviewUnit], days_by_category: Mapping[str, int], default_days: int, today: date
) -> list[RetestDue]:
    """Sellable units in stock for at least their category's number of days (from the `intake_date` property the
    bench writes: Odoo's quant in_date restarts at every re-grade) whose battery was last measured as long ago;
    highest value first. A unit with no intake date counts from its quant's in_date."""
    due = []
    for unit in units:
        if unit.place != STOCK:
            continue
        limit = days_by_category.get(unit.category, default_days)
        intake = _day(unit.prop("intake_date")) or _day(unit.in_date)
        tested = _day(unit.prop("tested_at")) or intake
        if intake is None or tested is None:
            continue
        in_stock, since_test = (today - intake).days, (today - tested).days
        if in_stock >= limit and since_test >= limit:
            due.append(RetestDue(unit, in_stock, since_test))
    return sorted(due, key=lambda d: (-d.unit.value, -d.days_in_stock, d.unit.serial))


def override_requests(units: Iterable[ReviewUnit]) -> list[ReviewUnit]:
    """Units in sellable stock whose last grading overrode the suggested grade, newest grading first (held and
    repair units are in the supervisor's hands already: their own queue shows them)."""
    chosen = [u for u in units if u.overridden and u.place == STOCK]
    return sorted(chosen, key=lambda u: u.prop("tested_at"), reverse=True)


def release_gaps(unit: ReviewUnit, sellable: Iterable[str]) -> tuple[Reason, ...]:
    """Why a held unit may not go back to sellable stock yet (empty: its record is complete)."""
    gaps: list[Reason] = []
    if unit.place != HOLD:
        gaps.append(NOT_HELD(location=unit.location))
    if not unit.grade:
        gaps.append(NO_GRADE())
    elif unit.grade not in set(sellable):
        gaps.append(NOT_SELLABLE(grade=unit.grade))
    if unit.category in ("phone", "tablet", "laptop") and not unit.prop("battery_health"):
        gaps.append(NO_BATTERY())
    if not unit.prop("tested_at"):
        gaps.append(NO_TEST_DATE())
    if not unit.prop("checklist"):
        gaps.append(NO_CHECKLIST())
    return tuple(gaps)


def under_warranty(props: Mapping[str, object], today: date) -> bool:
    """The unit's `warranty_end` (set when it was sold) is today or later."""
    end = _day(str(props.get("warranty_end") or ""))
    return end is not None and end >= today
