"""The supervisor's use case: the queues (held/repair, battery re-test, overrides) and the actions on a unit.

Qt-free. `load()` reads Odoo (≤ 3 RPCs: the quants, the lots' write dates, the properties of only the lots written
since they were last read, which the local store keeps across restarts) and keeps the last answer, so while Odoo
is down the queues still show it, with its age. Every action needs the supervisor's name and a reason; it is
stored locally with its audit entry in one transaction and reaches Odoo through the outbox (re-grades as ordinary
gradings, so the lot moves to the new variant and Back Market follows; repair and release as "review" items).
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime, timedelta

from grading_station.domain.grade_scale import GradeScale
from grading_station.domain.grading import GradingRecord
from grading_station.domain.review import (
    RetestDue,
    ReviewUnit,
    held_and_repair,
    override_requests,
    release_gaps,
    retest_due,
    under_warranty,
)

from grading_station.odoo.mappers import iso_datetime
from grading_station.odoo.review_actions import ReviewAction
from grading_station.store.outbox import GRADING
from grading_station.store.review import ReviewStore

from grading_station import log
from grading_station.config import declare
from grading_station.errors import InputError, KnownError, RemoteUnavailable
from grading_station.i18n import _
from grading_station.wording import describe_all

KIND_REVIEW = "review"  # outbox kind of the repair / release actions (ReviewHandler delivers it)
HELD, RETEST, OVERRIDES = "held", "retest", "overrides"
CATEGORIES = ("phone", "tablet", "laptop")
RETEST_DEFAULT_DAYS = 90  # a category with no setting of its own

for _category in CATEGORIES:
    declare(f"review.retest_days_{_category}", int, 90, f"Battery re-test after (days, {_category}s)",
            "Units of this category in sellable stock this long since intake, and since their last battery "
            "reading, show in the supervisor's battery re-test queue", minimum=1, maximum=3650)


@dataclass(frozen=True)
class Queues:
    """One reading of the units on hand, as the three queues. `stale` when Odoo could not be read: these are the
    units of `read_at`, and `problem` says why (in the user's words)."""

    held: tuple[ReviewUnit, ...]
    retest: tuple[RetestDue, ...]
    overrides: tuple[ReviewUnit, ...]
    read_at: datetime
    stale: bool = False
    problem: str = ""
    units: Mapping[str, ReviewUnit] = field(default_factory=dict)  # serial -> unit, for scans

    def locate(self, serial: str) -> list[str]:
        """The queues a serial is in (HELD, RETEST, OVERRIDES), in that order."""
        found = []
        if any(u.serial == serial for u in self.held):
            found.append(HELD)
        if any(d.unit.serial == serial for d in self.retest):
            found.append(RETEST)
        if any(u.serial == serial for u in self.overrides):
            found.append(OVERRIDES)
        return found


class ReviewService:
    """The Review workspace's use case over the Odoo gateway (anything with units_on_hand, variant_for,
    last_test_report) and the local ReviewStore. `value_of(unit)` prices a unit for the re-test order;
    `retest_days()` maps a category to its number of days (read at each load: settings apply at once)."""

    def __init__(
        self, gateway: object, store: ReviewStore, scale: GradeScale, station: str, *,
        value_of: Callable[[ReviewUnit], float] = lambda unit: 0.0,
        retest_days: Callable[[], Mapping[str, int]] = lambda: {},
        listed_at: Callable[[], Mapping[str, float]] = lambda: {},
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        new_id: Callable[[], str] = lambda: str(uuid.uuid4()),
    ) -> None:
        self.gateway, self.store, self.scale, self.station = gateway, store, scale, station
        self.value_of, self.retest_days, self.clock, self.new_id = value_of, retest_days, clock, new_id
        self.listed_at = listed_at  # serial -> when its listing went live (the listing registry)
        self._last: Queues | None = None
        self._lock = threading.Lock()

    # -- queues ------------------------------------------------------------------------------------
    def load(self) -> Queues:
        """Read the units on hand and sort them into the queues; while Odoo is unreachable, the last reading
        marked stale (a RemoteUnavailable when there is none yet)."""
        days = self.retest_days()
        today = self.clock().date()
        # the properties of only the lots a queue can show: in stock since before the shortest delay
        cutoff = today - timedelta(days=min([*days.values(), RETEST_DEFAULT_DAYS]))
        try:
            units = self.gateway.units_on_hand(cutoff)
        except RemoteUnavailable as exc:
            with self._lock:
                last = self._last
            if last is None:
                raise
            log.odoo.info("review queues: Odoo unreachable, showing the reading of %s", last.read_at)
            return replace(last, stale=True, problem=exc.user_message)
        priced = [replace(u, value=self.value_of(u)) for u in units]
        queues = Queues(
            held=tuple(held_and_repair(priced)),
            retest=tuple(retest_due(priced, days, RETEST_DEFAULT_DAYS, today)),
            overrides=tuple(override_requests(priced)),
            read_at=self.clock(),
            units={u.serial: u for u in priced},
        )
        with self._lock:
            self._last = queues
        return queues

    def units_for_figures(self, queues: Queues) -> list[ReviewUnit]:
        """Every unit on hand with all its properties (the queues read only theirs; the figures need each unit's
        technician): a reading of its own, off the GUI thread; the queues' units while Odoo is unreachable."""
        try:
            return self.gateway.units_on_hand()
        except RemoteUnavailable:
            return list(queues.units.values())

    def sold_units(self, serials: list[str]) -> list[ReviewUnit]:
        """The graded lots of units sold (their grading stays on the lot: technician, intake date), 1 RPC; none
        while Odoo is unreachable."""
        try:
            return list(self.gateway.units_by_serial(serials).values()) if serials else []
        except RemoteUnavailable:
            return []

    # -- actions -------------------------------------------------------------------------------------
    def send_to_repair(self, unit: ReviewUnit, supervisor: str, reason: str) -> str:
        """Open a repair.order on the lot (under warranty while its warranty_end is ahead) and move it to WH/Repair."""
        supervisor, reason = _checked(supervisor, reason)
        warranty = under_warranty(unit.props, self.clock().date())
        return self._enqueue_action(unit, "repair", supervisor, reason, under_warranty=warranty)

    def release_hold(self, unit: ReviewUnit, supervisor: str, reason: str) -> str:
        """Put a held unit back in sellable stock; refused while its record is incomplete."""
        supervisor, reason = _checked(supervisor, reason)
        gaps = release_gaps(unit, [g.key for g in self.scale.sellable])
        if gaps:
            raise InputError(_("{serial} cannot be released yet: {gaps}").format(
                serial=unit.serial, gaps=describe_all(gaps)))
        return self._enqueue_action(unit, "release", supervisor, reason)

    def receive_return(self, unit: ReviewUnit, supervisor: str, reason: str) -> str:
        """A sold unit comes back: its delivery is returned in Odoo (stock.return.picking) into WH/Hold."""
        supervisor, reason = _checked(supervisor, reason)
        if unit.place:
            raise InputError(_("{serial} is on hand ({location}): there is nothing to receive.").format(
                serial=unit.serial, location=unit.location))
        return self._enqueue_action(unit, "return", supervisor, reason)

    def mark_parts(self, unit: ReviewUnit, supervisor: str, reason: str) -> str:
        """Re-grade to the parts/recycle outcome (its variant, in WH/Repair), off the sellable stock."""
        parts = next((g.key for g in self.scale.grades if not g.sellable and g.key != self.scale.repair.key),
                     self.scale.repair.key)
        return self.regrade(unit, parts, supervisor, reason, action="parts")

    def regrade(self, unit: ReviewUnit, grade: str, supervisor: str, reason: str, *, action: str = "regrade") -> str:
        """Move the unit to `grade` as a grading of its own: the same outbox item as a bench commit (the lot goes to
        the new variant, the listing follows), carrying the earlier test results, battery and test date."""
        supervisor, reason = _checked(supervisor, reason)
        if grade == unit.grade:
            raise InputError(_("{serial} is already graded {grade}.").format(serial=unit.serial,
                                                                             grade=_(self.scale.grade(grade).title)))
        variant_id = self.gateway.variant_for(unit.template_id, grade)
        if not variant_id:
            raise InputError(_("{model} has no variant for the grade {grade} in Odoo: run “Prepare Odoo”.").format(
                model=unit.model_name, grade=_(self.scale.grade(grade).title)))
        record = self._record(unit, grade, variant_id, supervisor, reason)
        detail = {"grading_id": record.grading_id, "from": unit.grade, "to": grade, "reason": reason}
        return self.store.enqueue_action(GRADING, record.to_json(), item_id=record.grading_id, actor=supervisor,
                                         action=action, subject=unit.serial, detail=detail)

    def _record(self, unit: ReviewUnit, grade: str, variant_id: int, supervisor: str, reason: str) -> GradingRecord:
        try:  # the earlier results travel on (the JSON report stays complete); offline the record goes without
            report = self.gateway.last_test_report(unit.lot_id) or {}
        except RemoteUnavailable:
            report = {}
        checklist_id, _sep, version = unit.prop("checklist").partition("@")
        battery = unit.props.get("battery_health")
        cycles = unit.props.get("battery_cycles")
        tested = iso_datetime(unit.prop("tested_at")) or self.clock().astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        target = self.scale.grade(grade)
        return GradingRecord(
            grading_id=self.new_id(), serial=unit.serial, template_id=unit.template_id, variant_id=variant_id,
            model_name=unit.model_name, category=unit.category, grade=grade,
            suggested_grade=grade,  # the supervisor's decision: not an override request of its own
            override_reason="", placement=target.placement, hold_reason="",
            battery_health=battery if isinstance(battery, int) and not isinstance(battery, bool) else None,
            battery_cycles=cycles if isinstance(cycles, int) and not isinstance(cycles, bool) else None,
            technician=supervisor, station=self.station, tested_at=tested,  # no new battery reading: same date
            checklist_id=checklist_id or str(report.get("checklist_id") or unit.category),
            checklist_version=int(version) if version.isdigit() else int(report.get("checklist_version") or 1),
            results=dict(report.get("results") or {}),
            notes={"supervisor re-grade": f"{unit.grade or '?'} → {grade}: {reason}"},
            existing_lot_id=unit.lot_id, existing_variant_id=unit.variant_id,
        )

    def _enqueue_action(self, unit: ReviewUnit, kind: str, supervisor: str, reason: str, *,
                        under_warranty: bool = False) -> str:
        action = ReviewAction(self.new_id(), kind, unit.serial, unit.lot_id, supervisor, reason, under_warranty)
        detail = {"reason": reason, "location": unit.location, "grade": unit.grade, "under_warranty": under_warranty}
        return self.store.enqueue_action(KIND_REVIEW, asdict(action), item_id=action.action_id, actor=supervisor,
                                         action=kind, subject=unit.serial, detail=detail)

    def history(self, serial: str) -> list:
        """This station's audit entries about a serial, newest first."""
        return self.store.audit_entries(serial)


def value_by_pricing(load: Callable[[], object]) -> Callable[[ReviewUnit], float]:
    """A unit's value: its model's new price × the high share of its grade in the pricing rules (`load()` reads
    them once, at the first unit: off the GUI thread, in `ReviewService.load`)."""
    table: list = []

    def value_of(unit: ReviewUnit) -> float:
        if not table:
            table.append(load())
        share = table[0].shares.get(unit.category, {}).get(unit.grade)
        return round(unit.new_price * float(share[1]), 2) if share else 0.0

    return value_of


def _checked(supervisor: str, reason: str) -> tuple[str, str]:
    supervisor, reason = supervisor.strip(), reason.strip()
    if not supervisor:
        raise InputError(_("Enter the supervisor's name: every review action is signed."))
    if not reason:
        raise InputError(_("Enter the reason: it goes in the audit log and on the unit's chatter in Odoo."))
    return supervisor, reason


class ReviewHandler:
    """Delivers KIND_REVIEW outbox items to Odoo (ReviewActions, idempotent per action id)."""

    def __init__(self, gateway: object) -> None:
        self.gateway = gateway

    def __call__(self, item: object) -> dict:
        try:
            action = ReviewAction(**item.payload)
        except TypeError as exc:  # a payload of another version: set aside with its reason, never guessed at
            raise KnownError(_("This review action cannot be read (made by another version?)."),
                             detail=str(exc)) from exc
        return asdict(self.gateway.apply_review_action(action))

