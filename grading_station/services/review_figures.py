"""The Review workspace's figures from the units on hand and the care folders, and their CSV export."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from grading_station.domain.review import ReviewUnit
from grading_station.domain.review_figures import GradeFigures, OperatorFigures, per_grade, per_operator

from grading_station.services.review_care import Disputes


@dataclass(frozen=True)
class Figures:
    operators: tuple[OperatorFigures, ...]
    grades: tuple[GradeFigures, ...]
    units: int
    disputes: int
    sold: int = 0


def compute(on_hand: list[ReviewUnit], disputes: Disputes | None, today: date, *,
            sold: Iterable[ReviewUnit] = (), listed: Mapping[str, float] | None = None) -> Figures:
    """Per operator and per category × grade, over the units on hand (with every lot's properties: see
    ReviewService.units_for_figures), the units sold on Back Market (their lots) and the units of the care
    folders and returns; `listed` maps a serial to when its listing went live."""
    units, sold = list(on_hand), list(sold)
    disputed = [d.unit for d in (disputes.items if disputes else ()) if d.unit is not None]
    return Figures(tuple(per_operator(units, disputed, sold)),
                   tuple(per_grade(units, disputed, today, sold, listed)), len(units), len(disputed), len(sold))


def to_csv(figures: Figures) -> str:
    """Both tables in one CSV (a blank line between them), numbers in plain dot notation for spreadsheets."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["technician", "graded", "per_day", "per_hour", "overrides", "override_rate", "disputes",
                     "dispute_rate"])
    for r in figures.operators:
        writer.writerow([r.technician, r.graded, f"{r.per_day:.2f}", f"{r.per_hour:.2f}", r.overrides,
                         f"{r.override_rate:.4f}", r.disputes, f"{r.dispute_rate:.4f}"])
    writer.writerow([])
    writer.writerow(["category", "grade", "units", "median_age_days", "disputes", "dispute_rate", "sold",
                     "listed", "median_days_to_listing"])
    for g in figures.grades:
        writer.writerow([g.category, g.grade, g.units, f"{g.median_age_days:.1f}", g.disputes,
                         f"{g.dispute_rate:.4f}", g.sold, g.listed,
                         "" if g.median_days_to_listing is None else f"{g.median_days_to_listing:.1f}"])
    return out.getvalue()
