"""Outcomes and plans of a listing sync (shared by the real-time and the batch halves)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from grading_station.domain.pricing import Quote

from grading_station.backmarket.registry import ListingRegistry

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


def record_pushed(
    registry: ListingRegistry, facts: VariantFacts, listing_uuid: str, legacy_id: int | None, quantity: int,
    prices: dict[str, list[str]],
) -> SkuOutcome:
    """Record a listing Back Market now has at `quantity` (live, or offline at 0) and say so."""
    state = "live" if quantity > 0 else "offline"
    registry.set_listing(
        facts.sku,
        state,
        listing_uuid=listing_uuid,
        legacy_id=legacy_id,
        quantity=quantity,
        prices=prices,
        reason="" if quantity else "quantity 0 (sold out or kept as buffer)",
    )
    return SkuOutcome(facts.variant_id, facts.sku, state, quantity)


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


def sent_min_price(quote: Quote, backpricer: bool) -> Decimal | None:
    """The min_price to send: only sellers with the BackPricer enabled may set one (API-NOTES §4)."""
    return quote.min_price if backpricer else None


def pushed_prices(quote: Quote, backpricer: bool) -> list[str]:
    """What the registry keeps of a market's pushed prices ([price, min_price sent or "None"])."""
    return [str(quote.price), str(sent_min_price(quote, backpricer))]
