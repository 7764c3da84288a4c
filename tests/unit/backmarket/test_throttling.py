"""The limiter keeps bursts under Back Market's edge limit; the hourly SKU-lines budget survives restarts."""

from __future__ import annotations

import threading

import pytest

from grading_station.backmarket.budget import ListingBudget
from grading_station.backmarket.errors import BackMarketError, Failure
from grading_station.backmarket.limiter import RateLimiter


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_a_1000_request_burst_never_exceeds_the_window_limit():
    clock = FakeClock()
    limiter = RateLimiter(clock=clock, sleep=clock.sleep)  # defaults: 180 per 10 s, under the 200 edge limit
    sent = []
    for _ in range(1000):
        limiter.acquire()
        sent.append(clock.now)
    worst = max(sum(1 for t in sent if start <= t < start + 10.0) for start in sent)
    assert worst <= 180 < 200
    assert sent[-1] - sent[0] < 60  # and it does not dawdle: 1000 requests in ~6 windows


def test_catalog_limit_is_20_per_10_s():
    clock = FakeClock()
    limiter = RateLimiter(limit=18, clock=clock, sleep=clock.sleep)
    sent = [limiter.acquire() or clock.now for _ in range(100)]
    assert max(sum(1 for t in sent if s <= t < s + 10.0) for s in sent) <= 18


def test_after_a_429_nothing_is_sent_for_the_pause():
    clock = FakeClock()
    limiter = RateLimiter(pause_after_429=10.0, clock=clock, sleep=clock.sleep)
    limiter.acquire()
    limiter.throttled()
    start = clock.now
    waited = limiter.acquire()
    assert waited == pytest.approx(10.0) and clock.now - start >= 10.0


def test_limiter_is_thread_safe():
    limiter = RateLimiter(limit=1000, window=10.0)
    threads = [threading.Thread(target=lambda: [limiter.acquire() for _ in range(100)]) for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(limiter._sent) == 500


def test_budget_refuses_past_2000_lines_per_hour_and_survives_a_restart(tmp_path):
    clock = FakeClock()
    path = tmp_path / "bm-budget.json"
    budget = ListingBudget(path, clock=clock)
    budget.spend(1500)
    restarted = ListingBudget(path, clock=clock)
    assert restarted.remaining() == 500
    with pytest.raises(BackMarketError) as caught:
        restarted.spend(501)
    assert caught.value.failure is Failure.BUDGET and caught.value.retryable
    clock.now += 3601
    restarted.spend(2000)
    assert restarted.remaining() == 0


def test_a_damaged_budget_file_counts_as_spent(tmp_path, expected_logs):
    expected_logs.expect("grading_station.backmarket", "unreadable")
    path = tmp_path / "bm-budget.json"
    path.write_text("{not json")
    assert ListingBudget(path).remaining() == 0


def test_a_refund_gives_back_the_newest_lines_and_is_persisted(tmp_path):
    clock = FakeClock()
    path = tmp_path / "bm-budget.json"
    budget = ListingBudget(path, clock=clock)
    budget.spend(1200)
    clock.now += 1800
    budget.spend(300)
    budget.refund(500)  # more than the newest entry: the rest comes off the older one
    assert ListingBudget(path, clock=clock).remaining() == 1000
    clock.now += 1801  # the first spending leaves the window: nothing refunded lingers as a credit
    assert budget.remaining() == 2000
