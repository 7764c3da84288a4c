"""The suggested grade with its reasons, and the check of a grade chosen against it (scale: grade_scale.py).

Usage: `scale = load_grade_scale()` (grading_station.resources); `suggest_grade(template, session, scale)` ->
Suggestion("excellent", [BATTERY_BELOW(health=84, minimum=90, grade="Premium")]) (worded by wording.py:
"battery 84 % < 90 % for Premium"); `validate_override(scale, suggested, chosen, reason)` -> the cleaned reason,
or InputError when a reason is needed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from grading_station.domain.checklist import FAILED, ChecklistSession, ChecklistTemplate, StepKind
from grading_station.domain.grade_scale import Condition, Grade, GradeScale
from grading_station.domain.reasons import Reason, code

from grading_station.errors import InputError

__all__ = ["Condition", "Grade", "GradeScale", "Suggestion", "suggest_grade", "validate_override"]

# `grade`, `zone`, `condition`: titles from grades.toml / the checklist (translated where worded);
# `category`: the checklist category key ("phone"); `reason`: the Reason a criterion wraps.
BATTERY_UNSELLABLE = code("grade.battery_unsellable", "health", "minimum", "category")
BATTERY_BELOW = code("grade.battery_below", "health", "minimum", "grade")
CYCLES_ABOVE = code("grade.cycles_above", "cycles", "maximum", "grade")
ZONE_CONDITION = code("grade.zone_condition", "zone", "condition")
AT_BEST = code("grade.at_best", "reason", "grade")
NOT_SELLABLE = code("grade.not_sellable", "reason")
NOTED = code("grade.noted", "reason")
LEADS_TO = code("grade.leads_to", "reason", "grade")
NO_SELLABLE_GRADE_FITS = code("grade.no_sellable_grade_fits")
MEETS_EVERY_CRITERION = code("grade.meets_every_criterion", "grade")
SO_FAR = code("grade.so_far", "grade")
NOT_FINAL = code("grade.not_final", "missing")
NOT_FINAL_COUNT = code("grade.not_final_count", "count")  # the same, counted (the bench's grade page)
OVERRIDE_TO_SELLABLE = code("grade.override_to_sellable", "suggested", "chosen")
OVERRIDE_NEEDS_REASON = code("grade.override_needs_reason", "chosen", "suggested")
OVERRIDE_TOO_SHORT = code("grade.override_too_short", "reason")


@dataclass(frozen=True)
class Suggestion:
    """The grade the checklist points to, with the reasons a technician reads (BATTERY_BELOW: "battery 84 % <
    90 % for Premium"). `hold_reasons` (missing items, account locks) decide a hold whatever the grade; `complete` is
    False while required steps are still open (the suggestion may still change)."""

    grade: str
    reasons: list[Reason]
    hold_reasons: list[Reason] = field(default_factory=list)
    complete: bool = True


def suggest_grade(template: ChecklistTemplate, session: ChecklistSession, scale: GradeScale) -> Suggestion:
    """The best grade every criterion allows; Repair when a test failed, the battery is below every sellable
    grade's minimum or a zone is cracked."""
    category = template.category
    sellable = scale.sellable
    repair_reasons = list(session.repair_reasons())
    reasons: list[Reason] = []
    checks: list[Callable[[Grade], bool]] = []

    def limit(permits: Callable[[Grade], bool], describe: Callable[[int | None], Reason]) -> None:
        # `describe(i)` explains why the criterion stops at sellable[i]; describe(None): no sellable grade.
        checks.append(permits)
        first = next((i for i, g in enumerate(sellable) if permits(g)), None)
        if first is None:
            repair_reasons.append(describe(None))
        elif first > 0:
            reasons.append(describe(first))

    if session.battery is not None:
        health, cycles = session.battery.health, session.battery.cycles

        def health_ok(g: Grade) -> bool:
            return (g.min_battery_for(category) or 0) <= health

        def health_text(i: int | None) -> Reason:
            if i is None:
                floor = sellable[-1].min_battery_for(category) or 0
                return BATTERY_UNSELLABLE(health=health, minimum=floor, category=category)
            above = sellable[i - 1]
            return BATTERY_BELOW(health=health, minimum=above.min_battery_for(category) or 0, grade=above.title)

        limit(health_ok, health_text)
        if cycles is not None:

            def cycles_ok(g: Grade) -> bool:
                return (g.max_cycles_for(category) or cycles) >= cycles

            def cycles_text(i: int | None) -> Reason:
                grade = sellable[-1] if i is None else sellable[i - 1]
                return CYCLES_ABOVE(cycles=cycles, maximum=grade.max_cycles_for(category) or 0, grade=grade.title)

            limit(cycles_ok, cycles_text)
    for step in template.steps_of(StepKind.COSMETIC):
        for zone in step.zones:
            if zone.id not in session.cosmetic:
                continue
            condition = scale.condition(session.cosmetic[zone.id])
            what = ZONE_CONDITION(zone=zone.title, condition=condition.title)
            if condition.repair:
                repair_reasons.append(what)
                continue

            def zone_ok(g: Grade, zone_id: str = zone.id, rank: int = condition.rank) -> bool:
                return rank <= scale.condition(g.worst_condition_for(zone_id)).rank

            def zone_text(i: int | None, what: Reason = what) -> Reason:
                return AT_BEST(reason=what, grade=sellable[i].title) if i is not None else NOT_SELLABLE(reason=what)

            limit(zone_ok, zone_text)
    noted: list[Reason] = []
    for step in session.failed_steps():
        if step.repair_on_fail:
            continue
        what = FAILED(step=step.title)

        def noted_text(i: int | None, what: Reason = what) -> Reason:
            return AT_BEST(reason=what, grade=sellable[i].title) if i is not None else NOT_SELLABLE(reason=what)

        if all(g.noted_failures_allowed for g in sellable):
            noted.append(NOTED(reason=what))
        else:
            limit(lambda g: g.noted_failures_allowed, noted_text)
    complete = not session.missing()
    if repair_reasons:
        grade = scale.repair
        reasons = [LEADS_TO(reason=reason, grade=grade.title) for reason in repair_reasons]
        return Suggestion(grade.key, [*reasons, *noted], session.hold_reasons(), complete)
    # The best grade that every criterion allows (a scale whose criteria are not ordered best-to-worst can
    # leave none: then the unit needs a person's decision, i.e. Repair with the reasons found).
    grade = next((g for g in sellable if all(check(g) for check in checks)), None)
    if grade is None:
        found = reasons or [NO_SELLABLE_GRADE_FITS()]
        reasons = [LEADS_TO(reason=reason, grade=scale.repair.title) for reason in found]
        return Suggestion(scale.repair.key, [*reasons, *noted], session.hold_reasons(), complete)
    if not reasons:
        reasons.append(MEETS_EVERY_CRITERION(grade=grade.title) if complete else SO_FAR(grade=grade.title))
    if not complete:
        reasons.append(NOT_FINAL(missing=tuple(session.missing())))
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
        raise InputError(OVERRIDE_TO_SELLABLE(suggested=suggested_grade.title, chosen=chosen_grade.title))
    if not reason:
        raise InputError(OVERRIDE_NEEDS_REASON(chosen=chosen_grade.title, suggested=suggested_grade.title))
    if len(reason) < MIN_REASON_LENGTH:
        raise InputError(OVERRIDE_TOO_SHORT(reason=reason))
    return reason
