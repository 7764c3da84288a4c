"""Bad input at the picker's scan and faults on the way: each refused with a message naming what was expected,
or waited out and delivered once."""

from __future__ import annotations

from grading_station.domain.picking import (
    NOT_IN_STOCK,
    ON_HOLD,
    QUANTITY_GT_ONE,
    RESERVED,
    RETEST_DUE,
    SOLD,
    TWICE,
    WRONG_PRODUCT,
    unrecordable_lines,
)
from grading_station.domain.units import Placement

from grading_station.odoo.seeding import UnitSeed, receive_units

from grading_station.services.picking import KIND_PICK, KIND_SHIP
from grading_station.services.picking_import import KIND_CANCEL

from grading_station.wording import describe
from tests.helpers.picking_world import GOOD_14, HELD_S23, PIXEL

TESTED = {"grade": "good", "tested_at": "2026-11-20 09:30:00"}


def _units(w, code: str, grade: str, *serials: str, placement=Placement.STOCK, **props) -> None:
    model = next(m for m in w.gateway.models() if m.default_code == code)
    seeds = [UnitSeed(s, model.variant_ids_by_grade[grade], {**TESTED, "grade": grade, **props}, placement)
             for s in serials]
    receive_units(w.gateway.connection, w.gateway.locations, seeds)


def _imported(w, *lines, order_id: int):
    w.place(*lines, order_id=order_id)
    w.importer.poll()
    w.deliver()
    board = w.picking.board()
    return board, board.order(order_id)


def test_the_grade_message_names_the_order_the_model_and_both_grades(picking_world):
    w = picking_world
    board, order = _imported(w, ("IP14P-256-PUR", "good", 1), order_id=77001)
    verdict = w.picking.judge(board, 77001, "354660111536812")
    assert describe(verdict.reason) == "Order 77001 needs iPhone 14 Pro 256GB Deep Purple Good; this unit is Fair."


def test_a_serial_of_another_product_is_refused(picking_world):
    w = picking_world
    board, _ = _imported(w, ("IP14P-256-PUR", "good", 1), order_id=77010)
    verdict = w.picking.judge(board, 77010, PIXEL)
    assert verdict.reason == WRONG_PRODUCT(order=77010, needed="iPhone 14 Pro 256GB Deep Purple Good",
                                           model="Google Pixel 7 128GB Obsidian Good")


def test_units_in_hold_or_repair_or_held_in_stock_are_refused(picking_world):
    w = picking_world
    _units(w, "SM-S911B-128-BLK", "good", "S23-FREE")
    _units(w, "SM-S911B-128-BLK", "good", "S23-REPAIR", placement=Placement.REPAIR)
    _units(w, "SM-S911B-128-BLK", "good", "S23-HELD", hold_reason="screen to check")
    board, _ = _imported(w, ("SM-S911B-128-BLK", "good", 1), order_id=77011)
    assert w.picking.judge(board, 77011, HELD_S23).reason == NOT_IN_STOCK(serial=HELD_S23, location="WH/Hold")
    assert w.picking.judge(board, 77011, "S23-REPAIR").reason == NOT_IN_STOCK(serial="S23-REPAIR",
                                                                             location="WH/Repair")
    assert w.picking.judge(board, 77011, "S23-HELD").reason == ON_HOLD(serial="S23-HELD", why="screen to check")
    assert w.picking.judge(board, 77011, "S23-FREE").accepted


def test_a_sold_unit_a_second_scan_and_another_orders_unit_are_refused(picking_world):
    w = picking_world
    _units(w, "IP14P-256-PUR", "good", "IP-SECOND")
    board, first = _imported(w, ("IP14P-256-PUR", "good", 1), order_id=77012)
    board, second = _imported(w, ("IP14P-256-PUR", "good", 1), order_id=77013)
    reserved_for_first = next(s for s, o in board.reserved.items() if o == 77012)
    assert w.picking.judge(board, 77013, reserved_for_first).reason == RESERVED(serial=reserved_for_first,
                                                                                other=77012)
    picked = w.picking.pick(first, w.picking.judge(board, 77012, reserved_for_first))
    assert picked.picked
    board = w.picking.board()
    assert w.picking.judge(board, 77012, reserved_for_first).reason.code == "pick.order_done"
    w.deliver()
    board = w.picking.board()
    assert w.picking.judge(board, 77013, reserved_for_first).reason == SOLD(serial=reserved_for_first)


def test_scanning_the_same_serial_twice_on_a_two_unit_line(picking_world):
    w = picking_world
    _units(w, "IP14P-256-PUR", "good", "IP-SECOND")
    board, order = _imported(w, ("IP14P-256-PUR", "good", 2), order_id=77014)
    order = w.picking.pick(order, w.picking.judge(board, 77014, GOOD_14))
    board = w.picking.board()
    assert w.picking.judge(board, 77014, GOOD_14).reason == TWICE(serial=GOOD_14, order=77014)
    assert unrecordable_lines(board.order(77014)) == [QUANTITY_GT_ONE(sku=order.lines[0].sku, quantity=2)]
    order = w.picking.pick(board.order(77014), w.picking.judge(board, 77014, "IP-SECOND"))
    w.deliver()
    w.picking.ship(order, "TRACK-TWO", "GLS")
    w.deliver()
    line = w.bm.orders.orders[77014].lines[0]
    assert line.state == 3 and line.imei == "" and line.serial_number == ""  # one value cannot hold two units
    assert w.bm.count("PATCH", "/ws/orderlines/") == 0


def test_an_overdue_battery_retest_is_refused(picking_world):
    w = picking_world
    _units(w, "PX7-128-OBS", "fair", "PX-OLD", tested_at="2026-05-01 09:00:00")
    board, _ = _imported(w, ("PX7-128-OBS", "fair", 1), order_id=77015)
    assert w.picking.judge(board, 77015, "PX-OLD").reason == RETEST_DUE(serial="PX-OLD", days=90)


def test_a_multi_line_order_validates_once_and_patches_each_line(picking_world):
    w = picking_world
    order_id = w.place(("IP14P-256-PUR", "good", 1), ("PX7-128-OBS", "good", 1), order_id=77016)
    w.importer.poll()
    w.deliver()
    board = w.picking.board()
    order = board.order(77016)
    order = w.picking.pick(order, w.picking.judge(board, 77016, GOOD_14))
    assert not order.picked
    order = w.picking.pick(order, w.picking.judge(board, 77016, PIXEL))
    w.deliver()
    assert w.odoo.rpc_count("stock.picking", "button_validate") == 1
    w.picking.ship(order, "TRACK-MULTI", "DHL Express")
    w.deliver()
    lines = {ln.sku: ln for ln in w.bm.orders.orders[order_id].lines}
    assert {ln.imei for ln in lines.values()} == {GOOD_14, PIXEL}
    assert {ln.state for ln in lines.values()} == {3}
    assert w.bm.count("PATCH", "/ws/orderlines/") == 2


def test_an_order_cancelled_after_import_cancels_its_picking_and_refuses_the_ship(picking_world, expected_logs):
    expected_logs.expect("grading_station.outbox", "odoo.order.cancel .* refused: Order 77017 was cancelled")
    w = picking_world
    board, order = _imported(w, ("IP14P-256-PUR", "good", 1), order_id=77017)
    order = w.picking.pick(order, w.picking.judge(board, 77017, GOOD_14))
    w.bm.orders.cancel(77017)
    assert w.importer.poll(open_order_ids=[77017]).cancelled == [77017]
    w.picking.ship(order, "TRACK-X", "UPS")
    w.deliver()
    cancel, ship = w.items(KIND_CANCEL)[0], w.items(KIND_SHIP)[0]
    # the pick was delivered first (same order key); the parcel must not leave: said, and the ship waits
    assert cancel.permanent and "stop the parcel" in cancel.last_error
    assert ship.state == "pending" and w.bm.orders.orders[77017].tracking_number == ""


def test_an_order_cancelled_before_the_pick_cancels_the_picking(picking_world):
    w = picking_world
    board, order = _imported(w, ("IP14P-256-PUR", "good", 1), order_id=77018)
    w.bm.orders.cancel(77018)
    assert w.importer.poll(open_order_ids=[77018]).cancelled == [77018]
    assert w.importer.poll(open_order_ids=[77018]).cancelled == []  # queued once
    w.deliver()
    assert w.items(KIND_CANCEL)[0].state == "delivered"
    picking = w.odoo.execute("stock.picking", "read", [order.picking_id], ["state"])[0]
    assert picking["state"] == "cancel"
    assert w.picking.board().order(77018) is None


def test_an_identifier_back_market_already_holds_is_never_overwritten(picking_world, expected_logs):
    expected_logs.expect("grading_station.outbox", "bm.shipment .* refused: Back Market already holds")
    w = picking_world
    _units(w, "IP14P-256-PUR", "good", "IP-SECOND")
    board, order = _imported(w, ("IP14P-256-PUR", "good", 1), ("PX7-128-OBS", "good", 1), order_id=77019)
    line = next(ln for ln in w.bm.orders.orders[77019].lines if ln.sku == w.sku("PX7-128-OBS", "good"))
    line.imei = "356938035643809"  # Back Market already holds another IMEI (write-once)
    order = w.picking.pick(order, w.picking.judge(board, 77019, GOOD_14))
    order = w.picking.pick(order, w.picking.judge(board, 77019, PIXEL))
    w.deliver()
    w.picking.ship(order, "TRACK-IMEI", "UPS")
    w.deliver()
    ship = w.items(KIND_SHIP)[0]
    assert ship.permanent and "cannot be corrected" in ship.last_error
    assert w.bm.orders.orders[77019].lines[0].state == 2  # not shipped


def test_the_sms_wizard_odoo_returns_is_answered(picking_world):
    w = picking_world
    board, order = _imported(w, ("IP14P-256-PUR", "good", 1), order_id=77020)
    w.odoo.execute("res.partner", "write", [w.odoo.execute("sale.order", "read", [order.sale_order_id],
                                                           ["partner_id"])[0]["partner_id"][0]], {"phone": "+33"})
    w.picking.pick(order, w.picking.judge(board, 77020, GOOD_14))
    w.deliver()
    pick = w.items(KIND_PICK)[0]
    assert pick.state == "delivered"
    done = w.odoo.execute("stock.picking", "read", [order.picking_id], ["state"])[0]
    assert done["state"] == "done"


def test_back_market_refusing_the_imei_stops_the_shipment(picking_world, expected_logs):
    expected_logs.expect("grading_station.outbox", "bm.shipment .* refused")
    w = picking_world
    board, order = _imported(w, ("IP14P-256-PUR", "good", 1), order_id=77022)
    order = w.picking.pick(order, w.picking.judge(board, 77022, GOOD_14))
    w.deliver()
    w.bm.orders.refused_identifiers.add(GOOD_14)
    w.picking.ship(order, "TRACK-422", "UPS")
    w.deliver()
    ship = w.items(KIND_SHIP)[0]
    assert ship.state == "failing" and ship.permanent  # a refusal waits for a person, it is not retried
    assert w.bm.orders.orders[77022].lines[0].state == 2 and w.bm.orders.orders[77022].lines[0].imei == ""


def test_two_pickers_on_one_order_the_second_is_refused(picking_world, paths, tmp_path, expected_logs):
    from tests.helpers.picking_world import build_world

    expected_logs.expect("grading_station.outbox", "odoo.pick .* refused: The delivery of this order is already")
    w = picking_world
    _units(w, "IP14P-256-PUR", "good", "IP-SECOND")
    board, order = _imported(w, ("IP14P-256-PUR", "good", 1), order_id=77021)
    other = build_world(w.odoo, w.bm, _other_paths(tmp_path))
    try:
        other_board = other.picking.board()
        w.picking.pick(order, w.picking.judge(board, 77021, GOOD_14))
        other.picking.pick(other_board.order(77021), other.picking.judge(other_board, 77021, "IP-SECOND"))
        w.deliver()
        other.deliver()
        late = other.items(KIND_PICK)[0]
        assert late.permanent and "already done" in late.last_error
        lines = w.odoo.execute("stock.move.line", "search_read", [["picking_id", "=", order.picking_id]],
                               fields=["lot_id"])
        assert [ln["lot_id"][1] for ln in lines] == [GOOD_14]
    finally:
        other.gateway.close()
        other.store.close()


def _other_paths(tmp_path):
    from grading_station.paths import paths_under

    return paths_under(tmp_path / "other-station").ensure()


def test_an_order_with_no_line_to_serve_is_shown_and_not_requeued_at_every_poll(picking_world):
    w = picking_world
    order_id = w.place(("IP14P-256-PUR", "excellent", 1), order_id=77023)
    assert w.importer.poll().queued == [77023]
    w.deliver()
    report = w.importer.poll()
    assert report.queued == [] and [(u.order_id, u.sku) for u in report.unserved] == [
        (77023, w.sku("IP14P-256-PUR", "excellent"))]
    assert w.bm.orders.orders[order_id].lines[0].state == 1  # never accepted
    assert w.odoo.execute("sale.order", "search_count", [["client_order_ref", "=", "77023"]]) == 0
