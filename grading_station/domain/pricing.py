"""Listing prices and quantities from resources/pricing.toml: share of the new price per category and grade,
market multipliers and currencies, a floor, min_price for Back Market's repricer, a stock buffer per grade."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from grading_station.errors import InputError, KnownError

_ZERO_DECIMAL_CURRENCIES = {"JPY"}


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
        try:
            return cls.from_dict(tomllib.loads(text), source)
        except tomllib.TOMLDecodeError as exc:
            raise KnownError(
                f"The pricing rules ({source}) are not valid TOML: {exc}", detail=str(exc)
            ) from exc

    @classmethod
    def from_dict(cls, data: Mapping, source: str = "pricing.toml") -> PricingTable:
        def bad(what: str) -> KnownError:
            return KnownError(f"The pricing rules ({source}) are wrong: {what}.")

        try:
            shares = {
                cat: {grade: (_dec(pair[0]), _dec(pair[1])) for grade, pair in grades.items()}
                for cat, grades in data["grade_share"].items()
            }
            markets = {
                m: Market(str(v["currency"]).upper(), _dec(v["multiplier"]))
                for m, v in data["markets"].items()
            }
            table = cls(
                str(data.get("reference_currency", "EUR")).upper(),
                shares,
                {k: _dec(v) for k, v in data.get("floor", {}).items()},
                markets,
                {k: int(v) for k, v in data.get("buffer", {}).items()},
                {k: _dec(v) for k, v in data.get("new_price", {}).items()},
            )
        except (KeyError, TypeError, ValueError, IndexError, ArithmeticError) as exc:
            raise bad(f"missing or malformed entry {exc}") from exc
        for cat, grades in table.shares.items():
            for grade, (low, high) in grades.items():
                if not Decimal(0) < low <= high <= Decimal(1):
                    raise bad(f"share of {cat}/{grade} must be 0 < low <= high <= 1")
        for name, market in table.markets.items():
            if market.multiplier <= 0 or len(market.currency) != 3:
                raise bad(f"market {name} needs a positive multiplier and a 3-letter currency")
        if any(v < 0 for v in table.floors.values()) or any(v < 0 for v in table.buffers.values()):
            raise bad("floors and buffers cannot be negative")
        return table

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


def _dec(value: object) -> Decimal:
    if isinstance(value, bool):
        raise ValueError(value)
    return Decimal(str(value))


def _round(amount: Decimal, currency: str) -> Decimal:
    unit = Decimal(1) if currency in _ZERO_DECIMAL_CURRENCIES else Decimal("0.01")
    return amount.quantize(unit, rounding=ROUND_HALF_UP)
