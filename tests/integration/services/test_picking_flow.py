"""Import → pick → ship through the outbox against both simulators over HTTP, checked through their APIs."""

from __future__ import annotations

from grading_station.domain.picking import WRONG_GRADE

from grading_station.services.picking import KIND_PICK, KIND_SHIP
from grading_station.services.picking_import import KIND_IMPORT

from tests.helpers.picking_world import FAIR_14, GOOD_14


def _import(world) -> None:
    world.importer.poll()
    world.deliver()


def test_an_order_goes_from_back_market_to_a_shipped_parcel(picking_world):
    w = picking_world
    order_id = w.place(("IP14P-256-PUR", "good", 1), order_id=77001, expected_dispatch="2026-12-01T12:00:00Z")
    report = w.importer.poll()
    assert report.queued == [77001]
    w.deliver()
    sale = w.odoo.execute("sale.order", "search_read", [["client_order_ref", "=", "77001"]],
                          fields=["state", "partner_id", "order_line", "commitment_date"])
    assert len(sale) == 1 and sale[0]["state"] == "sale" and sale[0]["partner_id"][1] == "Victor Hugo"
    assert w.bm.orders.orders[order_id].lines[0].state == 2  # accepted

    board = w.picking.board()
    order = board.order(77001)
    assert order.late(w.picking.clock())  # dispatch was due yesterday
    assert order.lines[0].needed == "iPhone 14 Pro 256GB Deep Purple Good"

    wrong = w.picking.judge(board, 77001, FAIR_14)
    assert not wrong.accepted and wrong.reason == WRONG_GRADE(
        order=77001, needed="iPhone 14 Pro 256GB Deep Purple Good", grade="Fair")
    verdict = w.picking.judge(board, 77001, GOOD_14)
    assert verdict.accepted
    picked = w.picking.pick(order, verdict)
    assert picked.picked
    w.deliver()
    done = w.odoo.execute("stock.move.line", "search_read", [["picking_id", "=", order.picking_id]],
                          fields=["lot_id", "state", "picked"])
    assert [(d["lot_id"][1], d["state"]) for d in done] == [(GOOD_14, "done")]
    lot = w.odoo.execute("stock.lot", "search_read", [["name", "=", GOOD_14]], fields=["lot_properties"])[0]
    props = {p["name"]: p["value"] for p in lot["lot_properties"]}
    assert props["warranty_end"] == "2027-12-02" and props["sale_order"] == order.sale_order_name

    w.picking.ship(picked, "6A12345678901", "Colissimo")
    w.deliver()
    shipped = w.bm.orders.orders[order_id]
    assert shipped.lines[0].state == 3 and shipped.tracking_number == "6A12345678901"
    assert shipped.lines[0].imei == GOOD_14 and shipped.shipper == "Colissimo"
    assert w.picking.board().order(77001) is None  # locked in Odoo: off every station's list
    assert all(i.state == "delivered" for i in w.items())
    from grading_station.ui.activity.wording import subject_of

    assert sorted(subject_of(i) for i in w.items()) == [
        "Import of Back Market orders 77001",
        f"Pick of {GOOD_14} (iPhone 14 Pro 256GB Deep Purple Good) for order 77001",
        "Shipment of order 77001 to the Back Market buyer",
        f"Warranty of {GOOD_14} (order 77001)",
    ]


def test_a_reimport_never_makes_a_second_sale_order(picking_world):
    w = picking_world
    w.place(("IP14P-256-PUR", "good", 1), order_id=77002)
    w.importer.poll()
    item = w.items(KIND_IMPORT)[0]
    w.deliver()
    # the same item delivered again (a crash after Odoo answered, before it was marked) finds the order
    result = w.importer.handle_import(w.store.outbox.get(item.id))
    assert result["sale_orders"] == w.store.outbox.get(item.id).result["sale_orders"]
    assert w.importer.poll().queued == []  # accepted on Back Market, in Odoo: not queued again
    assert w.odoo.execute("sale.order", "search_count", [["client_order_ref", "=", "77002"]]) == 1
    assert w.bm.count("POST", "/ws/orders/77002") == 1  # accepted once


def test_lines_we_cannot_serve_are_shown_not_accepted(picking_world):
    w = picking_world
    order_id = w.place(("IP14P-256-PUR", "good", 1), ("IP14P-256-PUR", "excellent", 1), order_id=77003)
    _import(w)
    lines = {ln.sku: ln.state for ln in w.bm.orders.orders[order_id].lines}
    assert lines == {w.sku("IP14P-256-PUR", "good"): 2, w.sku("IP14P-256-PUR", "excellent"): 1}
    report = w.importer.poll()
    assert [(u.order_id, u.sku) for u in report.unserved] == [(77003, w.sku("IP14P-256-PUR", "excellent"))]
    assert report.queued == []
    order = w.picking.board().order(77003)
    assert [ln.sku for ln in order.lines] == [w.sku("IP14P-256-PUR", "good")]


def test_a_pick_waits_while_odoo_is_down_and_is_delivered_once(picking_world):
    w = picking_world
    w.place(("IP14P-256-PUR", "good", 1), order_id=77005)
    _import(w)
    board = w.picking.board()
    order = board.order(77005)
    w.picking.pick(order, w.picking.judge(board, 77005, GOOD_14))
    w.odoo.down = True
    w.deliver()
    pick = w.items(KIND_PICK)[0]
    assert pick.state == "failing" and not pick.permanent
    w.odoo.down = False
    w.store.outbox.retry_now(pick.id)
    w.deliver()
    assert w.store.outbox.get(pick.id).state == "delivered"
    assert w.odoo.rpc_count("stock.picking", "button_validate") == 1


def test_a_shipment_waits_while_back_market_is_down(picking_world):
    from grading_station.sim.backmarket.server import Fault

    w = picking_world
    order_id = w.place(("IP14P-256-PUR", "good", 1), order_id=77006)
    _import(w)
    board = w.picking.board()
    order = w.picking.pick(board.order(77006), w.picking.judge(board, 77006, GOOD_14))
    w.deliver()
    w.bm.inject(Fault("server_error", path="/ws/orders", times=1))
    w.picking.ship(order, "TRACK1", "UPS")
    w.deliver()
    ship = w.items(KIND_SHIP)[0]
    assert ship.state == "failing" and not ship.permanent
    w.store.outbox.retry_now(ship.id)
    w.deliver()
    assert w.store.outbox.get(ship.id).state == "delivered"
    assert w.bm.orders.orders[order_id].lines[0].state == 3
    assert w.bm.count("POST", f"/ws/orders/{order_id}") == 2  # the accept, and one ship
