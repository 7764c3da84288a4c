"""Prices are written with their currency's minor units: no decimals for JPY, two for EUR and the others."""

from __future__ import annotations

from decimal import Decimal

import pytest

from grading_station.backmarket.catalog_csv import ListingRow, build_catalog, parse_catalog
from grading_station.backmarket.money import price_text


@pytest.mark.parametrize(
    "amount, currency, text",
    [
        (Decimal("98765"), "JPY", "98765"),
        (Decimal("98765.00"), "JPY", "98765"),
        (Decimal("98765.5"), "JPY", "98766"),
        (Decimal("499"), "EUR", "499.00"),
        (Decimal("12.345"), "GBP", "12.35"),
        (Decimal("1"), "jpy", "1"),
    ],
)
def test_price_text_uses_the_currencys_minor_units(amount, currency, text):
    assert price_text(amount, currency) == text


def test_a_yen_catalog_row_has_no_decimals():
    row = ListingRow("JP-1", 1, Decimal("98765.00"), "JPY", "GOOD", ean="1", min_price=Decimal("80000"))
    (parsed,) = parse_catalog(build_catalog([row]))
    assert (parsed["price"], parsed["min_price"]) == ("98765", "80000")
