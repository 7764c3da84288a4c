"""Odoo (simulator, through the real gateway) to Back Market (simulator): graded stock listed at the right
quantity and price, with one grouped stock read and Back Market requests per SKU, not per unit."""

from __future__ import annotations

from decimal import Decimal

import pytest

from grading_station.domain.pricing import PricingTable

from grading_station.backmarket.registry import ListingRegistry
from grading_station.odoo.connection import OdooSettings
from grading_station.odoo.gateway import OdooGateway
from grading_station.odoo.seeding import UnitSeed, receive_units

from grading_station.services.listing import ListingService
from grading_station.services.listing_facts import CatalogueFacts
from grading_station.services.listing_outbox import ListingFeed

from grading_station.paths import RESOURCES
from grading_station.resources import load_grade_scale
from tests.helpers.bm_sim import ListOutbox, bm_client

PRICING = PricingTable.parse((RESOURCES / "pricing.toml").read_text(encoding="utf-8"))
MODELS = [
    ("iPhone 13 128GB Midnight", "IP13-128-MID", "0194253401483", 729.0),
    ("Google Pixel 7 128GB Obsidian", "PX7-128-OBS", "0810019105630", 599.0),
]
GRADES = ("premium", "excellent", "good")


@pytest.fixture
def world(odoo_sim, bm_sim):
    scale = load_grade_scale()
    gateway = OdooGateway(
        OdooSettings(odoo_sim.url, odoo_sim.db_name, "admin", "admin"),
        grades=[(g.key, g.title) for g in scale.grades],
    )
    gateway.connect()
    gateway.prepare_odoo()
    variants = []
    for name, code, ean, price in MODELS:
        bm_sim.catalogue.add_product(ean, name)
        model = gateway.catalogue.model(gateway.create_model(name, "phone", code, ean, price))
        variants += [model.variant_ids_by_grade[g] for g in GRADES]
    seeds = [UnitSeed(f"E2E{n:03}", variants[n % 6], {"grade": GRADES[n % 3]}) for n in range(50)]
    receive_units(gateway.connection, gateway.locations, seeds)
    facts = CatalogueFacts(
        gateway.catalogue, {g.key: g.backmarket or "" for g in scale.grades}, PRICING.new_prices
    )
    service = ListingService(
        bm_client(bm_sim, markets=("fr-fr", "de-de"), backpricer=True),
        gateway,
        facts,
        PRICING,
        ListingRegistry(None),
        ("fr-fr", "de-de"),
        task_poll=0.02,
    )
    feed = ListingFeed(service, ListOutbox())
    for seed in seeds:
        service.note_graded(seed.serial, seed.variant_id)
    yield feed, [s.serial for s in seeds], variants
    gateway.close()


def test_fifty_graded_units_of_six_skus_are_listed(world, odoo_sim, bm_sim):
    feed, serials, variants = world
    odoo_sim.reset_counts()
    report = feed.list_batch(serials)
    assert [(o.sku, o.state, o.quantity) for o in report.outcomes] == [
        ("IP13-128-MID-PREMIUM", "live", 9),
        ("IP13-128-MID-EXCELLENT", "live", 9),
        ("IP13-128-MID-GOOD", "live", 7),  # 8 in stock, 1 kept as the Good buffer
        ("PX7-128-OBS-PREMIUM", "live", 8),
        ("PX7-128-OBS-EXCELLENT", "live", 8),
        ("PX7-128-OBS-GOOD", "live", 7),
    ]
    assert odoo_sim.rpc_count(model="stock.quant") == 1  # one grouped read for all 50 units
    listing = bm_sim.catalogue.find("IP13-128-MID-PREMIUM")
    assert listing.prices["fr-fr"] == ("656.10", "619.65")  # 729 x 90 %, repricer floor at 85 %
    assert listing.prices["de-de"] == ("669.22", "632.04")
    # per SKU: detail lookup, (batch), detail after the task, de-de price; never per unit
    assert report.requests <= 6 * 3 + 1 + 5
    assert {feed.service.registry.unit(s).state for s in serials} == {"live"}


def test_a_unit_leaving_stock_lowers_the_quantity(world, odoo_sim, bm_sim):
    feed, serials, variants = world
    feed.list_batch(serials)
    # The unit is picked: Odoo takes it out of WH/Stock.
    lot = odoo_sim.execute("stock.lot", "search_read", [["name", "=", "E2E000"]], fields=["id"])[0]
    quant = odoo_sim.execute(
        "stock.quant", "search_read", [["lot_id", "=", lot["id"]]], fields=["id", "quantity"]
    )
    odoo_sim.execute("stock.quant", "write", [q["id"] for q in quant], {"quantity": 0})
    report = feed.service.sync_variants([variants[0]])
    assert report.outcomes[0].quantity == 8
    assert bm_sim.catalogue.find("IP13-128-MID-PREMIUM").quantity == 8
    assert Decimal(bm_sim.catalogue.find("IP13-128-MID-PREMIUM").prices["fr-fr"][0]) == Decimal("656.10")
