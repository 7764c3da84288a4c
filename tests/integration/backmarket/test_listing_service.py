"""The listing service against the Back Market simulator (spec validation on): quantities, prices, batches."""

from __future__ import annotations

import json
import time
from decimal import Decimal

import httpx
import pytest

from grading_station.domain.pricing import PricingTable

from grading_station.backmarket.catalog_csv import parse_catalog
from grading_station.backmarket.errors import BackMarketError, Failure
from grading_station.backmarket.registry import ListingRegistry

from grading_station.services.listing import ListingService
from grading_station.services.listing_facts import VariantFacts

from grading_station.paths import RESOURCES
from grading_station.sim.backmarket.server import Fault
from tests.helpers.bm_sim import DEMO_EAN, CountingStock, StaticCatalogue, bm_client

PRICING = PricingTable.parse((RESOURCES / "pricing.toml").read_text(encoding="utf-8"))
GRADES = {"premium": "PREMIUM", "excellent": "EXCELLENT", "good": "GOOD", "fair": "FAIR"}


def facts(
    vid: int,
    grade: str,
    *,
    sku: str | None = None,
    ean: str = DEMO_EAN,
    new_price: str | None = "1000",
    category: str = "phone",
) -> VariantFacts:
    return VariantFacts(
        vid,
        sku if sku is not None else f"IP14P-256-BLK-{grade[0].upper()}",
        "IP14P-256-BLK",
        "iPhone 14 Pro 256GB Space Black",
        category,
        grade,
        GRADES.get(grade, ""),
        ean,
        Decimal(new_price) if new_price else None,
    )


def make_service(bm_sim, variants, quantities, markets=("fr-fr",), **kw):
    client = bm_client(bm_sim, markets=markets, backpricer=kw.pop("backpricer", False))
    stock = CountingStock(quantities)
    service = ListingService(
        client,
        stock,
        StaticCatalogue(variants),
        PRICING,
        ListingRegistry(None),
        markets,
        task_wait=kw.pop("task_wait", 2.0),
        task_poll=0.01,
        **kw,
    )
    return service, stock


def test_new_skus_are_created_in_one_batch_at_stock_minus_buffer(bm_sim):
    variants = [facts(1, "premium"), facts(2, "good"), facts(3, "fair")]
    service, stock = make_service(bm_sim, variants, {1: 3, 2: 2, 3: 1})
    report = service.sync_variants([1, 2, 3])
    assert [(o.sku, o.state, o.quantity) for o in report.outcomes] == [
        ("IP14P-256-BLK-P", "live", 3),
        ("IP14P-256-BLK-G", "live", 1),
        ("IP14P-256-BLK-F", "offline", 0),
    ]  # fair keeps 1 as buffer: nothing to list, no listing created
    assert stock.reads == 1
    assert bm_sim.count("POST", "/ws/listings") == 1  # one CSV for both new SKUs
    premium = bm_sim.catalogue.find("IP14P-256-BLK-P")
    assert (premium.quantity, premium.grade, premium.prices["fr-fr"]) == (3, "PREMIUM", ("900.00", None))
    assert service.registry.listing("ip14p-256-blk-p").state == "live"


def test_existing_sku_gets_a_real_time_update_with_the_latest_quantity(bm_sim):
    service, stock = make_service(bm_sim, [facts(1, "premium")], {1: 2})
    service.sync_variants([1])
    batches = bm_sim.count("POST", "/ws/listings")
    stock.quantities[1] = 5
    assert service.sync_variants([1]).outcomes[0].quantity == 5
    assert bm_sim.count("POST", "/ws/listings") - batches == 1  # the single-listing update, not a batch
    assert bm_sim.catalogue.find("IP14P-256-BLK-P").quantity == 5
    stock.quantities[1] = 0  # the last unit left stock: the listing goes offline
    assert service.sync_variants([1]).outcomes[0].state == "offline"
    assert bm_sim.catalogue.find("IP14P-256-BLK-P").quantity == 0


def test_each_market_gets_its_price_in_its_currency_once(bm_sim):
    service, _ = make_service(
        bm_sim, [facts(1, "premium")], {1: 1}, markets=("fr-fr", "de-de", "en-gb"), backpricer=True
    )
    service.sync_variants([1])
    listing = bm_sim.catalogue.find("IP14P-256-BLK-P")
    assert listing.prices == {
        "fr-fr": ("900.00", "850.00"),
        "de-de": ("918.00", "867.00"),
        "en-gb": ("774.00", "731.00"),
    }
    before = bm_sim.count("POST")
    service.sync_variants([1])
    assert bm_sim.count("POST") - before == 1  # prices unchanged elsewhere: only the main-market update


def test_a_regrade_updates_both_skus(bm_sim):
    service, stock = make_service(bm_sim, [facts(1, "premium"), facts(2, "excellent")], {1: 2, 2: 1})
    service.sync_variants([1, 2])
    stock.quantities.update({1: 1, 2: 2})  # one unit moved from premium to excellent
    service.sync_variants([1, 2])
    assert bm_sim.catalogue.find("IP14P-256-BLK-P").quantity == 1
    assert bm_sim.catalogue.find("IP14P-256-BLK-E").quantity == 2


def test_batch_rows_failing_are_shown_per_line(bm_sim):
    variants = [facts(1, "premium"), facts(2, "good", ean="0000000000017")]
    service, _ = make_service(bm_sim, variants, {1: 1, 2: 3})
    report = service.sync_variants([1, 2])
    assert [o.state for o in report.outcomes] == ["live", "failed"]
    assert "refused the listing: no product matches" in report.outcomes[1].reason
    assert service.registry.listing("IP14P-256-BLK-G").state == "failed"


def test_skus_differing_only_in_case_are_refused_before_sending(bm_sim):
    variants = [facts(1, "premium", sku="ABC-1"), facts(2, "good", sku="abc-1")]
    service, _ = make_service(bm_sim, variants, {1: 1, 2: 1})
    report = service.sync_variants([1, 2])
    assert {o.state for o in report.outcomes} == {"failed"} and "differ only in case" in report.outcomes[
        0
    ].reason
    assert bm_sim.count("POST") == 0


@pytest.mark.parametrize(
    "variant, quantity, reason",
    [
        (facts(1, "fair", new_price="80"), 3, "below the floor"),
        (facts(1, "good", new_price=None), 3, "No new price"),
        (facts(1, "good", sku=""), 3, "has no SKU"),
        (facts(1, "repair"), 3, "not sold on Back Market"),
        (facts(1, "good"), -2, "cannot be negative"),
        (facts(1, "good"), "3", "not a whole number"),
        (facts(1, "good", ean=""), 3, "no EAN"),
    ],
)
def test_bad_input_is_a_failure_with_a_reason_and_nothing_sent(bm_sim, variant, quantity, reason):
    service, _ = make_service(bm_sim, [variant], {1: quantity})
    outcome = service.sync_variants([1]).outcomes[0]
    assert outcome.state == "failed" and reason in outcome.reason
    assert bm_sim.count("POST") == 0


def test_unknown_variant_is_reported():
    from grading_station.services.listing_outcomes import SkuOutcome

    service = ListingService(
        None, CountingStock(), StaticCatalogue([]), PRICING, ListingRegistry(None), ("fr-fr",)
    )
    service.client = type("NoClient", (), {"requests_sent": 0})()
    assert service.sync_variants([99]).outcomes == (
        SkuOutcome(99, "", "failed", reason="not a graded variant of a managed model"),
    )


def test_a_slow_task_stays_pending_and_is_polled_not_resubmitted(bm_sim):
    bm_sim.catalogue.task_delay = 0.3
    service, _ = make_service(bm_sim, [facts(1, "premium")], {1: 1}, task_wait=0.05)
    assert service.sync_variants([1]).outcomes[0].state == "pending"
    bm_sim.catalogue.task_delay = 0
    service.task_wait = 1.0
    bm_sim.catalogue.finish_queued_tasks()  # Back Market got round to it meanwhile
    assert service.sync_variants([1]).outcomes[0].state == "live"
    assert bm_sim.count("POST", "/ws/listings") == 1


def test_a_batch_finishing_after_the_stock_changed_pushes_the_new_quantity(bm_sim):
    bm_sim.catalogue.task_delay = 0.3
    service, stock = make_service(bm_sim, [facts(1, "premium")], {1: 1}, task_wait=0.05)
    assert service.sync_variants([1]).outcomes[0].state == "pending"  # the CSV said quantity 1
    stock.quantities[1] = 0  # meanwhile the unit was sold or sent to repair
    bm_sim.catalogue.task_delay = 0
    service.task_wait = 1.0
    bm_sim.catalogue.finish_queued_tasks()  # Back Market got round to it meanwhile
    outcome = service.sync_variants([1]).outcomes[0]
    assert bm_sim.catalogue.find("IP14P-256-BLK-P").quantity == 0  # not left live at 1: no oversell
    assert outcome.state == "offline"


def test_a_listing_deleted_on_back_market_is_created_again(bm_sim):
    service, _ = make_service(bm_sim, [facts(1, "premium")], {1: 1})
    service.sync_variants([1])
    bm_sim.catalogue.listings.clear()
    assert service.sync_variants([1]).outcomes[0].state == "live"
    assert bm_sim.catalogue.find("IP14P-256-BLK-P") is not None


def test_back_market_down_propagates_as_a_retryable_error(bm_sim):
    service, _ = make_service(bm_sim, [facts(1, "premium")], {1: 1})
    bm_sim.inject(Fault("server_error", times=5))
    with pytest.raises(BackMarketError) as caught:
        service.sync_variants([1])
    assert caught.value.failure is Failure.SERVER and caught.value.retryable


def test_requests_grow_with_skus_not_units(bm_sim):
    variants = [
        facts(v, g, sku=f"M{v}-{g}")
        for v, g in zip(range(1, 7), ["premium", "excellent", "good"] * 2, strict=True)
    ]
    service, _ = make_service(bm_sim, variants, {v: 9 for v in range(1, 7)})
    first = service.sync_variants(range(1, 7)).requests
    service.registry = ListingRegistry(None)
    service2, _ = make_service(bm_sim, variants, {v: 90 for v in range(1, 7)})
    again = service2.sync_variants(range(1, 7)).requests
    assert first <= 6 + 1 + 3 + 6 and again == 6 + 6  # find + update per SKU, whatever the number of units


def test_a_batch_task_failing_as_a_whole_fails_each_line_with_its_error(bm_sim):
    bm_sim.catalogue.fail_next_task = "Task has been interrupted."
    service, _ = make_service(bm_sim, [facts(1, "premium"), facts(2, "good")], {1: 1, 2: 3})
    report = service.sync_variants([1, 2])
    assert {o.state for o in report.outcomes} == {"failed"}
    assert report.outcomes[0].reason == "Back Market could not process the batch: Task has been interrupted."


def test_a_listing_on_back_market_differing_only_in_case_is_not_taken_over(bm_sim):
    other, _ = make_service(bm_sim, [facts(1, "premium", sku="Case-SKU")], {1: 2})
    other.sync_variants([1])
    service, _ = make_service(bm_sim, [facts(2, "good", sku="CASE-SKU")], {2: 3})
    outcome = service.sync_variants([2]).outcomes[0]
    assert outcome.state == "failed" and "differs from CASE-SKU only in case" in outcome.reason
    assert bm_sim.catalogue.find("case-sku").quantity == 2  # untouched


def test_a_timed_out_batch_is_read_back_before_anything_is_sent_again(bm_sim):
    client_timeout = 0.2
    service, _ = make_service(bm_sim, [facts(1, "premium")], {1: 2})
    service.client.transport.http.timeout = httpx.Timeout(client_timeout)
    bm_sim.inject(Fault("timeout_after_apply", method="POST", path="/ws/listings"))
    with pytest.raises(BackMarketError) as caught:
        service.sync_variants([1])
    assert caught.value.maybe_applied and caught.value.retryable  # the outbox tries again later
    # The batch Back Market did receive (its answer is still held back) has been processed meanwhile.
    deadline = time.monotonic() + 5
    while not bm_sim.catalogue.tasks:  # the simulator's thread may not have applied it yet
        assert time.monotonic() < deadline, "the batch never reached the simulator"
        time.sleep(0.01)
    bm_sim.catalogue.finish_queued_tasks()
    assert service.sync_variants([1]).outcomes[0].state == "live"
    batches = [r for r in bm_sim.received if r.method == "POST" and r.path == "/ws/listings"]
    assert len(batches) == 1  # found on Back Market: updated in real time, not sent as a second batch
    assert len(bm_sim.catalogue.listings) == 1


def test_more_new_skus_than_a_catalog_holds_go_in_several_batches(bm_sim, monkeypatch):
    from grading_station.services import listing_batch

    monkeypatch.setattr(listing_batch, "MAX_ROWS", 2)  # 14,999 in production: the same split, smaller
    variants = [facts(v, "premium", sku=f"SPLIT-{v}") for v in range(1, 6)]
    service, _ = make_service(bm_sim, variants, {v: 1 for v in range(1, 6)})
    report = service.sync_variants(range(1, 6))
    assert {o.state for o in report.outcomes} == {"live"}
    batches = [r for r in bm_sim.received if r.method == "POST" and r.path == "/ws/listings"]
    assert len(batches) == 3


def _batches(bm_sim) -> int:
    return len([r for r in bm_sim.received if r.method == "POST" and r.path == "/ws/listings"])


def test_a_lost_batch_still_running_is_waited_for_not_sent_again(bm_sim):
    service, stock = make_service(bm_sim, [facts(1, "premium")], {1: 2})
    service.client.transport.http.timeout = httpx.Timeout(0.2)
    bm_sim.catalogue.task_delay = 60  # Back Market takes minutes
    bm_sim.inject(Fault("timeout_after_apply", method="POST", path="/ws/listings"))
    with pytest.raises(BackMarketError):
        service.sync_variants([1])
    outcome = service.sync_variants([1]).outcomes[0]
    assert outcome.state == "pending" and "may still be processing" in outcome.reason
    assert _batches(bm_sim) == 1
    for task in bm_sim.catalogue.tasks.values():
        task.ready_at = 0  # the batch Back Market did receive is done
    stock.quantities[1] = 4  # and stock moved meanwhile
    outcome = service.sync_variants([1]).outcomes[0]
    assert (outcome.state, outcome.quantity) == ("live", 4)
    assert bm_sim.catalogue.find("IP14P-256-BLK-P").quantity == 4
    assert _batches(bm_sim) == 1


def test_a_lost_batch_that_never_arrived_is_sent_again_after_the_grace(bm_sim):
    service, _ = make_service(bm_sim, [facts(1, "premium")], {1: 2})
    clock = [1000.0]
    service.registry = ListingRegistry(None, clock=lambda: clock[0])
    service.client.transport.http.timeout = httpx.Timeout(0.2)
    bm_sim.inject(Fault("timeout", method="POST", path="/ws/listings"))  # answered late, never applied
    with pytest.raises(BackMarketError):
        service.sync_variants([1])
    assert service.sync_variants([1]).outcomes[0].state == "pending"
    assert _batches(bm_sim) == 1
    clock[0] += service.lost_batch_grace
    assert service.sync_variants([1]).outcomes[0].state == "live"
    assert _batches(bm_sim) == 2 and len(bm_sim.catalogue.listings) == 1


def test_a_batch_task_back_market_lost_is_checked_then_sent_again(bm_sim):
    bm_sim.catalogue.task_delay = 60  # still running when the first sync gives up waiting
    service, _ = make_service(bm_sim, [facts(1, "premium")], {1: 1}, task_wait=0.05, lost_batch_grace=0.0)
    assert service.sync_variants([1]).outcomes[0].state == "pending"
    bm_sim.catalogue.tasks.clear()  # Back Market forgot the task (404 from now on)
    bm_sim.catalogue.listings.clear()
    assert service.sync_variants([1]).outcomes[0].state == "pending"  # marked lost, not polled forever
    bm_sim.catalogue.task_delay = 0
    service.task_wait = 1.0
    assert service.sync_variants([1]).outcomes[0].state == "live"  # looked up, missing, sent again
    assert _batches(bm_sim) == 2


@pytest.mark.parametrize("backpricer", [False, True])
def test_min_price_is_sent_only_when_the_backpricer_is_enabled(bm_sim, backpricer):
    service, stock = make_service(
        bm_sim, [facts(1, "premium")], {1: 2}, markets=("fr-fr", "de-de"), backpricer=backpricer
    )
    service.sync_variants([1])  # created by the CSV batch, then the de-de price
    stock.quantities[1] = 3
    service.sync_variants([1])  # a real-time update
    posts = [json.loads(r.body) for r in bm_sim.received if r.method == "POST"]
    catalog = parse_catalog(posts[0]["catalog"])
    updates = posts[1:]
    assert len(updates) >= 2
    assert ("min_price" in catalog[0]) is backpricer
    assert all(("min_price" in body) is backpricer for body in updates)
    listing = bm_sim.catalogue.find("IP14P-256-BLK-P")
    assert (listing.prices["fr-fr"][1] is not None) is backpricer


def test_a_batch_task_is_checked_after_the_poll_interval_then_less_and_less_often(bm_sim):
    bm_sim.catalogue.task_delay = 0.5
    service, _ = make_service(bm_sim, [facts(1, "premium")], {1: 2}, task_wait=3.0)
    service.task_poll = 0.2
    assert service.sync_variants([1]).outcomes[0].state == "live"
    sent_at = next(r.at for r in bm_sim.received if r.method == "POST" and r.path == "/ws/listings")
    checks = [r.at - sent_at for r in bm_sim.received if r.path.startswith("/ws/tasks/")]
    assert len(checks) == 2  # at 0.2 s (still running) and 0.6 s (done), not every few milliseconds
    assert checks[0] >= 0.2 and checks[1] - checks[0] >= 0.4


def test_by_default_a_task_is_not_checked_for_tens_of_seconds_even_when_the_outbox_retries(bm_sim):
    bm_sim.catalogue.task_delay = 60
    service, _ = make_service(bm_sim, [facts(1, "premium")], {1: 2}, task_wait=0.3)
    service.task_poll = None  # the declared setting's default: 30 s
    assert service.task_poll == 30.0
    assert service.sync_variants([1]).outcomes[0].state == "pending"
    assert service.sync_variants([1]).outcomes[0].state == "pending"  # an outbox retry soon after
    assert bm_sim.count("GET", "/ws/tasks/") == 0
    assert bm_sim.count("POST", "/ws/listings") == 1  # and the batch is not sent again


def test_a_new_listing_whose_grade_differs_from_the_one_sent_fails_that_item(bm_sim):
    bm_sim.catalogue.forced_grade = "GOOD"  # Back Market did not read our grade column
    service, _ = make_service(bm_sim, [facts(1, "premium")], {1: 2})
    (outcome,) = service.sync_variants([1]).outcomes
    assert outcome.state == "failed"
    assert "listed IP14P-256-BLK-P as GOOD, but it was sent as PREMIUM" in outcome.reason
    assert service.registry.listing("IP14P-256-BLK-P").state == "failed"
