"""Pure mappers and the batch CSV."""

from __future__ import annotations

from decimal import Decimal

import pytest

from grading_station.backmarket.catalog_csv import COLUMNS, MAX_ROWS, ListingRow, build_catalog, parse_catalog
from grading_station.backmarket.models import address_from_json, listing_from_json, task_from_json


def test_catalog_is_semicolon_separated_quoted_with_line_feeds():
    text = build_catalog([ListingRow("A;1", 2, Decimal("10"), "EUR", "GOOD", ean="123")])
    assert text.splitlines()[0] == '"sku";"ean";"quantity";"price";"currency";"grade";"warranty_delay"'
    assert "\r" not in text and text.endswith("\n")
    assert parse_catalog(text)[0]["sku"] == "A;1" and parse_catalog(text)[0]["price"] == "10.00"


def test_catalog_leaves_out_columns_no_row_fills():
    rows = [
        ListingRow("A", 1, Decimal("10"), "EUR", "GOOD", ean="123"),
        ListingRow("B", 0, Decimal("12"), "EUR", "FAIR", product_id="p-uuid", min_price=Decimal("9")),
    ]
    parsed = parse_catalog(build_catalog(rows))
    assert list(parsed[0]) == list(COLUMNS)  # the spec's sku, product_id, ean first, then the listing fields
    assert (parsed[0]["product_id"], parsed[0]["min_price"], parsed[1]["ean"]) == ("", "", "")
    only_sku = build_catalog([ListingRow("C", 2, Decimal("5"), "", "")])
    assert only_sku.splitlines()[0] == '"sku";"quantity";"price";"warranty_delay"'


def test_catalog_holds_at_most_15000_lines():
    rows = [ListingRow(f"S{n}", 1, Decimal("1"), "EUR", "GOOD", ean="1") for n in range(MAX_ROWS + 1)]
    assert len(build_catalog(rows[:-1]).splitlines()) == 15_000
    with pytest.raises(ValueError, match="at most"):
        build_catalog(rows)


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
