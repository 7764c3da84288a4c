"""What every Back Market call group shares: the injected Transport, the SKU-lines budget, writes that read
back after a timeout, and mapping answers to typed results."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from grading_station.backmarket.budget import ListingBudget
from grading_station.backmarket.errors import BackMarketError, Failure
from grading_station.backmarket.models import Page
from grading_station.backmarket.transport import Transport


class Calls:
    """Base of the call groups: `transport` sends, `budget` counts listing lines.

    Writes have no idempotency keys: when one times out, the method reads the state back and resends only
    if it did not land (GOTCHAS 1).
    """

    def __init__(self, transport: Transport, budget: ListingBudget | None = None) -> None:
        self.transport = transport
        self.budget = budget or ListingBudget(None)

    @property
    def requests_sent(self) -> int:
        return self.transport.requests_sent

    @contextlib.contextmanager
    def _spending(self, lines: int) -> Iterator[None]:
        """Spend `lines` of the hourly budget for a listing write; refund them when the write certainly did
        not land (refused, throttled, never sent). A timed-out write (`maybe_applied`) stays counted: Back
        Market may have taken it, and counting it twice only makes us wait, while not counting it could get
        a task refused."""
        self.budget.spend(lines)
        try:
            yield
        except BackMarketError as exc:
            if not exc.maybe_applied:
                self.budget.refund(lines)
            raise

    def _write(self, operation: str, method: str, url: str, body: dict, market: str | None, landed) -> Any:
        """Send a write; after a timeout read the state back and resend once only if it did not land."""
        try:
            return self.transport.call(operation, method, url, market=market, body=body)
        except BackMarketError as exc:
            if not exc.maybe_applied:
                raise
            try:
                current = landed()
            except BackMarketError as unknown:
                unknown.maybe_applied = True  # the read-back failed: the write may still have landed
                raise
            if current is not None:
                return current
            return self.transport.call(operation, method, url, market=market, body=body)


def mapped(mapper, data: Any, operation: str):
    """Apply a mapper; an answer without the fields it needs is MALFORMED, not a crash."""
    try:
        return mapper(data)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise BackMarketError(
            Failure.MALFORMED, message=str(exc)[:120] or type(exc).__name__, operation=operation
        ) from exc


def to_page(data: Any, mapper, operation: str) -> Page:
    def build(d: dict) -> Page:
        return Page(int(d.get("count") or 0), tuple(mapper(x) for x in d["results"]), d.get("next"))

    return mapped(build, data, operation)
