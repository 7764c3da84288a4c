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


def sold(serial: str, technician: str, **kw) -> ReviewUnit:
    from dataclasses import replace

    return replace(unit(serial, technician, "2026-10-01 09:00:00", **kw), location="", place="")


def test_sold_units_count_for_their_grader_and_a_returned_one_once():
    gone = [sold("B2", "bo"), sold("B3", "bo"), sold("A1", "ana")]  # A1 was sold, came back: on hand now
    rows = {r.technician: r for r in per_operator(UNITS, disputed=[gone[0], UNITS[0]], sold=gone)}
    assert (rows["bo"].graded, rows["bo"].disputes) == (3, 1)  # B1 on hand, B2 and B3 sold; B2 disputed
    assert round(rows["bo"].dispute_rate, 2) == 0.33
    assert (rows["ana"].graded, rows["ana"].disputes) == (3, 1)


def test_days_from_intake_to_listing_per_category_and_grade_over_units_on_hand_and_sold():
    from datetime import UTC, datetime

    def at(day: str) -> float:
        return datetime.fromisoformat(day).replace(tzinfo=UTC).timestamp()

    gone = [sold("B2", "bo", intake="2026-10-01"), sold("B3", "bo", intake="2026-10-01")]
    listed = {"A1": at("2026-11-03"), "B1": at("2026-11-02"), "B2": at("2026-10-11"), "B3": at("2026-10-02")}
    rows = per_grade(UNITS, disputed=[gone[0]], today=date(2026, 11, 30), sold=gone, listed=listed)
    good = next(r for r in rows if r.grade == "good")
    assert (good.units, good.sold, good.listed) == (3, 2, 4)  # A3 not listed yet
    assert good.median_days_to_listing == 1.5  # 2, 1, 10, 1 days
    assert round(good.dispute_rate, 2) == 0.2  # 1 of 5 units
    excellent = next(r for r in rows if r.grade == "excellent")
    assert excellent.median_days_to_listing is None
