"""Outcomes and plans of a listing sync (shared by the real-time and the batch halves)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from grading_station.domain.pricing import Quote

from grading_station.services.listing_facts import VariantFacts

Progress = Callable[[int, int, str], None]  # (done, total, what just happened)


@dataclass(frozen=True)
class SkuOutcome:
    """What became of one variant's listing: live, offline (nothing to sell), pending (batch still running),
    or failed with the reason in the user's words."""

    variant_id: int
    sku: str
    state: str
    quantity: int | None = None
    reason: str = ""


@dataclass(frozen=True)
class SyncReport:
    outcomes: tuple[SkuOutcome, ...]
    requests: int  # Back Market requests this sync sent

    def by_state(self, state: str) -> list[SkuOutcome]:
        return [o for o in self.outcomes if o.state == state]


@dataclass(frozen=True)
class Plan:
    facts: VariantFacts
    quantity: int
    quotes: tuple[Quote, ...]  # main market first


class Steps:
    """Progress over the variants of one sync."""

    def __init__(self, total: int, progress: Progress | None) -> None:
        self.total, self.count, self.progress = total, 0, progress

    def done(self, what: str) -> None:
        self.count += 1
        if self.progress:
            self.progress(min(self.count, self.total), self.total, what)
