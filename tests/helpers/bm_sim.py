"""Fixtures for Back Market: the simulator on 127.0.0.1 (spec validation on) and clients wired to it."""

from __future__ import annotations

import pytest

from grading_station.backmarket.budget import ListingBudget
from grading_station.backmarket.client import BackMarketClient
from grading_station.backmarket.limiter import RateLimiter
from grading_station.backmarket.regions import BackMarketSettings
from grading_station.backmarket.transport import Transport, make_http

from grading_station.sim.backmarket.server import BackMarketSimulator

DEMO_EAN = "0194253401520"


def bm_settings(url: str, markets: tuple[str, ...] = ("fr-fr",), **options) -> BackMarketSettings:
    """Settings for the simulator at `url`; `options`: BackMarketSettings fields (backpricer, task_poll)."""
    return BackMarketSettings(url, markets, "Acme", "GradingStation", "ops@acme.test", **options)


def bm_client(
    sim: BackMarketSimulator,
    *,
    token: str = "sim-token",
    timeout: float = 2.0,
    markets: tuple[str, ...] = ("fr-fr",),
    limiter: RateLimiter | None = None,
    budget: ListingBudget | None = None,
    catalog_limiter: RateLimiter | None = None,
    **options,
) -> BackMarketClient:
    """A client of `sim`; its limits are Back Market's (180 and 18 requests) over a 20 times shorter window
    and pause, so tests that make many listing calls do not wait 10 s for the catalog window."""
    settings = bm_settings(sim.url, markets, **options)
    transport = Transport(
        make_http(settings, timeout=timeout),
        token,
        settings,
        limiter or RateLimiter(pause_after_429=0.05),
        catalog_limiter or RateLimiter(limit=18, window=0.5, pause_after_429=0.05, name="catalog"),
    )
    return BackMarketClient(transport, budget)


@pytest.fixture
def bm_sim():
    """A started simulator; the test fails if any request or answer broke openapi.yml, unless the test set
    `bm_sim.allow_violations = True` (tests that send bad requests on purpose)."""
    sim = BackMarketSimulator(block_seconds=0.2, task_delay=0.02, fault_delay=0.4).start()
    sim.allow_violations = False
    sim.catalogue.add_product(DEMO_EAN, "iPhone 14 Pro 256GB Space Black")
    yield sim
    sim.stop()
    if not sim.allow_violations:
        assert sim.violations == [], "requests or answers that break openapi.yml"


@pytest.fixture
def bm(bm_sim) -> BackMarketClient:
    return bm_client(bm_sim)


class CountingStock:
    """StockCounter over a dict (for service tests that do not need Odoo); counts grouped reads."""

    def __init__(
        self, quantities: dict[int, object] | None = None, skus: dict[int, str] | None = None
    ) -> None:
        self.quantities = dict(quantities or {})
        self.skus = dict(skus or {})
        self.reads = 0

    def sellable_quantities(self, variant_ids: list[int]) -> dict[int, object]:
        self.reads += 1
        return {v: self.quantities.get(v, 0) for v in variant_ids}

    def variant_skus(self, variant_ids: list[int]) -> dict[int, str]:
        return {v: self.skus.get(v, "") for v in variant_ids}


class StaticCatalogue:
    """ListingCatalogue over fixed VariantFacts."""

    def __init__(self, facts) -> None:
        self.facts = {f.variant_id: f for f in facts}

    def variant_facts(self, variant_ids: list[int]):
        return {v: self.facts[v] for v in variant_ids if v in self.facts}


class ListOutbox:
    """OutboxQueue keeping items in a list, coalescing by key like the store's outbox."""

    def __init__(self) -> None:
        self.items: list[tuple[str, dict, str | None]] = []

    def enqueue(self, kind: str, payload: dict, key: str | None = None, coalesce: bool = False) -> int:
        if coalesce and key is not None:
            self.items = [i for i in self.items if i[2] != key]
        self.items.append((kind, payload, key))
        return len(self.items)
