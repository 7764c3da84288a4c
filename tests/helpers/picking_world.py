"""A picking world: both simulators over HTTP, the demo catalogue and units in Odoo, their listings' SKUs on
Back Market, a real local store and outbox deliverer (not started: tests call `deliver()`), the services."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from grading_station.odoo import OdooGateway, OdooSettings
from grading_station.store.local import Store

from grading_station.services.delivery import Backoff, Deliverer
from grading_station.services.events import StationEvents
from grading_station.services.picking import KIND_PICK, KIND_SHIP, KIND_WARRANTY, PickingService
from grading_station.services.picking_import import KIND_CANCEL, KIND_IMPORT, OrderImporter

from grading_station.config import Config
from grading_station.demo import seed_demo
from grading_station.paths import Paths
from grading_station.resources import load_grade_scale
from grading_station.sim.backmarket.server import BackMarketSimulator
from grading_station.sim.odoo import OdooSimulator
from tests.helpers.bm_sim import bm_client

NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
# demo units (resources/demo/catalogue.toml)
GOOD_14 = "354660111457621"  # iPhone 14 Pro 256GB, Good, WH/Stock
FAIR_14 = "354660111536812"  # iPhone 14 Pro 256GB, Fair
PREMIUM_14 = "354660111378439"
PIXEL = "358508112045059"  # Pixel 7, Good
HELD_S23 = "352830111790931"  # Galaxy S23, Good, WH/Hold


@dataclass
class PickingWorld:
    odoo: OdooSimulator
    bm: BackMarketSimulator
    gateway: OdooGateway
    store: Store
    deliverer: Deliverer
    picking: PickingService
    importer: OrderImporter
    events: StationEvents
    config: Config
    published: list

    def sku(self, code: str, grade: str) -> str:
        model = next(m for m in self.gateway.models() if m.default_code == code)
        return self.gateway.catalogue.variant(model.variant_ids_by_grade[grade]).sku

    def place(self, *lines: tuple[str, str, int], **options) -> int:
        """A Back Market order of (model code, grade, quantity) lines."""
        return self.bm.orders.place([(self.sku(c, g), q) for c, g, q in lines], **options)

    def deliver(self) -> int:
        return self.deliverer.deliver_due()

    def items(self, kind: str | None = None) -> list:
        return [i for i in self.store.outbox.list_items(limit=500) if kind is None or i.kind == kind]


def build_world(odoo: OdooSimulator, bm: BackMarketSimulator, paths: Paths, *, clock=lambda: NOW) -> PickingWorld:
    scale = load_grade_scale()
    gateway = OdooGateway(OdooSettings(odoo.url, odoo.db_name, "admin", "admin", timeout=5.0),
                          grades=[(g.key, g.title) for g in scale.grades])
    seed_demo(gateway)
    gateway.connect()
    store = Store.open(paths)
    events = StationEvents()
    published: list = []
    events.subscribe(published.append)
    config = Config.load(None)
    client = bm_client(bm)
    deliverer = Deliverer(store.outbox, backoff=Backoff(0.05, maximum=0.1), clock=lambda: datetime.now(UTC))
    picking = PickingService(gateway, client, store.outbox, config, publish=events.publish, clock=clock)
    importer = OrderImporter(client, gateway, store.outbox, publish=events.publish)
    deliverer.register(KIND_IMPORT, importer.handle_import)
    deliverer.register(KIND_CANCEL, importer.handle_cancel)
    deliverer.register(KIND_PICK, picking.handle_pick)
    deliverer.register(KIND_WARRANTY, picking.handle_warranty)
    deliverer.register(KIND_SHIP, picking.handle_ship)
    return PickingWorld(odoo, bm, gateway, store, deliverer, picking, importer, events, config, published)


@pytest.fixture
def picking_world(odoo_sim, bm_sim, paths) -> Iterator[PickingWorld]:
    world = build_world(odoo_sim, bm_sim, paths)
    try:
        yield world
    finally:
        world.deliverer.stop()
        world.gateway.close()
        world.store.close()
