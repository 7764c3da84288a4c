"""The supervisor's queue rules: battery re-test by intake date and category, overrides, release gaps, warranty."""

from __future__ import annotations

from datetime import date

from grading_station.domain.review import (
    HOLD,
    REPAIR,
    STOCK,
    ReviewUnit,
    held_and_repair,
    override_requests,
    release_gaps,
    retest_due,
    under_warranty,
)

TODAY = date(2026, 12, 1)


def unit(serial: str, place: str = STOCK, category: str = "phone", value: float = 0.0, in_date: str = "",
         **props) -> ReviewUnit:
    base = {"grade": "good", "battery_health": 90, "tested_at": "2026-06-01 10:00:00", "checklist": "phone@1",
            "intake_date": "2026-06-01"}
    return ReviewUnit(serial, 1, 1, 1, "Phone", category, props.pop("grade", "good"), "WH/x", place, in_date,
                      value, props={**base, **props})


def test_retest_counts_from_intake_and_last_reading_per_category_highest_value_first():
    units = [
        unit("OLD-CHEAP", value=100), unit("OLD-DEAR", value=900),
        unit("RETESTED", tested_at="2026-11-25 10:00:00"),  # measured again last week: not due
        unit("NEW", intake_date="2026-11-20", tested_at="2026-11-20 10:00:00"),
        unit("LAPTOP", category="laptop", value=500),  # laptops wait 365 days
        unit("HELD", place=HOLD),
        unit("NO-INTAKE", intake_date=False, in_date="2026-01-02 08:00:00", tested_at=False),  # quant in_date
    ]
    due = retest_due(units, {"phone": 90, "laptop": 365}, 90, TODAY)
    assert [d.unit.serial for d in due] == ["OLD-DEAR", "OLD-CHEAP", "NO-INTAKE"]
    assert due[0].days_in_stock == 183


def test_overrides_are_the_units_in_stock_graded_otherwise_than_suggested():
    units = [unit("A", suggested_grade="fair"), unit("B", suggested_grade="good"), unit("C"),
             unit("D", place=REPAIR, suggested_grade="fair")]
    assert [u.serial for u in override_requests(units)] == ["A"]


def test_held_before_repair_oldest_first():
    units = [unit("R", place=REPAIR, in_date="2026-01-01"), unit("H2", place=HOLD, in_date="2026-03-01"),
             unit("H1", place=HOLD, in_date="2026-02-01"), unit("S")]
    assert [u.serial for u in held_and_repair(units)] == ["H1", "H2", "R"]


def test_release_gaps_name_what_is_missing():
    assert release_gaps(unit("OK", place=HOLD), ["good"]) == ()
    codes = {r.code for r in release_gaps(unit("X", place=HOLD, grade="repair", battery_health=False,
                                                   checklist=False), ["good"])}
    assert codes == {"review.not_sellable", "review.no_battery", "review.no_checklist"}
    assert [r.code for r in release_gaps(unit("S"), ["good"])] == ["review.not_held"]


def test_under_warranty_while_warranty_end_is_ahead():
    assert under_warranty({"warranty_end": "2026-12-01"}, TODAY)
    assert not under_warranty({"warranty_end": "2026-11-30"}, TODAY)
    assert not under_warranty({"warranty_end": False}, TODAY)
