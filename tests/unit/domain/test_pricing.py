"""Pricing rules: price per grade and market, floor, min_price, buffer; checked with tables of cases."""

from __future__ import annotations

from decimal import Decimal

import pytest

from grading_station.domain.pricing import PricingTable, Quote

from grading_station.errors import InputError, KnownError
from grading_station.paths import RESOURCES

TABLE = PricingTable.parse((RESOURCES / "pricing.toml").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "category, grade, new, market, expected",
    [
        ("phone", "premium", "1000", "fr-fr", Quote("fr-fr", "EUR", Decimal("900.00"), Decimal("850.00"))),
        ("phone", "fair", "1000", "fr-fr", Quote("fr-fr", "EUR", Decimal("650.00"), Decimal("550.00"))),
        ("phone", "good", "729", "de-de", Quote("de-de", "EUR", Decimal("535.38"), Decimal("483.33"))),
        ("phone", "premium", "1000", "en-gb", Quote("en-gb", "GBP", Decimal("774.00"), Decimal("731.00"))),
        ("phone", "premium", "1000", "ja-jp", Quote("ja-jp", "JPY", Decimal("145800"), Decimal("137700"))),
        (
            "laptop",
            "excellent",
            "999",
            "sv-se",
            Quote("sv-se", "SEK", Decimal("8961.03"), Decimal("8041.95")),
        ),
        # the low end falls below the floor: min_price is lifted to the floor, the price stays
        ("phone", "fair", "100", "fr-fr", Quote("fr-fr", "EUR", Decimal("65.00"), Decimal("60.00"))),
    ],
)
def test_quotes(category, grade, new, market, expected):
    assert TABLE.quote(category, grade, Decimal(new), market) == expected


@pytest.mark.parametrize(
    "category, grade, new, market, message",
    [
        ("phone", "fair", "90", "fr-fr", "below the floor"),
        ("phone", "premium", "0", "fr-fr", "must be positive"),
        ("phone", "repair", "500", "fr-fr", "No price rule"),
        ("watch", "good", "500", "fr-fr", "No price rule"),
        ("phone", "good", "500", "xx-yy", "no currency"),
    ],
)
def test_refusals(category, grade, new, market, message):
    with pytest.raises(InputError, match=message):
        TABLE.quote(category, grade, Decimal(new), market)


@pytest.mark.parametrize(
    "sellable, grade, pushed",
    [
        (5, "premium", 5),
        (5, "good", 4),
        (1, "fair", 0),
        (0, "good", 0),
        (0, "premium", 0),
        (3, "unknown", 3),
    ],
)
def test_quantity_is_stock_minus_buffer(sellable, grade, pushed):
    assert TABLE.quantity_to_push(sellable, grade) == pushed


@pytest.mark.parametrize("bad", [-1, "3", 2.5, None, True])
def test_negative_or_non_numeric_quantities_are_refused(bad):
    with pytest.raises(InputError):
        TABLE.quantity_to_push(bad, "good")


@pytest.mark.parametrize(
    "text, message",
    [
        ("[markets.fr-fr]\ncurrency='EUR'\nmultiplier=1\n", "missing"),
        (
            "[grade_share.phone]\ngood=[0.9, 0.5]\n[markets.fr-fr]\ncurrency='EUR'\nmultiplier=1\n",
            "low <= high",
        ),
        (
            "[grade_share.phone]\ngood=[0.5, 0.6]\n[markets.fr-fr]\ncurrency='EURO'\nmultiplier=1\n",
            "3-letter",
        ),
        (
            "[grade_share.phone]\ngood=[0.5, 0.6]\n[markets.fr-fr]\ncurrency='EUR'\nmultiplier=1\n"
            "[buffer]\ngood=-1\n",
            "negative",
        ),
        ("not toml =", "not valid TOML"),
    ],
)
def test_bad_rules_are_reported_in_words(text, message):
    with pytest.raises(KnownError, match=message):
        PricingTable.parse(text)


def test_every_demo_model_has_a_new_price():
    assert TABLE.new_prices["IP14P-256-PUR"] == Decimal("1099.0")
