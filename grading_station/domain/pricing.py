"""Listing prices and quantities from resources/pricing.toml: share of the new price per category and grade,
market multipliers and currencies, a floor, min_price for Back Market's repricer, a stock buffer per grade."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from grading_station.domain.resource_fields import Fields, is_number, key_text, shown

from grading_station.errors import InputError, KnownError

_ZERO_DECIMAL_CURRENCIES = {"JPY"}
_CURRENCY = re.compile(r"^[A-Za-z]{3}$")


@dataclass(frozen=True)
class Quote:
    """The price of one listing in one market; `min_price` is the lowest the BackPricer may go."""

    market: str
    currency: str
    price: Decimal
    min_price: Decimal


@dataclass(frozen=True)
class Market:
    currency: str
    multiplier: Decimal


@dataclass(frozen=True)
class PricingTable:
    """Parsed pricing rules. Shares are (low, high) fractions of the new price: the listing is priced at the
    high end and the repricer may go down to the low end, never below the floor."""

    reference_currency: str
    shares: Mapping[str, Mapping[str, tuple[Decimal, Decimal]]]  # category -> grade key -> (low, high)
    floors: Mapping[str, Decimal]  # category (or "default") -> lowest price, in the reference currency
    markets: Mapping[str, Market]
    buffers: Mapping[str, int]  # grade key -> units kept back from Back Market
    new_prices: Mapping[str, Decimal]  # model code -> new-device price, in the reference currency

    @classmethod
    def parse(cls, text: str, source: str = "pricing.toml") -> PricingTable:
        """Rules from TOML text (tests, tools); the app reads the file with grading_station.resources.load_pricing,
        which also names the line of a faulty key."""
        try:
            data = tomllib.loads(text)
        except (tomllib.TOMLDecodeError, RecursionError) as exc:
            raise KnownError(
                f"The pricing rules ({source}) are not valid TOML: {str(exc)[:200]}", detail=str(exc)
            ) from exc
        return cls.from_dict(data, source)

    @classmethod
    def from_dict(cls, data: Mapping, source: str = "pricing.toml") -> PricingTable:
        """Build and validate the rules from parsed TOML; ResourceError names the file and the key."""
        top = Fields(data, source)
        top.only(frozenset({"version", "reference_currency", "grade_share", "floor", "markets", "buffer",
                            "new_price"}))
        top.whole("version", 1, minimum=1)
        shares = {category: {grade: _share(grades, grade) for grade in grades.keys()}
                  for category, grades in top.table("grade_share").subtables()}
        markets = {name: _market(raw) for name, raw in top.table("markets").subtables()}
        floors, buffers, new_prices = top.table("floor", {}), top.table("buffer", {}), top.table("new_price", {})
        for table in (floors, new_prices, buffers):
            for key in table.keys():
                if (table.whole(key) if table is buffers else table.number(key)) < 0:
                    raise table.fail(f"{key_text(table.where + (key,))} cannot be negative", key)
        return cls(
            _currency(top, "reference_currency", "EUR"),
            shares,
            {key: floors.number(key) for key in floors.keys()},
            markets,
            {key: buffers.whole(key) for key in buffers.keys()},
            {key: new_prices.number(key) for key in new_prices.keys()},
        )

    def floor(self, category: str) -> Decimal:
        return self.floors.get(category, self.floors.get("default", Decimal(0)))

    def quote(self, category: str, grade: str, new_price: Decimal, market: str) -> Quote:
        """Price and min_price of a (category, grade) in `market`; InputError when no rule applies or the
        price would fall below the floor (nothing is listed rather than sold at a loss)."""
        if category not in self.shares or grade not in self.shares[category]:
            raise InputError(f"No price rule for {grade} {category}s in the pricing rules.")
        if market not in self.markets:
            raise InputError(f"The market {market} has no currency and multiplier in the pricing rules.")
        if new_price <= 0:
            raise InputError(f"The new price must be positive, not {new_price}.")
        low, high = self.shares[category][grade]
        m = self.markets[market]
        floor = _round(self.floor(category) * m.multiplier, m.currency)
        price = _round(new_price * high * m.multiplier, m.currency)
        if price < floor:
            raise InputError(
                f"The {grade} price {price} {m.currency} is below the floor of {floor} "
                f"{m.currency} for {category}s: not listed."
            )
        min_price = max(_round(new_price * low * m.multiplier, m.currency), floor)
        return Quote(market, m.currency, price, min_price)

    def buffer(self, grade: str) -> int:
        return self.buffers.get(grade, 0)

    def quantity_to_push(self, sellable: object, grade: str) -> int:
        """Units in stock minus the grade's buffer, never below 0; InputError for a count that is not one."""
        if isinstance(sellable, bool) or not isinstance(sellable, int):
            raise InputError(f"The stock count {sellable!r} is not a whole number.")
        if sellable < 0:
            raise InputError(f"The stock count cannot be negative ({sellable}).")
        return max(sellable - self.buffer(grade), 0)


def _currency(raw: Fields, key: str, default: str | None = None) -> str:
    code = raw.text(key, default) if default is not None else raw.text(key)
    if not _CURRENCY.match(code):
        raise raw.fail(f"{key_text(raw.where + (key,))} must be a 3-letter currency code (EUR), not {code!r}", key)
    return code.upper()


def _market(raw: Fields) -> Market:
    raw.only(frozenset({"currency", "multiplier"}))
    multiplier = raw.number("multiplier")
    if multiplier <= 0:
        raise raw.fail(f"{key_text(raw.where + ('multiplier',))} must be positive", "multiplier")
    return Market(_currency(raw, "currency"), multiplier)


def _share(grades: Fields, grade: str) -> tuple[Decimal, Decimal]:
    """[low, high] fractions of the new price with 0 < low <= high <= 1."""
    pair = grades.data[grade]
    where = key_text(grades.where + (grade,))
    if not isinstance(pair, list) or len(pair) != 2 or not all(is_number(v) for v in pair):
        raise grades.fail(f"{where} must be a pair of numbers [low, high], not {shown(pair)}", grade)
    low, high = (Decimal(str(v)) for v in pair)
    if not Decimal(0) < low <= high <= Decimal(1):
        raise grades.fail(f"{where} must be 0 < low <= high <= 1", grade)
    return low, high


def _round(amount: Decimal, currency: str) -> Decimal:
    unit = Decimal(1) if currency in _ZERO_DECIMAL_CURRENCIES else Decimal("0.01")
    return amount.quantize(unit, rounding=ROUND_HALF_UP)
