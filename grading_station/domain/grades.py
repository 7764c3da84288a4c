"""The grade scale (resources/grades.toml as a dict), the suggested grade with its reasons, override checks.

Usage: `scale = load_grade_scale()` (grading_station.resources); `suggest_grade(template, session, scale)` ->
Suggestion("excellent", ["battery 84 % < 90 % for Premium"]); `validate_override(scale, suggested, chosen,
reason)` -> the cleaned reason, or InputError when a reason is needed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from grading_station.domain.checklist import ChecklistSession, ChecklistTemplate, StepKind
from grading_station.domain.units import Placement

from grading_station.errors import InputError, KnownError


@dataclass(frozen=True)
class Condition:
    """A step of the cosmetic scale, `rank` 0 the best; a `repair` condition (cracks) means repair."""

    key: str
    title: str
    rank: int
    help: str = ""
    repair: bool = False


@dataclass(frozen=True)
class Grade:
    """A grade and its criteria. Non-sellable grades (repair, parts) have no criteria and a `placement`."""

    key: str
    title: str
    sellable: bool
    backmarket: str | None = None  # Back Market API value (PREMIUM, EXCELLENT, GOOD, FAIR)
    min_battery: Mapping[str, int] = field(default_factory=dict)  # category or "default" -> %
    max_cycles: Mapping[str, int] = field(default_factory=dict)  # category or "default" -> cycles
    worst_condition: str = ""
    worst_condition_by_zone: Mapping[str, str] = field(default_factory=dict)
    placement: Placement = Placement.STOCK
    description: str = ""

    def min_battery_for(self, category: str) -> int | None:
        return self.min_battery.get(category, self.min_battery.get("default"))

    def max_cycles_for(self, category: str) -> int | None:
        return self.max_cycles.get(category, self.max_cycles.get("default"))

    def worst_condition_for(self, zone: str) -> str:
        return self.worst_condition_by_zone.get(zone, self.worst_condition)


@dataclass(frozen=True)
class GradeScale:
    """Grades best first, the cosmetic conditions best first."""

    grades: tuple[Grade, ...]
    conditions: tuple[Condition, ...]
    version: int = 1

    @property
    def sellable(self) -> tuple[Grade, ...]:
        return tuple(g for g in self.grades if g.sellable)

    @property
    def repair(self) -> Grade:
        """The grade a failed test, a worn battery or a crack leads to (the first non-sellable grade)."""
        return next(g for g in self.grades if not g.sellable)

    def grade(self, key: str) -> Grade:
        for grade in self.grades:
            if grade.key == key:
                return grade
        raise InputError(f"There is no grade '{key}' in the grade scale.")

    def condition(self, key: str) -> Condition:
        for condition in self.conditions:
            if condition.key == key:
                return condition
        raise InputError(f"'{key}' is not a cosmetic condition of the grade scale.")

    def by_backmarket(self, value: str) -> Grade | None:
        return next((g for g in self.grades if g.backmarket == value), None)

    @classmethod
    def from_dict(cls, data: Mapping, source: str = "grades.toml") -> GradeScale:
        conditions = tuple(
            Condition(
                str(c["key"]), str(c["title"]), rank, str(c.get("help", "")), bool(c.get("repair", False))
            )
            for rank, c in enumerate(data.get("conditions", ()))
        )
        grades = tuple(_grade(g) for g in data.get("grades", ()))
        scale = cls(grades, conditions, int(data.get("version", 1)))
        _validate(scale, source)
        return scale


def _per_category(value: object) -> dict[str, int]:
    if value is None:
        return {}
    if isinstance(value, int):
        return {"default": value}
    return {str(k): int(v) for k, v in dict(value).items()}


def _grade(raw: Mapping) -> Grade:
    sellable = bool(raw.get("sellable", True))
    return Grade(
        key=str(raw["key"]),
        title=str(raw["title"]),
        sellable=sellable,
        backmarket=raw.get("backmarket"),
        min_battery=_per_category(raw.get("min_battery")),
        max_cycles=_per_category(raw.get("max_cycles")),
        worst_condition=str(raw.get("worst_condition", "")),
        worst_condition_by_zone=dict(raw.get("worst_condition_by_zone", {})),
        placement=Placement(raw.get("placement", "stock" if sellable else "repair")),
        description=str(raw.get("description", "")),
    )


def _validate(scale: GradeScale, source: str) -> None:
    if not scale.sellable or all(g.sellable for g in scale.grades):
        raise KnownError(f"{source}: the scale needs sellable grades and a non-sellable one (repair).")
    if len({g.key for g in scale.grades}) != len(scale.grades):
        raise KnownError(f"{source}: two grades share a key.")
    keys = {c.key for c in scale.conditions}
    for grade in scale.sellable:
        for condition in (grade.worst_condition, *grade.worst_condition_by_zone.values()):
            if condition not in keys:
                raise KnownError(f"{source}: grade {grade.key!r} refers to unknown condition {condition!r}.")
        if grade.placement != Placement.STOCK:
            raise KnownError(f"{source}: sellable grade {grade.key!r} must go to stock.")


@dataclass(frozen=True)
class Suggestion:
    """The grade the checklist points to, with the reasons a technician reads ("battery 84 % < 90 % for
    Premium"). `hold_reasons` (missing items, account locks) decide a hold whatever the grade; `complete` is
    False while required steps are still open (the suggestion may still change)."""

    grade: str
    reasons: list[str]
    hold_reasons: list[str] = field(default_factory=list)
    complete: bool = True


def suggest_grade(template: ChecklistTemplate, session: ChecklistSession, scale: GradeScale) -> Suggestion:
    """The best grade every criterion allows; Repair when a test failed, the battery is below every sellable
    grade's minimum or a zone is cracked."""
    category = template.category
    sellable = scale.sellable
    repair_reasons = list(session.repair_reasons())
    reasons: list[str] = []
    best = 0  # index into `sellable` of the best grade still possible

    def limit(permits, describe) -> None:
        nonlocal best
        first = next((i for i, g in enumerate(sellable) if permits(g)), None)
        if first is None:
            repair_reasons.append(describe(None))
        elif first > 0:
            reasons.append(describe(first))
            best = max(best, first)

    if session.battery is not None:
        health, cycles = session.battery.health, session.battery.cycles

        def health_ok(g: Grade) -> bool:
            return (g.min_battery_for(category) or 0) <= health

        def health_text(i: int | None) -> str:
            if i is None:
                floor = sellable[-1].min_battery_for(category)
                return (
                    f"battery {health} % < {floor} %, the minimum to sell a {category}: replace the battery"
                )
            above = sellable[i - 1]
            return f"battery {health} % < {above.min_battery_for(category)} % for {above.title}"

        limit(health_ok, health_text)
        if cycles is not None:

            def cycles_ok(g: Grade) -> bool:
                return (g.max_cycles_for(category) or cycles) >= cycles

            def cycles_text(i: int | None) -> str:
                grade = sellable[-1] if i is None else sellable[i - 1]
                return f"battery {cycles} cycles > {grade.max_cycles_for(category)} for {grade.title}"

            limit(cycles_ok, cycles_text)
    for step in template.steps_of(StepKind.COSMETIC):
        for zone in step.zones:
            if zone.id not in session.cosmetic:
                continue
            condition = scale.condition(session.cosmetic[zone.id])
            what = f"{zone.title.lower()}: {condition.title.lower()}"
            if condition.repair:
                repair_reasons.append(what)
                continue

            def zone_ok(g: Grade, zone_id: str = zone.id, rank: int = condition.rank) -> bool:
                return rank <= scale.condition(g.worst_condition_for(zone_id)).rank

            def zone_text(i: int | None, what: str = what) -> str:
                return f"{what} → {sellable[i].title} at best" if i is not None else f"{what}: not sellable"

            limit(zone_ok, zone_text)
    noted = [
        f"{s.title}: failed (noted, no repair needed)" for s in session.failed_steps() if not s.repair_on_fail
    ]
    complete = not session.missing()
    if repair_reasons:
        grade = scale.repair
        reasons = [f"{reason} → {grade.title}" for reason in repair_reasons]
        return Suggestion(grade.key, [*reasons, *noted], session.hold_reasons(), complete)
    grade = sellable[best]
    if not reasons:
        reasons.append(f"meets every {grade.title} criterion" if complete else f"{grade.title} so far")
    if not complete:
        reasons.append("not final: " + "; ".join(session.missing()))
    return Suggestion(grade.key, [*reasons, *noted], session.hold_reasons(), complete)


MIN_REASON_LENGTH = 5


def validate_override(scale: GradeScale, suggested: str, chosen: str, reason: str) -> str:
    """Check a grade chosen at the bench against the suggestion; returns the cleaned reason ("" when the
    suggestion is kept). A different grade needs a reason, and a unit the checklist sends to repair cannot be
    given a sellable grade (redo the test instead)."""
    chosen_grade = scale.grade(chosen)
    suggested_grade = scale.grade(suggested)
    reason = " ".join(reason.split())
    if chosen == suggested:
        return reason
    if chosen_grade.sellable and not suggested_grade.sellable:
        raise InputError(
            f"The checklist sends this unit to {suggested_grade.title}: it cannot be graded "
            f"{chosen_grade.title}. If a test was answered by mistake, answer it again."
        )
    if not reason:
        raise InputError(
            f"You chose {chosen_grade.title} instead of the suggested {suggested_grade.title}: say why "
            "(e.g. 'scratch on the camera lens'). The reason is kept in the unit's history."
        )
    if len(reason) < MIN_REASON_LENGTH:
        raise InputError(f"'{reason}' is too short to explain the change of grade: say a few words more.")
    return reason
