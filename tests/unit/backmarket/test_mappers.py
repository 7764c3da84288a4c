"""Pure mappers and the batch CSV."""

from __future__ import annotations

from decimal import Decimal

import pytest

from grading_station.backmarket.catalog_csv import ListingRow, build_catalog, parse_catalog
from grading_station.backmarket.models import address_from_json, listing_from_json, task_from_json


def test_catalog_is_semicolon_separated_quoted_with_line_feeds():
    text = build_catalog([ListingRow("A;1", 2, Decimal("10"), "EUR", "GOOD", ean="123")])
    assert text.splitlines()[0].startswith('"sku";"product_id";"ean"')
    assert "\r" not in text and text.endswith("\n")
    assert parse_catalog(text)[0]["sku"] == "A;1" and parse_catalog(text)[0]["price"] == "10.00"


@pytest.mark.parametrize("skus", [["abc", "ABC"], ["X", "X"]])
def test_catalog_refuses_skus_differing_only_in_case(skus):
    with pytest.raises(ValueError, match="ignore case"):
        build_catalog([ListingRow(s, 1, Decimal("1"), "EUR", "GOOD") for s in skus])


@pytest.mark.parametrize(
    "result, errors",
    [
        ({"A": {"status": "ok"}, "B": {"status": "error", "errors": ["bad ean"]}}, {"B": ("bad ean",)}),
        ({"A": "ok", "B": "No product found"}, {"B": ("No product found",)}),
        ({"A": {"error": "x"}}, {"A": ("x",)}),
        ({}, {}),
        (None, {}),
        ([], {}),
    ],
)
def test_task_result_shapes(result, errors):
    task = task_from_json({"task_id": 1, "action_status": 9, "last_action_error": None, "result": result})
    assert task.errors_by_sku == errors and task.finished and not task.failed


def test_listing_prices_are_decimals():
    listing = listing_from_json(
        {
            "id": "u",
            "listing_id": 3,
            "sku": "S",
            "quantity": 2,
            "price": "160.99",
            "currency": "EUR",
            "min_price": None,
            "grade": "GOOD",
        }
    )
    assert listing.price == Decimal("160.99") and listing.min_price is None


def test_address_reads_camel_and_snake_case():
    assert address_from_json({"firstName": "A", "postalCode": "1"}).postal_code == "1"
    assert address_from_json({"first_name": "A", "postal_code": "2"}).first_name == "A"
