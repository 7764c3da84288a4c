"""Where a graded unit goes: sellable stock, held (incomplete record, account lock) or the repair bench."""

from __future__ import annotations

from dataclasses import dataclass

from grading_station.domain.checklist import ChecklistSession
from grading_station.domain.grades import GradeScale
from grading_station.domain.reasons import Reason
from grading_station.domain.units import Placement


@dataclass(frozen=True)
class PlacementDecision:
    """The placement and, for a hold, its reasons (worded into the lot's `hold_reason`, joined by "; ")."""

    placement: Placement
    hold_reasons: tuple[Reason, ...] = ()


def decide_placement(session: ChecklistSession, grade_key: str, scale: GradeScale) -> PlacementDecision:
    """An account lock left on holds the unit whatever its grade (it cannot be sold nor usefully repaired);
    otherwise a non-sellable grade goes where the scale says (repair); a sellable grade with required steps or
    photos missing is held; everything else goes to sellable stock."""
    grade = scale.grade(grade_key)
    locks = session.locks()
    if locks:
        return PlacementDecision(Placement.HOLD, tuple(locks))
    if not grade.sellable:
        return PlacementDecision(grade.placement)
    missing = session.missing()
    if missing:
        return PlacementDecision(Placement.HOLD, tuple(missing))
    return PlacementDecision(Placement.STOCK)
