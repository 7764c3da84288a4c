"""The Back Market client against the simulator over real HTTP, with openapi.yml validation on."""

from __future__ import annotations

import json
import time
from decimal import Decimal

import httpx
import pytest

from grading_station.backmarket.catalog_csv import ListingRow, build_catalog
from grading_station.backmarket.errors import BackMarketError, Failure
from grading_station.backmarket.limiter import RateLimiter
from grading_station.backmarket.models import OrderlineIdentifiers

from grading_station import __version__
from grading_station.sim.backmarket.server import Fault
from tests.helpers.bm_sim import DEMO_EAN, bm_client


def _create(bm, skus, quantity=2, grade="GOOD"):
    rows = [ListingRow(s, quantity, Decimal("499.00"), "EUR", grade, ean=DEMO_EAN) for s in skus]
    return _finished(bm, bm.submit_batch(build_catalog(rows), lines=len(rows), market="fr-fr"))


def _finished(bm, task_id: int, timeout: float = 5.0):
    """The task, polled until the simulator has run it (after its task_delay)."""
    deadline = time.monotonic() + timeout
    while not (task := bm.get_task(task_id)).finished:
        assert time.monotonic() < deadline, "task never finished"
        time.sleep(0.01)
    return task


def test_every_call_carries_the_token_as_issued_the_user_agent_and_the_market(bm, bm_sim):
    _create(bm, ["IP14P-GOOD"])
    listing = bm.find_listing(sku="IP14P-GOOD", market="de-de")
    bm.update_listing(listing.id, market="de-de", price=Decimal("519.00"))
    for request in bm_sim.received:
        assert request.headers["Authorization"] == "Basic sim-token"
        assert request.headers["User-Agent"] == f"BM-Acme-GradingStation_v{__version__};ops@acme.test"
        assert request.headers["Accept"] == "application/json"
        assert request.headers["Content-Type"] == "application/json"  # the guide: on every call, GETs too
    assert [r.headers["Accept-Language"] for r in bm_sim.received[-2:]] == ["de-de", "de-de"]


def test_batch_creates_listings_and_reports_bad_rows_per_line(bm):
    rows = [
        ListingRow("A-PREMIUM", 3, Decimal("899.00"), "EUR", "PREMIUM", ean=DEMO_EAN),
        ListingRow("A-FAIR", 1, Decimal("399.00"), "EUR", "FAIR", ean="0000000000000"),
    ]
    task = _finished(bm, bm.submit_batch(build_catalog(rows), lines=2, market="fr-fr"))
    assert task.status == 9 and list(task.errors_by_sku) == ["A-FAIR"]
    assert "no product" in task.errors_by_sku["A-FAIR"][0]
    listing = bm.find_listing(sku="a-premium")  # SKUs are case-insensitive on Back Market
    assert (listing.sku, listing.quantity, listing.price, listing.grade) == (
        "A-PREMIUM",
        3,
        Decimal("899.00"),
        "PREMIUM",
    )
    assert bm.find_listing(sku="UNKNOWN-SKU") is None


def test_single_update_then_read_back_and_pagination_follows_next(bm):
    _create(bm, [f"SKU-{n:03}" for n in range(60)])
    listing = bm.find_listing(sku="SKU-007")
    updated = bm.update_listing(
        listing.id,
        market="fr-fr",
        quantity=5,
        price=Decimal("450.00"),
        currency="EUR",
        min_price=Decimal("400.00"),
    )
    assert (updated.quantity, updated.price, updated.min_price) == (5, Decimal("450.00"), Decimal("400.00"))
    assert bm.get_listing(listing.id).quantity == 5
    assert len(bm.all_listings()) == 60


def test_unknown_listing_id_is_not_found(bm):
    with pytest.raises(BackMarketError) as caught:
        bm.update_listing("00000000-0000-4000-8000-000000000000", market="fr-fr", quantity=1)
    assert caught.value.failure is Failure.NOT_FOUND and not caught.value.retryable
    assert caught.value.request_id  # V1 body: requestId kept for support


def test_a_price_in_the_wrong_currency_for_the_market_is_refused(bm):
    _create(bm, ["GB-1"])
    listing = bm.find_listing(sku="GB-1")
    with pytest.raises(BackMarketError) as caught:
        bm.update_listing(listing.id, market="en-gb", price=Decimal("400.00"))
    assert caught.value.failure is Failure.INVALID and "GBP" in caught.value.user_message
    assert bm.update_listing(listing.id, market="en-gb", price=Decimal("400.00"), currency="GBP").currency == "GBP"


def test_expired_token_says_so_and_stops_sending(bm, bm_sim):
    bm_sim.expire_token()
    with pytest.raises(BackMarketError) as caught:
        bm.list_listings()
    assert caught.value.failure is Failure.AUTH and not caught.value.retryable
    assert "token" in caught.value.user_message
    sent = len(bm_sim.received)
    with pytest.raises(BackMarketError):
        bm.list_listings()
    assert len(bm_sim.received) == sent  # no retry until someone enters a new token
    bm_sim.tokens.add("new-token")
    bm.transport.set_token("new-token")
    assert bm.list_listings().count == 0


def test_garbled_token_is_401_and_missing_user_agent_is_refused(bm_sim):
    garbled = bm_client(bm_sim, token="c2ltLXRva2VuOg==")  # what httpx.BasicAuth would have sent
    with pytest.raises(BackMarketError) as caught:
        garbled.list_listings()
    assert caught.value.failure is Failure.AUTH
    answer = httpx.get(bm_sim.url + "/ws/listings", headers={"Authorization": "Basic sim-token"})
    assert answer.status_code == 403  # python-httpx's own User-Agent is not accepted


@pytest.mark.parametrize("fault", ["bot_challenge", "waf_html"])
def test_a_403_bot_challenge_is_not_bad_credentials(bm, bm_sim, fault):
    bm_sim.inject(Fault(fault))
    with pytest.raises(BackMarketError) as caught:
        bm.list_listings()
    assert caught.value.failure is Failure.BOT_CHALLENGE and caught.value.retryable
    assert caught.value.cf_ray == "8f00000000000000-CDG" and "cf-ray" in caught.value.user_message
    assert bm.list_listings().count == 0  # the transport did not latch as it does for a 401


def test_429_pauses_then_retries_once(bm, bm_sim):
    bm_sim.inject(Fault("throttle"))
    started = time.monotonic()
    assert bm.list_listings().count == 0
    assert time.monotonic() - started >= 0.05  # the limiter's pause (10 s in production, a parameter)
    assert bm_sim.count("GET", "/ws/listings") == 2


def test_429_burst_past_the_retry_is_reported_as_throttled(bm, bm_sim):
    bm_sim.inject(Fault("throttle", times=2))
    with pytest.raises(BackMarketError) as caught:
        bm.list_listings()
    assert caught.value.failure is Failure.THROTTLED and caught.value.retryable


def test_the_simulator_blocks_past_its_limit(bm_sim):
    bm_sim.rate_limit = 5
    client = bm_client(bm_sim)
    client.transport.throttle_retries = 0
    with pytest.raises(BackMarketError) as caught:
        for _ in range(6):
            client.list_listings()
    assert caught.value.failure is Failure.THROTTLED


@pytest.mark.parametrize("fault, failure", [("server_error", Failure.SERVER), ("malformed_json", Failure.MALFORMED)])
def test_server_errors_and_malformed_json_are_retryable_failures(bm, bm_sim, fault, failure):
    bm_sim.inject(Fault(fault))
    with pytest.raises(BackMarketError) as caught:
        bm.list_listings()
    assert caught.value.failure is failure and caught.value.retryable


def test_unreachable_server():
    from grading_station.backmarket.client import BackMarketClient
    from grading_station.backmarket.limiter import RateLimiter
    from grading_station.backmarket.transport import Transport, make_http

    from tests.helpers.bm_sim import bm_settings

    settings = bm_settings("http://127.0.0.1:9")
    client = BackMarketClient(Transport(make_http(settings, timeout=0.5), "t", settings, RateLimiter()))
    with pytest.raises(BackMarketError) as caught:
        client.list_listings()
    assert caught.value.failure is Failure.UNREACHABLE and caught.value.retryable


def test_timeout_on_a_listing_write_reads_back_and_does_not_send_twice(bm_sim):
    client = bm_client(bm_sim, timeout=0.2)
    _create(client, ["T-1"])
    listing = client.find_listing(sku="T-1")
    bm_sim.inject(Fault("timeout_after_apply", method="POST", path="/ws/listings/"))
    updated = client.update_listing(listing.id, market="fr-fr", quantity=7)
    assert updated.quantity == 7
    assert bm_sim.count("POST", f"/ws/listings/{listing.id}") == 1  # read back, not resent


def test_timeout_before_a_write_landed_is_sent_again(bm_sim):
    client = bm_client(bm_sim, timeout=0.2)
    _create(client, ["T-2"])
    listing = client.find_listing(sku="T-2")
    bm_sim.inject(Fault("timeout", method="POST", path="/ws/listings/"))
    assert client.update_listing(listing.id, market="fr-fr", quantity=4).quantity == 4
    assert bm_sim.count("POST", f"/ws/listings/{listing.id}") == 2


def test_order_flow_accept_ship_and_identifiers(bm, bm_sim):
    _create(bm, ["ORD-1", "ORD-2"], quantity=3)
    single = bm_sim.orders.place([("ORD-1", 1)])
    double = bm_sim.orders.place([("ORD-1", 1), ("ORD-2", 1)])
    bm_sim.orders.place([("ORD-2", 1)], state=0)  # payment being verified: never listed
    new = bm.list_orders(state=1)
    assert {o.order_id for o in new.items} == {single, double}
    assert bm.find_listing(sku="ORD-1").quantity == 1  # Back Market decremented its stock itself
    order = bm.update_order(single, 2, sku="ORD-1")
    assert order.state == 3 and order.lines[0].state == 2
    shipped = bm.update_order(single, 3, tracking_number="1Z999", shipper="UPS", imei="356938035643809")
    assert shipped.state == 9 and shipped.lines[0].imei == "356938035643809"
    for sku in ("ORD-1", "ORD-2"):
        bm.update_order(double, 2, sku=sku)
    line = bm.get_order(double).lines[1]
    recorded = bm.set_orderline_identifiers(line.id, serial_number="SN-42", order_id=double)
    assert recorded == OrderlineIdentifiers(line.id, "", "SN-42")
    assert bm.get_order(double).lines[1].serial_number == "SN-42"
    assert bm.get_order(double).shipping_address.postal_code == "75003"


def test_timeout_on_accepting_a_line_reads_the_order_back(bm_sim):
    client = bm_client(bm_sim, timeout=0.2)
    _create(client, ["ORD-3"])
    order_id = bm_sim.orders.place([("ORD-3", 1)])
    bm_sim.inject(Fault("timeout_after_apply", method="POST", path="/ws/orders/"))
    assert client.update_order(order_id, 2, sku="ORD-3").lines[0].state == 2
    assert bm_sim.count("POST", "/ws/orders/") == 1


def test_invalid_transition_is_refused(bm, bm_sim):
    _create(bm, ["ORD-4"])
    order_id = bm_sim.orders.place([("ORD-4", 1)])
    with pytest.raises(BackMarketError) as caught:
        bm.update_order(order_id, 3, tracking_number="X")  # must accept before shipping
    assert caught.value.failure is Failure.INVALID


def test_a_request_that_breaks_the_spec_is_caught_by_the_simulator(bm_sim):
    bm_sim.allow_violations = True
    client = bm_client(bm_sim)
    with pytest.raises(BackMarketError):
        client.list_listings(page_size=80)  # page-size is at most 50
    assert bm_sim.violations and "50" in bm_sim.violations[0]


def _budgeted(bm_sim, timeout=2.0):
    from grading_station.backmarket.budget import ListingBudget

    return bm_client(bm_sim, timeout=timeout, budget=ListingBudget(None))


def test_refused_or_throttled_writes_give_their_lines_back(bm_sim):
    client = _budgeted(bm_sim)
    _create(client, ["R-1", "R-2"])
    assert client.budget.remaining() == 1998  # a batch counts its SKU lines
    listing = client.find_listing(sku="R-1")
    with pytest.raises(BackMarketError):
        client.update_listing(listing.id, market="en-gb", price=Decimal("400.00"))  # 400: wrong currency
    bm_sim.inject(Fault("throttle", method="POST", times=2))
    with pytest.raises(BackMarketError) as caught:
        client.update_listing(listing.id, market="fr-fr", quantity=3)
    assert caught.value.failure is Failure.THROTTLED
    bm_sim.inject(Fault("throttle", method="POST", path="/ws/listings", times=2))
    with pytest.raises(BackMarketError):
        client.submit_batch(build_catalog([ListingRow("R-3", 1, Decimal("1"), "EUR", "GOOD")]), lines=1, market="fr-fr")
    assert client.budget.remaining() == 1998  # Back Market took none of them
    client.update_listing(listing.id, market="fr-fr", quantity=3)
    assert client.budget.remaining() == 1997


def test_a_timed_out_write_stays_counted(bm_sim):
    client = _budgeted(bm_sim, timeout=0.2)
    _create(client, ["R-4"])
    listing = client.find_listing(sku="R-4")
    bm_sim.inject(Fault("timeout_after_apply", method="POST", path="/ws/listings"))
    with pytest.raises(BackMarketError) as caught:
        client.submit_batch(build_catalog([ListingRow("R-5", 1, Decimal("1"), "EUR", "GOOD")]), lines=1, market="fr-fr")
    assert caught.value.maybe_applied
    bm_sim.inject(Fault("timeout_after_apply", method="POST", path="/ws/listings/"))
    client.update_listing(listing.id, market="fr-fr", quantity=6)  # read back: it landed
    assert client.budget.remaining() == 2000 - 3


def test_the_simulator_counts_sku_lines_not_the_header(bm, bm_sim):
    bm_sim.sku_lines_per_hour = 2
    assert _create(bm, ["H-1", "H-2"]).status == 9  # two SKU lines: within the hour's limit
    listing = bm.find_listing(sku="H-1")
    with pytest.raises(BackMarketError) as caught:
        bm.transport.throttle_retries = 0
        bm.update_listing(listing.id, market="fr-fr", quantity=1)  # a third line this hour
    assert caught.value.failure is Failure.BUDGET and caught.value.status == 429


def test_batches_wait_for_the_catalog_limit_and_count_against_the_general_one(bm_sim):
    from grading_station.backmarket.limiter import RateLimiter

    class Clock:
        now = 0.0

        def __call__(self) -> float:
            return self.now

        def sleep(self, seconds: float) -> None:
            self.now += seconds

    clock = Clock()
    general = RateLimiter(limit=180, window=10.0, clock=clock, sleep=clock.sleep)
    client = bm_client(bm_sim, limiter=general)
    client.transport.catalog_limiter = RateLimiter(limit=18, window=10.0, clock=clock, sleep=clock.sleep)
    for n in range(19):
        client.submit_batch(
            build_catalog([ListingRow(f"CAT-{n}", 1, Decimal("1"), "EUR", "GOOD", ean=DEMO_EAN)]),
            lines=1,
            market="fr-fr",
        )
        if n == 17:
            assert len(general._sent) == 18 and clock.now == 0  # counted against the edge's overall limit too
    assert clock.now == 10.0  # the 19th batch waited for the catalog window (on the fake clock)


@pytest.mark.parametrize(
    "fields, words", [({"imei": "356938035643808"}, "not a valid IMEI"), ({"serial_number": "S" * 51}, "50")]
)
def test_write_once_identifiers_that_cannot_be_right_are_not_sent(bm, bm_sim, fields, words):
    from grading_station.errors import InputError

    with pytest.raises(InputError, match=words):
        bm.set_orderline_identifiers(1, **fields)
    with pytest.raises(InputError, match=words):
        bm.update_order(1, 3, tracking_number="1Z", **fields)
    assert bm_sim.received == []


def test_a_gateway_timeout_on_a_write_is_read_back_not_sent_twice(bm_sim):
    client = bm_client(bm_sim)
    _create(client, ["GW-1"])
    listing = client.find_listing(sku="GW-1")
    bm_sim.inject(Fault("gateway_timeout_after_apply", method="POST", path="/ws/listings/"))
    assert client.update_listing(listing.id, market="fr-fr", quantity=5).quantity == 5
    assert bm_sim.count("POST", f"/ws/listings/{listing.id}") == 1  # the edge's 504 came after the write
    bm_sim.inject(Fault("gateway_timeout_after_apply", method="GET"))
    with pytest.raises(BackMarketError) as caught:
        client.list_listings()
    assert caught.value.failure is Failure.SERVER and not caught.value.maybe_applied  # a read: just retried


def test_back_markets_sku_lines_refusal_does_not_stall_other_calls(bm_sim):
    """The hourly SKU-lines 429 is Back Market refusing a write, not the edge blocking the token: reads and
    other calls go on at once (no 10 s pause), and the write is not resent in a loop."""
    client = bm_client(bm_sim, limiter=RateLimiter(pause_after_429=2.0))
    _create(client, ["L-1"])
    bm_sim.sku_lines_per_hour = 1
    listing = client.find_listing(sku="L-1")
    posts = bm_sim.count("POST")
    started = time.monotonic()
    with pytest.raises(BackMarketError) as caught:
        client.update_listing(listing.id, market="fr-fr", quantity=5)
    assert caught.value.failure is Failure.BUDGET and caught.value.retryable
    assert "SKU lines" in caught.value.user_message
    assert bm_sim.count("POST") == posts + 1  # not retried
    assert client.get_listing(listing.id).quantity == 2  # an unrelated read goes through...
    assert client.list_orders().count == 0
    assert time.monotonic() - started < 1.0  # ...without waiting for the limiter's 429 pause
    assert client.transport.limiter.blocked_for == 0


def test_the_edges_429_still_pauses_everything(bm_sim):
    bm_sim.rate_limit = 2
    client = bm_client(bm_sim, limiter=RateLimiter(pause_after_429=0.3))
    client.transport.throttle_retries = 0
    with pytest.raises(BackMarketError) as caught:
        for _ in range(3):
            client.list_listings()
    assert caught.value.failure is Failure.THROTTLED
    assert client.transport.limiter.blocked_for > 0


def test_every_listings_call_counts_against_the_sensitive_limit(bm_sim):
    """Reads and single updates of /ws/listings* wait for the catalog limiter too (not only the batch);
    orders do not."""

    class Clock:
        now = 0.0

        def __call__(self) -> float:
            return self.now

        def sleep(self, seconds: float) -> None:
            self.now += seconds

    clock = Clock()
    catalog = RateLimiter(limit=3, window=10.0, clock=clock, sleep=clock.sleep, name="catalog")
    client = bm_client(bm_sim, catalog_limiter=catalog)
    listing = _create(client, ["SENS-1"]) and client.find_listing(sku="SENS-1")  # batch + find: 2 slots
    for _ in range(4):
        client.list_orders()
    assert clock.now == 0.0  # orders are not catalog-type
    client.get_listing(listing.id)  # the 3rd slot
    assert clock.now == 0.0
    client.update_listing(listing.id, market="fr-fr", quantity=1)  # the 4th waits for the window
    assert clock.now == 10.0


def test_yen_prices_are_sent_without_decimals(bm, bm_sim):
    _create(bm, ["JP-2"])
    listing = bm.find_listing(sku="JP-2", market="ja-jp")
    bm.update_listing(listing.id, market="ja-jp", price=Decimal("98765.00"), currency="JPY")
    bm.update_listing(listing.id, market="fr-fr", price=Decimal("499"))
    sent = [json.loads(r.body) for r in bm_sim.received if r.method == "POST" and r.path != "/ws/listings"]
    assert [body["price"] for body in sent] == ["98765", "499.00"]
    assert bm.get_listing(listing.id, market="ja-jp").price == Decimal("98765")
