"""Fixture `review`: the supervisor's ReviewService wired like app.py does it, against the seeded Odoo simulator
(real HTTP) and a real local store, with a deliverer for the outbox kinds it uses and an admin connection."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from grading_station.odoo import OdooGateway
from grading_station.odoo.connection import OdooConnection
from grading_station.odoo.lot_properties import CLOCK_MARGIN_S
from grading_station.store.local import Store
from grading_station.store.lot_cache import LotCache
from grading_station.store.review import ReviewStore

from grading_station.services.delivery import KIND_GRADING, Deliverer, GradingHandler
from grading_station.services.review import KIND_REVIEW, ReviewHandler, ReviewService

from grading_station.paths import paths_under
from grading_station.resources import load_grade_scale
from tests.helpers.bench_rig import grades, odoo_settings

NOW = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)


@dataclass
class ReviewRig:
    sim: object
    gateway: OdooGateway
    store: Store
    service: ReviewService
    admin: OdooConnection

    def deliver(self) -> int:
        deliverer = Deliverer(self.store.outbox, clock=lambda: datetime.now(UTC))
        deliverer.register(KIND_GRADING, GradingHandler(self.gateway))
        deliverer.register(KIND_REVIEW, ReviewHandler(self.gateway))
        return deliverer.deliver_due()

    def on_hand(self, serial: str):
        """A unit on hand, in a queue or not (the queues' reading holds only the units they show)."""
        return next(u for u in self.gateway.units_on_hand() if u.serial == serial)

    def lots(self, serial: str) -> list[dict]:
        return self.admin.call("stock.lot", "search_read", [[["name", "=", serial]]],
                               {"fields": ["name", "product_id", "product_qty", "lot_properties"], "order": "id"})

    def where(self, serial: str) -> list[str]:
        rows = self.admin.call("stock.quant", "search_read",
                               [[["lot_id.name", "=", serial], ["quantity", ">", 0],
                                 ["location_id.usage", "=", "internal"]]], {"fields": ["location_id"]})
        return [r["location_id"][1] for r in rows]

    def notes(self, serial: str) -> list[str]:
        lot_ids = [lot["id"] for lot in self.lots(serial)]
        rows = self.admin.call("mail.message", "search_read",
                               [[["model", "=", "stock.lot"], ["res_id", "in", lot_ids]]], {"fields": ["body"]})
        return [r["body"] for r in rows]


def make_review_service(gateway: OdooGateway, store: Store, days: int = 30) -> ReviewService:
    return ReviewService(
        gateway, ReviewStore(store.executor, store.outbox), load_grade_scale(), "Review desk",
        value_of=lambda unit: {"premium": 4.0, "excellent": 3.0, "good": 2.0, "fair": 1.0}.get(unit.grade, 0.0)
        * (2 if "14 Pro" in unit.model_name else 1),
        retest_days=lambda: {"phone": days, "tablet": days, "laptop": days},
        clock=lambda: NOW,
    )


def make_review_gateway(sim: object, store: Store) -> OdooGateway:
    """The gateway as app.py builds it (the local store keeps the lots' properties), its clock ahead of the
    simulator's: the seeded lots, written a moment ago, are trusted at once (the cache's own tests cover lots
    read in the second of their write date)."""
    return OdooGateway(odoo_settings(sim), grades=grades(), lot_archive=LotCache(store.executor),
                       clock=lambda: time.time() + 2 * CLOCK_MARGIN_S)


@pytest.fixture
def review(seeded_sim, tmp_path) -> Iterator[ReviewRig]:
    store = Store.open(paths_under(tmp_path / "review").ensure())
    gateway = make_review_gateway(seeded_sim, store)
    admin = OdooConnection(odoo_settings(seeded_sim))
    try:
        yield ReviewRig(seeded_sim, gateway, store, make_review_service(gateway, store), admin)
    finally:
        gateway.close()
        admin.close()
        store.close()
