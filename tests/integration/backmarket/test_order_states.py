"""The simulator's order and orderline state machines as the spec has them, through the real client."""

from __future__ import annotations

import pytest

from grading_station.backmarket.errors import BackMarketError


def test_a_cancelled_order_cannot_be_shipped(bm_sim, bm):
    order_id = bm_sim.orders.place([("SKU-A", 1)], expected_dispatch="2026-12-03T12:00:00Z")
    bm.update_order(order_id, 2, sku="SKU-A")
    bm_sim.orders.cancel(order_id)
    assert [ln.state for ln in bm.get_order(order_id).lines] == [5]  # accepted, then refunded before delivery
    with pytest.raises(BackMarketError):
        bm.update_order(order_id, 3, tracking_number="T1")
    assert bm_sim.orders.orders[order_id].tracking_number == ""


def test_an_order_reads_with_its_expected_dispatch_and_shipper(bm_sim, bm):
    order_id = bm_sim.orders.place([("SKU-A", 1)], expected_dispatch="2026-12-03T12:00:00Z", country_code="de-de")
    bm.update_order(order_id, 2, sku="SKU-A")
    bm.update_order(order_id, 3, tracking_number="T2", shipper="DHL Express")
    order = bm.get_order(order_id)
    assert order.expected_dispatch_date == "2026-12-03T12:00:00Z" and order.shipper == "DHL Express"
    assert order.shipping_address.country == "DE"


def test_a_refund_after_shipping_is_state_6(bm_sim, bm):
    order_id = bm_sim.orders.place([("SKU-A", 1), ("SKU-B", 1)])
    bm.update_order(order_id, 2, sku="SKU-A")
    bm.update_order(order_id, 2, sku="SKU-B")
    bm.update_order(order_id, 3, tracking_number="T3")
    bm_sim.orders.refund(order_id, "SKU-B")
    assert sorted(ln.state for ln in bm.get_order(order_id).lines) == [3, 6]
