"""The Listing workspace's table: every graded unit in stock (Odoo) with its SKU's Back Market state and prices."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Protocol

from babel.numbers import format_currency

from grading_station.domain.pricing import PricingTable

from grading_station.backmarket.regions import HOSTS
from grading_station.backmarket.registry import ListingRecord, ListingRegistry
from grading_station.odoo.stock_overview import StockUnit

from grading_station import log
from grading_station.config import Config
from grading_station.errors import KnownError
from grading_station.i18n import _, current_language
from grading_station.paths import RESOURCES

NO_VALUE = "—"


class UnitsInStock(Protocol):
    def graded_units_in_stock(self, limit: int = 500) -> list[StockUnit]: ...


@dataclass(frozen=True)
class BackMarketTarget:
    """Which Back Market the station talks to, as the settings say now."""

    region: str
    environment: str
    base_url: str


@dataclass(frozen=True)
class OverviewRow:
    """One unit as the table shows it: `grade` is the grade's title, `prices` are formatted per market."""

    serial: str
    model_name: str
    grade: str
    location: str  # "" when Odoo could not say (the local fallback)
    sku: str
    listing: ListingRecord | None
    prices: dict[str, str]
    variant_id: int = 0  # the Odoo variant it is sold under (what "List on Back Market" syncs)

    @property
    def state(self) -> str:
        return self.listing.state if self.listing else "pending"

    @property
    def quantity(self) -> int | None:
        return self.listing.quantity if self.listing else None


@dataclass(frozen=True)
class Overview:
    """A snapshot of the table; `note` says why it is not Odoo's full picture ("" when it is)."""

    rows: list[OverviewRow]
    markets: tuple[str, ...]
    backmarket: BackMarketTarget
    from_odoo: bool
    note: str = ""
    detail: str = ""  # the error behind `note`


def price_text(record: ListingRecord | None, market: str, currency: str, language: str) -> str:
    """The price last pushed for `market`, in `currency`, written the way `language` writes money."""
    pushed = record.prices.get(market) if record else None
    if not pushed:
        return NO_VALUE
    try:
        amount = Decimal(pushed[0])
    except (InvalidOperation, IndexError, TypeError):
        return NO_VALUE
    return format_currency(amount, currency, locale=language)


class ListingOverview:
    """Combines the units in stock (one Odoo read), the grade titles and the local listing registry.

    When Odoo cannot answer, falls back to the units graded at this station (the registry), and says so.
    `markets` and `target` are read at every `read()`, so a settings change shows at the next refresh.
    """

    def __init__(
        self,
        source: UnitsInStock,
        registry: ListingRegistry,
        grade_titles: Mapping[str, str],
        markets: Callable[[], Sequence[str]],
        currencies: Mapping[str, str],
        target: Callable[[], BackMarketTarget],
        limit: int = 500,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.source, self.registry = source, registry
        self.grade_titles = dict(grade_titles)
        self.markets, self.currencies, self.target = markets, dict(currencies), target
        self.limit, self.clock = limit, clock

    def read(self) -> Overview:
        markets = tuple(self.markets())
        try:
            units = self.source.graded_units_in_stock(self.limit)
        except KnownError as exc:
            log.odoo.info("listing overview from the local registry: %s", exc.user_message)
            return self._local(markets, exc)
        rows = [self._row(u.serial, u.model_name, u.grade, u.location, u.sku, markets, u.variant_id) for u in units]
        return Overview(rows, markets, self.target(), from_odoo=True)

    def _local(self, markets: tuple[str, ...], exc: KnownError) -> Overview:
        rows = [
            self._row(u.serial, u.model_name, u.grade, "", u.sku, markets, u.variant_id)
            for u in self.registry.units(self.limit)
        ]
        at = time.strftime("%H:%M", time.localtime(self.clock()))
        note = _("Odoo cannot be reached: showing the units graded at this station, as of {time}").format(time=at)
        return Overview(rows, markets, self.target(), from_odoo=False, note=note, detail=exc.user_message)

    def _row(
        self, serial: str, model: str, grade: str, location: str, sku: str, markets: tuple[str, ...],
        variant_id: int,
    ) -> OverviewRow:
        record = self.registry.listing(sku) if sku else None
        language = current_language()
        prices = {m: price_text(record, m, self.currencies.get(m, "EUR"), language) for m in markets}
        title = self.grade_titles.get(grade)
        return OverviewRow(serial, model, _(title) if title else grade, location, sku, record, prices, variant_id)


def target_from(config: Config) -> BackMarketTarget:
    region, environment = config.get("backmarket.region"), config.get("backmarket.environment")
    base_url = config.get("backmarket.base_url") or HOSTS.get((region, environment), "")
    return BackMarketTarget(region, environment, base_url.rstrip("/"))


def overview_from(
    config: Config,
    source: UnitsInStock,
    registry: ListingRegistry,
    grade_titles: Mapping[str, str],
    pricing: PricingTable | None = None,
) -> ListingOverview:
    """The overview as the composition root builds it: markets and target follow the settings, currencies
    come from the pricing rules (resources/pricing.toml unless given)."""
    pricing = pricing or PricingTable.parse((RESOURCES / "pricing.toml").read_text(encoding="utf-8"))
    return ListingOverview(
        source,
        registry,
        grade_titles,
        markets=lambda: config.get("backmarket.markets"),
        currencies={market: m.currency for market, m in pricing.markets.items()},
        target=lambda: target_from(config),
    )
