"""The Listing workspace: a batch of freshly graded units listed in one action, with progress and states."""

from __future__ import annotations

from decimal import Decimal

import pytest

from grading_station.domain.pricing import PricingTable

from grading_station.backmarket.registry import ListingRegistry
from grading_station.odoo.stock_overview import StockUnit

from grading_station.services.listing import ListingService
from grading_station.services.listing_facts import VariantFacts
from grading_station.services.listing_outbox import KIND_STOCK, ListingFeed
from grading_station.services.listing_overview import BackMarketTarget, ListingOverview

from grading_station.ui.listing.badge import ListingBadge
from grading_station.ui.listing.panel import ListingPanel

from grading_station.paths import RESOURCES
from grading_station.sim.backmarket.server import Fault
from tests.helpers.bm_sim import DEMO_EAN, CountingStock, ListOutbox, StaticCatalogue, bm_client


class RegistryStock:
    """Odoo's units in stock, as this station's registry knows them (these tests are about the batch)."""

    def __init__(self, registry: ListingRegistry) -> None:
        self.registry = registry

    def graded_units_in_stock(self, limit: int = 500) -> list[StockUnit]:
        return [
            StockUnit(u.serial, 0, u.variant_id, u.model_name, u.grade, u.sku, "WH/Stock", "")
            for u in self.registry.units(limit)
        ]


def target() -> BackMarketTarget:
    return BackMarketTarget("EU", "production", "https://www.backmarket.fr")


PRICING = PricingTable.parse((RESOURCES / "pricing.toml").read_text(encoding="utf-8"))
STATE = 7  # serial, model, grade, location, SKU, on sale, fr-fr, Back Market
GRADES = ("premium", "excellent", "good", "fair", "premium", "good")


@pytest.fixture
def setup(qtbot, bm_sim):
    variants = [
        VariantFacts(
            v,
            f"M{v}-{g.upper()}",
            f"M{v}",
            f"Phone {v}",
            "phone",
            g,
            g.upper(),
            DEMO_EAN if v != 6 else "4000000000006",
            Decimal("800"),
        )
        for v, g in enumerate(GRADES, start=1)
    ]
    registry = ListingRegistry(None)
    service = ListingService(
        bm_client(bm_sim),
        CountingStock({v: 9 for v in range(1, 7)}),
        StaticCatalogue(variants),
        PRICING,
        registry,
        ("fr-fr",),
        task_poll=0.01,
    )
    outbox = ListOutbox()
    feed = ListingFeed(service, outbox)
    for n in range(50):
        service.note_graded(f"SN{n:03}", 1 + n % 6)
    panel = ListingPanel(ListingOverview(RegistryStock(registry), registry, {}, lambda: ("fr-fr",), {}, target), feed)
    qtbot.add_widget(panel)
    panel.refresh()
    qtbot.wait_until(lambda: panel.table.rowCount() == 50)
    return panel, outbox


def test_a_batch_of_50_units_is_listed_in_one_action(qtbot, setup):
    panel, _ = setup
    seen = []
    panel._progressed.connect(lambda done, total, what: seen.append((done, total)))
    with (
        qtbot.assert_not_emitted(panel.batch_did_fail),
        qtbot.wait_signal(panel.batch_did_finish, timeout=10_000) as done,
    ):
        panel.list_button.click()
        assert not panel.list_button.isEnabled() and not panel.progress.isHidden()
    report = done.args[0]
    assert len(report.by_state("live")) == 5 and len(report.by_state("failed")) == 1
    assert seen[-1] == (6, 6)  # progress per SKU up to the total
    qtbot.wait_until(lambda: "Live" in panel.table.item(0, STATE).text())
    states = {panel.table.item(r, 0).text(): panel.table.item(r, STATE).text() for r in range(50)}
    assert states["SN000"] == "Live (9 on sale)"
    assert states["SN005"].startswith("Failed: Back Market refused the listing: no product matches")
    assert "1 failed" in panel.status.text() and panel.status.property("state") == "error"


def test_an_expired_token_stops_the_batch_and_says_so(qtbot, setup, bm_sim):
    panel, outbox = setup
    bm_sim.expire_token()
    with qtbot.wait_signal(panel.batch_did_fail, timeout=10_000) as failed:
        panel.list_button.click()
    assert "token" in failed.args[0] and outbox.items == []
    assert panel.list_button.isEnabled()


def test_back_market_down_defers_the_batch_to_the_outbox(qtbot, setup, bm_sim):
    panel, outbox = setup
    bm_sim.inject(Fault("server_error", times=100))
    with qtbot.wait_signal(panel.batch_did_finish, timeout=10_000) as done:
        panel.list_button.click()
    assert {o.state for o in done.args[0].outcomes} == {"pending"}
    assert sorted(p["variant_id"] for kind, p, _ in outbox.items if kind == KIND_STOCK) == [1, 2, 3, 4, 5, 6]


def test_badge_shows_the_unit_state(qtbot, setup):
    panel, _ = setup
    badge = ListingBadge(panel.registry)
    qtbot.add_widget(badge)
    badge.show_serial("SN001")
    qtbot.wait_until(lambda: badge.text() == "Back Market: Pending")
    badge.show_serial("nope")
    qtbot.wait_until(lambda: badge.text() == "")


def test_outbox_changes_refresh_the_table_once_per_burst(qtbot, setup):
    panel, _ = setup
    panel.registry.set_listing("M1-PREMIUM", "live", quantity=4)
    calls = []
    original = panel.refresh
    panel._refresh_timer.timeout.disconnect()
    panel._refresh_timer.timeout.connect(lambda: (calls.append(1), original()))
    for _ in range(10):
        panel.schedule_refresh(object())

    def state_of(serial):
        return next(
            panel.table.item(r, STATE).text() for r in range(50) if panel.table.item(r, 0).text() == serial
        )

    qtbot.wait_until(lambda: state_of("SN000") == "Live (4 on sale)", timeout=3000)
    assert calls == [1]
