"""The suggested grade with its reasons, and the check of a grade chosen against it (scale: grade_scale.py).

Usage: `scale = load_grade_scale()` (grading_station.resources); `suggest_grade(template, session, scale)` ->
Suggestion("excellent", ["battery 84 % < 90 % for Premium"]); `validate_override(scale, suggested, chosen,
reason)` -> the cleaned reason, or InputError when a reason is needed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from grading_station.domain.checklist import ChecklistSession, ChecklistTemplate, StepKind
from grading_station.domain.grade_scale import Condition, Grade, GradeScale

from grading_station.errors import InputError

__all__ = ["Condition", "Grade", "GradeScale", "Suggestion", "suggest_grade", "validate_override"]


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
    checks: list[Callable[[Grade], bool]] = []

    def limit(permits: Callable[[Grade], bool], describe: Callable[[int | None], str]) -> None:
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
    noted: list[str] = []
    for step in session.failed_steps():
        if step.repair_on_fail:
            continue
        what = f"{step.title}: failed"

        def noted_text(i: int | None, what: str = what) -> str:
            return f"{what} → {sellable[i].title} at best" if i is not None else f"{what}: not sellable"

        if all(g.noted_failures_allowed for g in sellable):
            noted.append(f"{what} (noted, no repair needed)")
        else:
            limit(lambda g: g.noted_failures_allowed, noted_text)
    complete = not session.missing()
    if repair_reasons:
        grade = scale.repair
        reasons = [f"{reason} → {grade.title}" for reason in repair_reasons]
        return Suggestion(grade.key, [*reasons, *noted], session.hold_reasons(), complete)
    # The best grade that every criterion allows (a scale whose criteria are not ordered best-to-worst can
    # leave none: then the unit needs a person's decision, i.e. Repair with the reasons found).
    grade = next((g for g in sellable if all(check(g) for check in checks)), None)
    if grade is None:
        reasons = [f"{reason} → {scale.repair.title}" for reason in reasons or ["no sellable grade fits"]]
        return Suggestion(scale.repair.key, [*reasons, *noted], session.hold_reasons(), complete)
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
