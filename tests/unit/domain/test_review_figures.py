"""Figures per operator and per category × grade from the units the queues read."""

from __future__ import annotations

from datetime import date

from grading_station.domain.review import ReviewUnit
from grading_station.domain.review_figures import per_grade, per_operator


def unit(serial: str, technician: str, tested_at: str, grade: str = "good", suggested: str = "good",
         intake: str = "2026-11-01", category: str = "phone") -> ReviewUnit:
    return ReviewUnit(serial, 1, 1, 1, "Phone", category, grade, "WH/Stock", "stock", "",
                      props={"technician": technician, "tested_at": tested_at, "suggested_grade": suggested,
                             "intake_date": intake})


UNITS = [
    unit("A1", "ana", "2026-11-20 09:10:00"), unit("A2", "ana", "2026-11-20 09:40:00", grade="excellent"),
    unit("A3", "ana", "2026-11-21 14:00:00", suggested="fair"), unit("B1", "bo", "2026-11-20 10:00:00"),
]


def test_per_operator_counts_rates_and_throughput():
    rows = {r.technician: r for r in per_operator(UNITS, disputed=[UNITS[3]])}
    ana, bo = rows["ana"], rows["bo"]
    assert (ana.graded, ana.per_day, ana.per_hour) == (3, 1.5, 1.5)  # 2 days, 2 distinct hours
    assert ana.overrides == 2 and round(ana.override_rate, 2) == 0.67  # excellent / good and good / fair
    assert (bo.graded, bo.disputes, bo.dispute_rate) == (1, 1, 1.0)
    assert [r.technician for r in per_operator(UNITS, [])] == ["ana", "bo"]


def test_per_grade_stock_age_and_disputes():
    rows = per_grade(UNITS, disputed=[UNITS[0]], today=date(2026, 11, 30))
    good = next(r for r in rows if r.grade == "good")
    assert (good.units, good.median_age_days, good.disputes) == (3, 29.0, 1)
    assert round(good.dispute_rate, 2) == 0.33
