"""Where a graded unit goes: sellable stock, held (incomplete record, account lock) or the repair bench."""

from __future__ import annotations

from dataclasses import dataclass

from grading_station.domain.checklist import NO, ChecklistSession, StepKind
from grading_station.domain.grades import GradeScale
from grading_station.domain.units import Placement


@dataclass(frozen=True)
class PlacementDecision:
    """The placement and, for a hold, the reason in plain words (stored in the lot's `hold_reason`)."""

    placement: Placement
    hold_reason: str = ""


def decide_placement(session: ChecklistSession, grade_key: str, scale: GradeScale) -> PlacementDecision:
    """An account lock left on holds the unit whatever its grade (it cannot be sold nor usefully repaired);
    otherwise a non-sellable grade goes where the scale says (repair); a sellable grade with required steps or
    photos missing is held; everything else goes to sellable stock."""
    grade = scale.grade(grade_key)
    locks = [
        s.hold_reason
        for s in session.template.steps_of(StepKind.CONFIRM)
        if s.hold_if_not_confirmed and session.answers.get(s.id) == NO
    ]
    if locks:
        return PlacementDecision(Placement.HOLD, "; ".join(locks))
    if not grade.sellable:
        return PlacementDecision(grade.placement)
    missing = session.missing()
    if missing:
        return PlacementDecision(Placement.HOLD, "; ".join(missing))
    return PlacementDecision(Placement.STOCK)
