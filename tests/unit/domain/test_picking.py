"""The picker's pure rules: dates, warranty months per market, the battery re-test, identifier fields, order."""

from __future__ import annotations

from datetime import UTC, date, datetime

from grading_station.domain.picking import (
    PickLine,
    PickOrder,
    add_months,
    identifier_field,
    retest_overdue,
    ships_with_identifiers,
    sorted_for_picking,
    warranty_months,
)

NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)


def _order(order_id: int, dispatch: str, *quantities: int) -> PickOrder:
    lines = tuple(PickLine(n, f"SKU{n}", q, n, 1, "Phone", "good", "Good") for n, q in enumerate(quantities or (1,)))
    return PickOrder(order_id, 1, "S1", 1, "fr-fr", dispatch, "Buyer", lines)


def test_months_are_added_clamped_to_the_month_end():
    assert add_months(date(2026, 12, 2), 12) == date(2027, 12, 2)
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)


def test_warranty_months_per_market_fall_back_to_the_default():
    assert warranty_months("de-de", ["de-de=24", "fr-fr = 18"], 12) == 24
    assert warranty_months("FR-FR", ["de-de=24", "fr-fr = 18"], 12) == 18
    assert warranty_months("it-it", ["de-de=24", "it-it=x"], 12) == 12


def test_a_battery_tested_too_long_ago_or_never_is_due_for_a_retest():
    assert not retest_overdue("2026-11-20T09:30:00Z", NOW, 90)
    assert retest_overdue("2026-08-01T09:30:00Z", NOW, 90)
    assert retest_overdue("", NOW, 90)
    assert not retest_overdue("", NOW, 0)  # 0 turns the rule off


def test_a_valid_imei_goes_as_imei_anything_else_as_serial_number():
    assert identifier_field("354660111457621") == "imei"
    assert identifier_field("354660111457622") == "serial_number"  # wrong check digit
    assert identifier_field("C02FK1ABQ6L4") == "serial_number"


def test_only_one_line_of_quantity_one_ships_with_its_identifier():
    assert ships_with_identifiers(_order(1, "", 1))
    assert not ships_with_identifiers(_order(1, "", 2))
    assert not ships_with_identifiers(_order(1, "", 1, 1))


def test_orders_sort_by_dispatch_date_with_undated_ones_last_and_late_ones_marked():
    orders = [_order(3, ""), _order(2, "2026-12-03T10:00:00Z"), _order(1, "2026-12-01T10:00:00Z")]
    assert [o.order_id for o in sorted_for_picking(orders)] == [1, 2, 3]
    assert _order(1, "2026-12-01T10:00:00Z").late(NOW) and not _order(2, "2026-12-03T10:00:00Z").late(NOW)
    assert not _order(3, "").late(NOW)


def test_a_pick_fills_its_line_and_the_order_is_picked_when_no_unit_is_missing():
    order = _order(1, "", 2)
    once = order.with_pick(0, "A")
    assert not once.picked and once.lines[0].missing == 1
    assert once.with_pick(0, "B").picked and once.with_pick(0, "B").serials == ("A", "B")
