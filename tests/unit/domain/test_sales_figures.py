"""Commission per grade, fulfilment speed, payout CSV reconciliation (and its bad input), CO₂ avoided."""

from __future__ import annotations

from decimal import Decimal

import pytest

from grading_station.domain.sales_figures import (
    PayoutError,
    SaleLine,
    co2_avoided,
    commission_per_grade,
    fulfilment,
    parse_payout_csv,
    reconcile,
    return_rates,
)

LINES = [
    SaleLine(1, "IP13-GOOD", "good", "phone", Decimal("300.00"), Decimal("30.00"), "2026-11-01T10:00:00Z",
             "2026-11-02T10:00:00Z", "2026-11-03T10:00:00Z"),
    SaleLine(2, "IP13-PREMIUM", "premium", "phone", Decimal("450.00"), Decimal("40.50"), "2026-11-01T10:00:00Z",
             "2026-11-05T10:00:00Z", "2026-11-03T10:00:00Z"),
    SaleLine(3, "MBA-GOOD", "good", "laptop", Decimal("600.00"), Decimal("60.00")),
]


def test_commission_per_grade():
    rows = {r.grade: r for r in commission_per_grade(LINES)}
    assert (rows["good"].sales, rows["good"].revenue, rows["good"].fee) == (2, Decimal("900.00"), Decimal("90.00"))
    assert rows["premium"].fee_rate == pytest.approx(0.09)


def test_fulfilment_against_the_promised_dispatch():
    figures = fulfilment(LINES)
    assert (figures.shipped, figures.on_time, figures.median_hours) == (2, 1, 60.0)


def test_payout_reconciliation_lists_the_mismatches():
    paid = parse_payout_csv("Order ID;Amount\n1;270,00\n2;400.00\n99;10\n".encode("cp1252"))
    mismatches = {(m.order_id, m.kind) for m in reconcile(LINES, paid)}
    assert mismatches == {(2, "amount_differs"), (3, "not_paid"), (99, "unknown_order")}


def test_payout_rows_of_one_order_add_up_and_thousands_are_read():
    paid = parse_payout_csv("\ufefforder_id,net_amount\n3,\"1,000.50\"\n3,-460.50\n".encode("utf-8"))
    assert paid == {3: Decimal("540.00")}


@pytest.mark.parametrize(("data", "code"), [
    (b"date;total\n2026-11-01;12\n", "payout.missing_columns"),
    (b"PK\x03\x04 an xlsx file", "payout.not_text"),
    ("order_id;amount\n1;2\n".encode("utf-16"), "payout.not_text"),
    (b"order_id;amount\n1;twelve\n", "payout.bad_amount"),
    (b"", "payout.empty"),
])
def test_bad_payout_files_say_why(data, code):
    with pytest.raises(PayoutError) as raised:
        parse_payout_csv(data)
    assert raised.value.reason.code == code


def test_co2_avoided_per_category_with_its_source():
    rows = {r.category: r for r in co2_avoided(LINES, {"phone": (24.6, "ADEME"), "laptop": (27.0, "ADEME")})}
    assert (rows["phone"].units, rows["phone"].kg) == (2, pytest.approx(49.2))
    assert rows["laptop"].kg == pytest.approx(27.0) and rows["laptop"].source == "ADEME"


def test_return_rate_per_category_and_grade_sold():
    rows = {(r.category, r.grade): r for r in return_rates(LINES, [("phone", "good"), ("tablet", "fair")])}
    assert (rows[("phone", "good")].sold, rows[("phone", "good")].returned, rows[("phone", "good")].rate) == (1, 1, 1.0)
    assert rows[("laptop", "good")].rate == 0.0 and rows[("tablet", "fair")].sold == 0
