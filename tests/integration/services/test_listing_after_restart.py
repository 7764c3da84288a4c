"""A stock update still in the outbox when the app starts is delivered, not refused because the Odoo catalogue
was not loaded yet (issue 13: 27 of 45 restarts of a fault campaign needed a manual Retry)."""

from __future__ import annotations

import pytest

from grading_station.domain.pricing import PricingTable

from grading_station.backmarket.registry import ListingRegistry
from grading_station.odoo.connection import OdooSettings
from grading_station.odoo.gateway import OdooGateway
from grading_station.odoo.seeding import UnitSeed, receive_units

from grading_station.services.delivery import Deliverer
from grading_station.services.listing import ListingService
from grading_station.services.listing_facts import CatalogueFacts
from grading_station.services.listing_outbox import KIND_STOCK, ListingFeed

from grading_station.paths import RESOURCES
from grading_station.resources import load_grade_scale
from tests.helpers.bm_sim import bm_client

PRICING = PricingTable.parse((RESOURCES / "pricing.toml").read_text(encoding="utf-8"))
SCALE = load_grade_scale()


def new_gateway(odoo_sim) -> OdooGateway:
    return OdooGateway(OdooSettings(odoo_sim.url, odoo_sim.db_name, "admin", "admin", timeout=2.0),
                       grades=[(g.key, g.title) for g in SCALE.grades])


@pytest.fixture
def graded_variant(odoo_sim, bm_sim) -> int:
    """Before the restart: a model in Odoo with one unit graded Good."""
    gateway = new_gateway(odoo_sim)
    gateway.connect()
    gateway.prepare_odoo()
    bm_sim.catalogue.add_product("0194253401483", "iPhone 13 128GB Midnight")
    model = gateway.catalogue.model(
        gateway.create_model("iPhone 13 128GB Midnight", "phone", "IP13-128-MID", "0194253401483", 729.0))
    variant = model.variant_ids_by_grade["good"]
    receive_units(gateway.connection, gateway.locations, [UnitSeed("R001", variant, {"grade": "good"})])
    gateway.close()
    return variant


def started_app(odoo_sim, bm_sim, local_store) -> tuple[OdooGateway, Deliverer]:
    """What app.py builds at start: a gateway that has not loaded its catalogue yet, the deliverer."""
    gateway = new_gateway(odoo_sim)
    facts = CatalogueFacts(gateway.catalogue, {g.key: g.backmarket or "" for g in SCALE.grades},
                           PRICING.new_prices)
    service = ListingService(bm_client(bm_sim), gateway, facts, PRICING, ListingRegistry(None), ("fr-fr",),
                             task_poll=0.02)
    feed = ListingFeed(service, local_store.outbox)
    deliverer = Deliverer(local_store.outbox)
    deliverer.register(KIND_STOCK, feed.handle)
    return gateway, deliverer


def queued_stock_update(local_store, variant: int) -> str:
    payload = {"variant_id": variant, "sku": "IP13-128-MID-GOOD", "serial": "R001",
               "model_name": "iPhone 13 128GB Midnight (good)"}
    return local_store.outbox.enqueue(KIND_STOCK, payload, key=f"{KIND_STOCK}:{variant}", coalesce=True)


def test_a_stock_update_queued_before_a_restart_is_delivered_first_thing(odoo_sim, bm_sim, local_store,
                                                                         graded_variant):
    item_id = queued_stock_update(local_store, graded_variant)
    gateway, deliverer = started_app(odoo_sim, bm_sim, local_store)
    try:
        assert deliverer.deliver_due() == 1
        item = local_store.outbox.get(item_id)
        assert item.state == "delivered", item.last_error
        assert item.result["quantity"] >= 0 and item.result["sku"]
    finally:
        gateway.close()


def test_while_odoo_cannot_be_read_the_update_waits_and_is_retried(odoo_sim, bm_sim, local_store,
                                                                   graded_variant, expected_logs):
    item_id = queued_stock_update(local_store, graded_variant)
    gateway, deliverer = started_app(odoo_sim, bm_sim, local_store)
    try:
        odoo_sim.down = True
        deliverer.deliver_due()
        item = local_store.outbox.get(item_id)
        assert item.state == "failing" and not item.permanent, item.last_error
        assert "catalogue" in item.last_error and item.next_attempt_at
        odoo_sim.down = False
        local_store.outbox.retry_now(item_id)
        deliverer.deliver_due()
        assert local_store.outbox.get(item_id).state == "delivered"
    finally:
        gateway.close()
