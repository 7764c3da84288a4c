"""The picker's Odoo operations on the simulator: the wizards `button_validate` may answer with (SMS confirmation,
backorder) are answered, and what Odoo holds afterwards is read back."""

from __future__ import annotations

import dataclasses

from grading_station.odoo.sales import NewSale
from grading_station.odoo.seeding import UnitSeed, receive_units

GOOD_14 = "354660111457621"


def _order(prepared, quantity: int, order_id: int = 77001):
    model = next(m for m in prepared.models() if m.default_code == "IP14P-256-PUR")
    variant = model.variant_ids_by_grade["good"]
    if quantity > 1:
        receive_units(prepared.connection, prepared.locations,
                      [UnitSeed(f"EXTRA{n}", variant, {"grade": "good"}) for n in range(quantity - 1)])
    sale = NewSale(order_id, "fr-fr", "Jane Buyer", "1 Main St", "", "75003", "Paris", "FR", "+33 6 00 00 00 00",
                   "", "", ((variant, quantity, 549.0),))
    prepared.sales.create_orders([sale])
    orders, _ = prepared.sales.open_orders()
    return orders[0]


def test_an_sms_wizard_returned_despite_skip_sms_is_answered_without_sending(prepared, odoo_sim):
    logic = odoo_sim.service.orm.logic("stock.picking")
    validate = logic.methods["button_validate"]

    def ignoring_skip_sms(env, ids):  # an Odoo whose context drops skip_sms (the wizard of transcript 06)
        return validate(dataclasses.replace(env, context={}), ids)

    logic.methods["button_validate"] = ignoring_skip_sms
    order = _order(prepared, 1)
    unit = prepared.deliveries.scanned_unit(GOOD_14)
    result = prepared.deliveries.pick(order.picking_id, order.lines[0].move_id, unit.lot_id, GOOD_14, validate=True,
                                      expected=(GOOD_14,))
    assert result.validated and result.wizards == ("confirm.stock.sms",)
    assert odoo_sim.execute("stock.picking", "read", [order.picking_id], ["state"])[0]["state"] == "done"
    assert odoo_sim.rpc_count("confirm.stock.sms", "dont_send_sms") == 1


def test_a_short_pick_answers_the_backorder_wizard_and_keeps_the_rest_to_deliver(prepared, odoo_sim):
    order = _order(prepared, 2)
    unit = prepared.deliveries.scanned_unit(GOOD_14)
    result = prepared.deliveries.pick(order.picking_id, order.lines[0].move_id, unit.lot_id, GOOD_14, validate=True,
                                      expected=(GOOD_14,))
    assert result.wizards == ("stock.backorder.confirmation",)
    pickings = odoo_sim.execute("stock.picking", "search_read", [["sale_id", "=", order.sale_order_id]],
                                fields=["state", "backorder_id"], order="id")
    assert [p["state"] for p in pickings] == ["done", "assigned"]
    assert pickings[1]["backorder_id"][0] == order.picking_id


def test_the_pick_is_idempotent_when_delivered_again(prepared, odoo_sim):
    order = _order(prepared, 1)
    unit = prepared.deliveries.scanned_unit(GOOD_14)
    args = (order.picking_id, order.lines[0].move_id, unit.lot_id, GOOD_14)
    prepared.deliveries.pick(*args, validate=True, expected=(GOOD_14,))
    again = prepared.deliveries.pick(*args, validate=True, expected=(GOOD_14,))  # a retry after a lost answer
    assert again.validated
    assert odoo_sim.rpc_count("stock.picking", "button_validate") == 1


def test_a_second_import_of_the_same_orders_makes_no_second_sale_order(prepared, odoo_sim):
    model = next(m for m in prepared.models() if m.default_code == "IP14P-256-PUR")
    sale = NewSale(77009, "de-de", "Lukas Schmidt", "Hauptstr. 1", "", "10115", "Berlin", "DE", "", "", "",
                   ((model.variant_ids_by_grade["good"], 1, 549.0),))
    first = prepared.sales.create_orders([sale])
    before = odoo_sim.rpc_count("sale.order", "create")
    assert prepared.sales.create_orders([sale]) == first
    assert odoo_sim.rpc_count("sale.order", "create") == before
    partner = odoo_sim.execute("sale.order", "read", [first[77009]], ["partner_id"])[0]["partner_id"][0]
    country = odoo_sim.execute("res.partner", "read", [partner], ["country_id", "city"])[0]
    assert country["country_id"][1] == "Germany" and country["city"] == "Berlin"


def test_confirming_a_confirmed_order_is_refused_as_odoo_does(prepared):
    import pytest

    from grading_station.errors import RemoteRefused

    order = _order(prepared, 1)
    with pytest.raises(RemoteRefused, match="not in a state requiring confirmation"):
        prepared.connection.call("sale.order", "action_confirm", [[order.sale_order_id]])
