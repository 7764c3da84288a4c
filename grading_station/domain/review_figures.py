"""The supervisor's figures from the units on hand and the units sold: per operator, and per category × grade
(pure)."""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime

from grading_station.domain.review import ReviewUnit


@dataclass(frozen=True)
class OperatorFigures:
    """One technician's gradings among the units on hand and sold: count, per active day and hour, overrides,
    disputes and returns (a unit sold then disputed or sent back counts against whoever graded it)."""

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
    """One category × grade: units on hand, their median age in stock (days since intake), disputes and returns;
    units sold, and the median days from intake to the listing going live over the units listed (None: none)."""

    category: str
    grade: str
    units: int
    median_age_days: float
    disputes: int
    sold: int = 0
    listed: int = 0
    median_days_to_listing: float | None = None

    @property
    def dispute_rate(self) -> float:
        """Over every unit of the group this station knows: on hand and sold."""
        return self.disputes / (self.units + self.sold) if self.units + self.sold else 0.0


def _moment(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00").replace(" ", "T")) if value else None
    except ValueError:
        return None


def _known(units: Iterable[ReviewUnit], sold: Iterable[ReviewUnit]) -> list[ReviewUnit]:
    """The units on hand and the sold ones not back on hand (a returned unit is counted once, as it is now)."""
    units = list(units)
    here = {u.serial for u in units}
    return units + [u for u in sold if u.serial not in here]


def _day(value: str) -> date | None:
    moment = _moment(value)
    return moment.date() if moment else None


def per_operator(units: Iterable[ReviewUnit], disputed: Iterable[ReviewUnit],
                 sold: Iterable[ReviewUnit] = ()) -> list[OperatorFigures]:
    """Figures per technician over the units on hand and the units sold, most gradings first; a dispute or return
    counts against whoever graded the unit last."""
    units = _known(units, sold)
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


def per_grade(units: Iterable[ReviewUnit], disputed: Iterable[ReviewUnit], today: date,
              sold: Iterable[ReviewUnit] = (), listed: Mapping[str, float] | None = None) -> list[GradeFigures]:
    """Figures per category × grade, sorted; `listed` maps a serial to when its listing went live (epoch
    seconds, from the listing registry): the days from its `intake_date` to then, over on-hand and sold units."""
    units = list(units)
    groups: dict[tuple[str, str], list[ReviewUnit]] = {}
    for unit in units:
        groups.setdefault((unit.category, unit.grade), []).append(unit)
    sold_groups: dict[tuple[str, str], list[ReviewUnit]] = {}
    here = {u.serial for u in units}
    for unit in sold:
        if unit.serial not in here:
            sold_groups.setdefault((unit.category, unit.grade), []).append(unit)
    to_listing: dict[tuple[str, str], list[int]] = {}
    for unit in _known(units, sold):
        at, intake = (listed or {}).get(unit.serial), _day(unit.prop("intake_date"))
        if at is not None and intake is not None:
            days = (datetime.fromtimestamp(at, UTC).date() - intake).days
            to_listing.setdefault((unit.category, unit.grade), []).append(max(days, 0))
    disputes: dict[tuple[str, str], int] = {}
    for unit in disputed:
        disputes[(unit.category, unit.grade)] = disputes.get((unit.category, unit.grade), 0) + 1
    rows = []
    for key in sorted(set(groups) | set(disputes) | set(sold_groups)):
        ages = []
        for unit in groups.get(key, []):
            intake = _moment(unit.prop("intake_date") or unit.in_date)
            if intake is not None:
                ages.append((today - intake.date()).days)
        days = to_listing.get(key, [])
        rows.append(GradeFigures(key[0], key[1], len(groups.get(key, [])),
                                 float(statistics.median(ages)) if ages else 0.0, disputes.get(key, 0),
                                 len(sold_groups.get(key, [])), len(days),
                                 float(statistics.median(days)) if days else None))
    return rows
