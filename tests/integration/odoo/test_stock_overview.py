"""The graded units in stock, every station's, read in one RPC for the Listing workspace."""

from __future__ import annotations

from grading_station.odoo.connection import OdooConnection

from tests.integration.odoo.conftest import settings_for


def stock_from_another_station(sim, variant_id: int, serial: str, location: str = "WH/Stock") -> int:
    """What another bench's commit leaves in Odoo: a lot on the variant and a quant of 1, over plain RPC."""
    other = OdooConnection(settings_for(sim))
    try:
        lot = other.call("stock.lot", "create", [[{"name": serial, "product_id": variant_id}]])[0]
        where = other.call(
            "stock.location", "search_read", [[["complete_name", "=", location]]], {"fields": ["id"]}
        )[0]["id"]
        other.call(
            "stock.quant",
            "create",
            [[{"product_id": variant_id, "location_id": where, "lot_id": lot,
               "inventory_quantity_auto_apply": 1}]],
            {"context": {"inventory_mode": True}},
        )
        return lot
    finally:
        other.close()


def test_every_graded_unit_in_stock_in_one_rpc_newest_first(prepared, odoo_sim):
    phone = prepared.search_models("IP14P-256-PUR")[0]
    stock_from_another_station(odoo_sim, phone.variant_ids_by_grade["premium"], "OTHER-BENCH-1")
    with prepared.connection.metered() as meter:
        units = prepared.graded_units_in_stock()
    assert meter.calls == 1
    by_serial = {u.serial: u for u in units}
    assert units[0].serial == "OTHER-BENCH-1"  # the newest
    other = by_serial["OTHER-BENCH-1"]
    assert (other.model_name, other.grade, other.location) == (phone.name, "premium", "WH/Stock")
    assert other.sku == "IP14P-256-PUR-PREMIUM"
    assert by_serial["352830111790931"].location == "WH/Hold"  # the demo's held unit (outside WH/Stock)
    assert len(units) == 13  # the twelve demo units and the other bench's one


def test_units_gone_from_stock_are_left_out_and_the_limit_holds(prepared, odoo_sim):
    phone = prepared.search_models("IP13-128-MID")[0]
    stock_from_another_station(odoo_sim, phone.variant_ids_by_grade["good"], "WILL-LEAVE")
    admin = OdooConnection(settings_for(odoo_sim))
    try:
        quant = admin.call("stock.quant", "search_read", [[["lot_id.name", "=", "WILL-LEAVE"]]],
                           {"fields": ["id"]})[0]["id"]
        admin.call(
            "stock.quant", "write", [[quant], {"inventory_quantity": 0}], {"context": {"inventory_mode": True}}
        )
        admin.call("stock.quant", "action_apply_inventory", [[quant]], {"context": {"inventory_mode": True}})
    finally:
        admin.close()
    serials = {u.serial for u in prepared.graded_units_in_stock()}
    assert "WILL-LEAVE" not in serials and "353918111045122" in serials
    assert len(prepared.graded_units_in_stock(limit=3)) == 3
