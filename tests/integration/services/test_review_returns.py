"""A sold unit coming back: the return of its delivery (stock.return.picking) into WH/Hold, in the Odoo simulator."""

from __future__ import annotations

import pytest

from grading_station.odoo.review_returns import ReturnReceiver

from grading_station.errors import InputError, RemoteRefused
from tests.helpers.bench_rig import lot_property

SERIAL = "353918111124315"  # demo unit in WH/Stock (iPhone 13, Good)


def sell(review, serial: str) -> int:
    """Sell and deliver the unit in Odoo as the picker does (sale order, serial on the move line, validate)."""
    admin = review.admin
    [lot] = admin.call("stock.lot", "search_read", [[["name", "=", serial]]], {"fields": ["product_id"]})
    partner = admin.call("res.partner", "create", [{"name": "Buyer"}])
    order = admin.call("sale.order", "create", [{"partner_id": partner, "client_order_ref": "BM-9",
                                                  "order_line": [[0, 0, {"product_id": lot["product_id"][0]}]]}])
    admin.call("sale.order", "action_confirm", [[order]])
    [line] = admin.call("stock.move.line", "search_read", [[["move_id.sale_line_id.order_id", "=", order]]],
                        {"fields": ["picking_id"]})
    admin.call("stock.move.line", "write", [[line["id"]], {"lot_id": lot["id"], "picked": True}])
    admin.call("stock.picking", "button_validate", [[line["picking_id"][0]]], {"context": {"skip_sms": True}})
    return lot["id"]


def test_a_sold_unit_is_received_back_into_hold_with_its_reason(review):
    lot_id = sell(review, SERIAL)
    assert review.where(SERIAL) == []
    unit = review.gateway.units_by_serial([SERIAL])[SERIAL]
    assert unit.place == "" and unit.lot_id == lot_id and unit.grade == "good"  # the grading it was sold with
    review.service.receive_return(unit, "Marie", "Care folder 100000001: battery not charging")
    assert review.store.audit.entries(subject=SERIAL)[0].action == "review_return"
    assert review.deliver() == 1
    assert review.where(SERIAL) == ["WH/Hold"]
    lot = review.lots(SERIAL)[0]
    assert lot_property(lot, "hold_reason") == "Returned: Care folder 100000001: battery not charging"
    assert any("Return received" in n and "Marie" in n for n in review.notes(SERIAL))
    returns = review.admin.call("stock.picking", "search_read", [[["return_id", "!=", False]]],
                                {"fields": ["origin", "state", "location_dest_id"]})
    assert len(returns) == 1 and returns[0]["state"] == "done" and returns[0]["location_dest_id"][1] == "WH/Hold"
    held = review.service.load()
    assert SERIAL in [u.serial for u in held.held]


def test_receiving_again_books_no_second_return(review):
    lot_id = sell(review, SERIAL)
    receiver = ReturnReceiver(review.gateway.connection)
    review.gateway.connect()
    hold_id = review.gateway.locations.id_of("Hold")
    first = receiver.receive(SERIAL, lot_id, hold_id, "Returned")
    assert receiver.receive(SERIAL, lot_id, hold_id, "Returned") == first
    assert review.admin.call("stock.picking", "search_count", [[["return_id", "!=", False]]]) == 1


def test_a_return_of_a_unit_regraded_meanwhile_is_refused(review, expected_logs):
    expected_logs.expect("grading_station.outbox", "already back in stock")
    lot_id = sell(review, SERIAL)
    unit = review.gateway.units_by_serial([SERIAL])[SERIAL]
    # meanwhile the unit came back and was taken in again at a bench, on another variant
    variant = review.gateway.variant_for(unit.template_id, "fair")
    again = review.admin.call("stock.lot", "create", [{"name": SERIAL, "product_id": variant,
                                                       "lot_properties": {"grade": "fair"}}])
    review.admin.call("stock.quant", "create", [[{"product_id": variant, "location_id": 8, "lot_id": again,
                                                  "inventory_quantity_auto_apply": 1}]],
                      {"context": {"inventory_mode": True}})
    review.service.receive_return(unit, "Marie", "Customer sent it back")
    review.deliver()
    item = review.store.outbox.list_items()[0]
    assert item.state == "failing" and item.permanent and "already back in stock" in item.last_error
    assert review.where(SERIAL) == ["WH/Stock"]  # nothing moved
    assert lot_id != again


def test_a_unit_on_hand_has_nothing_to_receive(review):
    unit = review.on_hand(SERIAL)
    with pytest.raises(InputError, match="nothing to receive"):
        review.service.receive_return(unit, "Marie", "x")


def test_a_unit_never_delivered_through_odoo_is_refused(review):
    review.gateway.connect()
    unit = review.on_hand(SERIAL)
    with pytest.raises(RemoteRefused, match="no delivery"):
        ReturnReceiver(review.gateway.connection).receive(SERIAL, unit.lot_id, 0, "x")


def test_a_return_received_in_odoo_is_listed_beside_the_care_folders_with_both_gradings(review, bm, bm_sim):
    from grading_station.store.review import ReviewStore

    from grading_station.services.review_care import CareService

    from tests.integration.services.test_review_care import SERIAL as FOLDER_SERIAL
    from tests.integration.services.test_review_care import sell as sell_on_back_market

    care = CareService(bm, review.gateway, ReviewStore(review.store.executor, review.store.outbox),
                       grade_of_sku=lambda sku: sku.rsplit("-", 1)[-1].lower())
    folder_id = bm_sim.routes.care.open(sell_on_back_market(bm_sim, FOLDER_SERIAL, "IP14P-256-PUR-GOOD"))
    lot_id = sell(review, SERIAL)
    assert [d.serial for d in care.poll().items] == [FOLDER_SERIAL]  # sold, not returned yet
    review.service.receive_return(review.gateway.units_by_serial([SERIAL])[SERIAL], "Marie", "No sound")
    assert review.deliver() == 1
    # the inspection on return finds a worn housing: the lot's grading now says fair
    lot = review.lots(SERIAL)[0]
    props = {p["name"]: p.get("value") for p in lot["lot_properties"]}
    review.admin.call("stock.lot", "write", [[lot_id], {"lot_properties": {**props, "grade": "fair"}}])
    disputes = care.poll()
    assert {d.serial for d in disputes.items} == {FOLDER_SERIAL, SERIAL}
    returned = disputes.find(SERIAL)
    assert returned.folder is None and returned.returned.picking.startswith("WH/")
    assert returned.returned.lot_id == lot_id and returned.unit.place == "hold"
    assert (returned.sold_grade, returned.unit.grade, returned.regraded) == ("good", "fair", True)
    assert disputes.find(FOLDER_SERIAL).folder.id == folder_id and disputes.find(FOLDER_SERIAL).returned is None
    with pytest.raises(InputError, match="no Back Market care folder"):
        care.reply(returned, "Marie", "Hello")
