"""The supervisor's figures from the units read for the queues: per operator, and per category × grade (pure)."""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from grading_station.domain.review import ReviewUnit


@dataclass(frozen=True)
class OperatorFigures:
    """One technician's gradings among the units read: count, per active day and hour, overrides, disputes."""

    technician: str
    graded: int
    per_day: float
    per_hour: float
    overrides: int
    disputes: int

    @property
    def override_rate(self) -> float:
        return self.overrides / self.graded if self.graded else 0.0

    @property
    def dispute_rate(self) -> float:
        return self.disputes / self.graded if self.graded else 0.0


@dataclass(frozen=True)
class GradeFigures:
    """One category × grade: units on hand, their median age in stock (days since intake), disputes."""

    category: str
    grade: str
    units: int
    median_age_days: float
    disputes: int

    @property
    def dispute_rate(self) -> float:
        return self.disputes / self.units if self.units else 0.0


def _moment(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00").replace(" ", "T")) if value else None
    except ValueError:
        return None


def per_operator(units: Iterable[ReviewUnit], disputed: Iterable[ReviewUnit]) -> list[OperatorFigures]:
    """Figures per technician, most gradings first; a dispute counts against whoever graded the unit last."""
    units = list(units)
    disputes: dict[str, int] = {}
    for unit in disputed:
        disputes[unit.technician] = disputes.get(unit.technician, 0) + 1
    rows = []
    for technician in sorted({u.technician for u in units} | set(disputes)):
        mine = [u for u in units if u.technician == technician]
        moments = [m for m in (_moment(u.prop("tested_at")) for u in mine) if m is not None]
        days = len({m.date() for m in moments}) or 1
        hours = len({(m.date(), m.hour) for m in moments}) or 1
        rows.append(OperatorFigures(technician or "?", len(mine), len(mine) / days, len(mine) / hours,
                                    sum(1 for u in mine if u.overridden), disputes.get(technician, 0)))
    return sorted(rows, key=lambda r: (-r.graded, r.technician))


def per_grade(units: Iterable[ReviewUnit], disputed: Iterable[ReviewUnit], today: date) -> list[GradeFigures]:
    """Figures per category × grade of the units on hand, in category then grade order of appearance."""
    groups: dict[tuple[str, str], list[ReviewUnit]] = {}
    for unit in units:
        groups.setdefault((unit.category, unit.grade), []).append(unit)
    disputes: dict[tuple[str, str], int] = {}
    for unit in disputed:
        disputes[(unit.category, unit.grade)] = disputes.get((unit.category, unit.grade), 0) + 1
    rows = []
    for key in sorted(set(groups) | set(disputes)):
        ages = []
        for unit in groups.get(key, []):
            intake = _moment(unit.prop("intake_date") or unit.in_date)
            if intake is not None:
                ages.append((today - intake.date()).days)
        rows.append(GradeFigures(key[0], key[1], len(groups.get(key, [])),
                                 float(statistics.median(ages)) if ages else 0.0, disputes.get(key, 0)))
    return rows
