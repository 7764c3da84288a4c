"""Listing updates through the real local outbox: coalesced per variant (the latest quantity wins), delivered
once, waiting while Back Market is down, stopped by an expired token."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from grading_station.domain.grading import GradingRecord
from grading_station.domain.pricing import PricingTable
from grading_station.domain.units import Placement

from grading_station.backmarket.registry import ListingRegistry

from grading_station.services.listing import ListingService
from grading_station.services.listing_facts import VariantFacts
from grading_station.services.listing_outbox import KIND_STOCK, ListingFeed

from grading_station.errors import RemoteRefused, RemoteUnavailable
from grading_station.paths import RESOURCES
from grading_station.sim.backmarket.server import Fault
from tests.helpers.bm_sim import DEMO_EAN, CountingStock, StaticCatalogue, bm_client

PRICING = PricingTable.parse((RESOURCES / "pricing.toml").read_text(encoding="utf-8"))


def facts(vid: int, grade: str, new_price: str = "1000") -> VariantFacts:
    return VariantFacts(
        vid,
        f"IP14-{grade.upper()}",
        "IP14",
        "iPhone 14",
        "phone",
        grade,
        grade.upper(),
        DEMO_EAN,
        Decimal(new_price),
    )


@pytest.fixture
def feed(bm_sim, local_store):
    stock = CountingStock({1: 1, 2: 0})
    service = ListingService(
        bm_client(bm_sim),
        stock,
        StaticCatalogue([facts(1, "premium"), facts(2, "excellent"), facts(3, "fair", "50")]),
        PRICING,
        ListingRegistry(None),
        ("fr-fr",),
        task_poll=0.01,
    )
    feed = ListingFeed(service, local_store.outbox)
    feed.stock = stock
    return feed


def later() -> datetime:
    return datetime.now(UTC) + timedelta(days=1)


def deliver(feed, outbox) -> list:
    """What the deliverer does for our kind: the handler on each due item, outcome recorded in the outbox."""
    results = []
    for item in outbox.due(later()):
        if item.kind != KIND_STOCK:
            continue
        outbox.mark_delivering(item.id)
        try:
            results.append(feed.handle(item))
            outbox.mark_delivered(item.id, results[-1])
        except (RemoteUnavailable, RemoteRefused) as exc:
            outbox.mark_failed(item.id, exc.user_message, retry_at=datetime.now(UTC))
            results.append(exc)
    return results


def test_three_changes_while_waiting_become_one_delivery_of_the_latest_quantity(feed, local_store, bm_sim):
    for quantity in (1, 2, 3):
        feed.stock.quantities[1] = quantity
        feed.request_sync([1], serial=f"SN{quantity}")
    waiting = [i for i in local_store.outbox.list_items() if i.kind == KIND_STOCK]
    assert len(waiting) == 1 and waiting[0].payload["sku"] == "IP14-PREMIUM"
    assert waiting[0].payload["model_name"] == "iPhone 14 (premium)"  # readable in the Activity panel
    assert deliver(feed, local_store.outbox)[0]["quantity"] == 3
    assert bm_sim.catalogue.find("IP14-PREMIUM").quantity == 3
    assert deliver(feed, local_store.outbox) == []  # delivered once


def batches(bm_sim) -> list:
    return [r for r in bm_sim.received if r.method == "POST" and r.path == "/ws/listings"]


def test_new_skus_due_together_go_in_one_batch_and_each_item_is_delivered_once(feed, local_store, bm_sim):
    feed.stock.quantities.update({1: 1, 2: 3})
    feed.request_sync([1], serial="SN1")
    feed.request_sync([2], serial="SN2")
    results = deliver(feed, local_store.outbox)
    assert [(r["sku"], r["state"]) for r in results] == [("IP14-PREMIUM", "live"), ("IP14-EXCELLENT", "live")]
    assert len(batches(bm_sim)) == 1  # one CSV for both new SKUs, not one per outbox item
    assert b"IP14-PREMIUM" in batches(bm_sim)[0].body and b"IP14-EXCELLENT" in batches(bm_sim)[0].body
    assert bm_sim.catalogue.find("IP14-EXCELLENT").quantity == results[1]["quantity"] > 0
    assert deliver(feed, local_store.outbox) == []


def test_a_companion_already_on_back_market_is_left_to_its_own_item(feed, local_store, bm_sim):
    feed.stock.quantities.update({1: 1, 2: 3})
    feed.request_sync([2])
    deliver(feed, local_store.outbox)  # IP14-EXCELLENT now exists on Back Market
    feed.service.registry = ListingRegistry(None)  # a station that has not seen it yet
    feed.stock.quantities[2] = 4
    feed.request_sync([1])
    feed.request_sync([2])
    results = deliver(feed, local_store.outbox)
    assert [r["sku"] for r in results] == ["IP14-PREMIUM", "IP14-EXCELLENT"]
    assert len(batches(bm_sim)) == 2  # its own batch earlier, then IP14-PREMIUM's alone
    assert b"IP14-EXCELLENT" not in batches(bm_sim)[1].body
    assert bm_sim.catalogue.find("IP14-EXCELLENT").quantity == results[1]["quantity"]
    looked_up = [r for r in bm_sim.received if r.path == "/ws/listings/detail" and "IP14-EXCELLENT" in r.query]
    assert len(looked_up) == 3  # created (before, after), then once as a companion: its item did not look again


def test_back_market_down_keeps_the_item_waiting_then_delivers_it_once(feed, local_store, bm_sim):
    feed.request_sync([1])
    bm_sim.inject(Fault("server_error"))
    outcome = deliver(feed, local_store.outbox)[0]
    assert isinstance(outcome, RemoteUnavailable) and "having problems" in outcome.user_message
    feed.stock.quantities[1] = 4
    feed.request_sync([1])  # a newer change replaces the failing one: still one item
    assert len([i for i in local_store.outbox.list_items() if i.state != "delivered"]) == 1
    assert deliver(feed, local_store.outbox)[0]["quantity"] == 4
    assert bm_sim.count("POST", "/ws/listings") == 1


def test_expired_token_is_refused_not_retried(feed, local_store, bm_sim):
    bm_sim.expire_token()
    feed.request_sync([1])
    outcome = deliver(feed, local_store.outbox)[0]
    assert isinstance(outcome, RemoteRefused) and "token" in outcome.user_message


def test_a_refused_listing_is_shown_with_its_reason(feed, local_store):
    feed.request_sync([3])
    feed.stock.quantities[3] = 4
    outcome = deliver(feed, local_store.outbox)[0]
    assert isinstance(outcome, RemoteRefused) and "below the floor" in outcome.user_message


def test_a_batch_task_still_running_waits(feed, local_store, bm_sim):
    bm_sim.catalogue.task_delay = 5
    feed.service.task_wait = 0.05
    feed.request_sync([1])
    outcome = deliver(feed, local_store.outbox)[0]
    assert isinstance(outcome, RemoteUnavailable) and "Waiting for Back Market" in outcome.user_message


def record(serial="SN1", variant=1, old=None) -> GradingRecord:
    return GradingRecord(
        "g-1",
        serial,
        10,
        variant,
        "iPhone 14",
        "phone",
        "premium",
        "premium",
        "",
        Placement.STOCK,
        "",
        95,
        100,
        "tech",
        "bench",
        "2026-11-27T05:00:00Z",
        "phone",
        1,
        {},
        existing_lot_id=7 if old else None,
        existing_variant_id=old,
    )


def test_a_delivered_regrade_queues_both_skus(feed, local_store):
    item = type("Item", (), {"kind": "grading", "payload": record(variant=2, old=1).to_json()})()
    feed.after_grading(lambda _item: {"lot_id": 7})(item)
    keys = sorted(i.key for i in local_store.outbox.list_items() if i.kind == KIND_STOCK)
    assert keys == ["bm.stock:1", "bm.stock:2"]
    assert feed.service.registry.unit("SN1").sku == "IP14-EXCELLENT"


def test_a_failing_follow_up_leaves_the_grading_delivered(feed, local_store, monkeypatch, expected_logs):
    expected_logs.expect("grading_station.backmarket", "could not be queued")

    def broken(_record):
        raise RuntimeError("database is locked")

    monkeypatch.setattr(feed, "on_grading_delivered", broken)
    item = type("Item", (), {"kind": "grading", "payload": record().to_json()})()
    assert feed.after_grading(lambda _item: {"lot_id": 5})(item) == {"lot_id": 5}


def test_auto_list_off_only_remembers_the_unit(feed, local_store):
    feed.auto_list = lambda: False
    feed.on_grading_delivered(record())
    assert [i for i in local_store.outbox.list_items() if i.kind == KIND_STOCK] == []
    assert feed.service.registry.unit("SN1").state == "pending"


def test_after_grading_queues_the_sync_once_the_grading_is_delivered(feed, local_store):
    delivered = []
    handler = feed.after_grading(lambda item: delivered.append(item) or {"lot_id": 5})
    item = type("Item", (), {"kind": "grading", "payload": record().to_json()})()
    assert handler(item) == {"lot_id": 5} and delivered == [item]
    assert [i.key for i in local_store.outbox.list_items() if i.kind == KIND_STOCK] == ["bm.stock:1"]


def test_a_grading_that_fails_queues_nothing(feed, local_store):
    def refuse(item):
        raise RemoteUnavailable("Odoo is down")

    item = type("Item", (), {"kind": "grading", "payload": record().to_json()})()
    with pytest.raises(RemoteUnavailable):
        feed.after_grading(refuse)(item)
    assert [i for i in local_store.outbox.list_items() if i.kind == KIND_STOCK] == []


def test_variants_not_sold_on_back_market_are_not_queued(feed, local_store):
    repair = VariantFacts(
        4, "IP14-REPAIR", "IP14", "iPhone 14", "phone", "repair", "", DEMO_EAN, Decimal(1000)
    )
    feed.service.catalogue.facts[4] = repair
    feed.request_sync([4, 99, 1])
    assert [i.key for i in local_store.outbox.list_items() if i.kind == KIND_STOCK] == ["bm.stock:1"]


def test_companions_do_not_push_the_batch_past_the_hours_budget(feed, local_store, bm_sim):
    from grading_station.backmarket.budget import ListingBudget

    feed.service.client.budget = ListingBudget(None, limit=1)
    feed.stock.quantities.update({1: 1, 2: 3})
    feed.request_sync([1])
    feed.request_sync([2])
    first, second = deliver(feed, local_store.outbox)
    assert first["state"] == "live"  # its own line fitted; the companion did not ride along
    assert isinstance(second, RemoteUnavailable) and "budget" in second.user_message
    assert b"IP14-EXCELLENT" not in batches(bm_sim)[0].body
