"""The simulator's `GET /ws/orders` filters (state, country_code, date_modification) as the spec lists them,
kept in the `next` links."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from grading_station.backmarket import models
from grading_station.backmarket.calls import to_page


def _all(bm, **filters) -> list:
    """Every order matching `filters`, one per page, following the absolute `next` URLs."""
    page = bm.list_orders(1, 1, **filters)
    found = list(page.items)
    while page.next_url:
        query = parse_qs(urlsplit(page.next_url).query)
        for name, value in filters.items():
            if value is not None:
                assert query[name] == [str(value)], f"{name} lost from {page.next_url}"
        data = bm.transport.call("list orders", "GET", page.next_url)
        page = to_page(data, models.order_from_json, "list orders")
        found.extend(page.items)
    return found


def test_orders_are_filtered_by_country_state_and_modification_date(bm, bm_sim):
    book = bm_sim.orders
    ids = {
        "fr-old": book.place([("A", 1)], country_code="fr-fr"),
        "fr-new": book.place([("B", 1)], country_code="fr-fr"),
        "fr-new2": book.place([("C", 1)], country_code="fr-fr"),
        "de-new": book.place([("D", 1)], country_code="de-de"),
        "fr-shipped": book.place([("E", 1)], country_code="fr-fr"),
    }
    book.orders[ids["fr-shipped"]].lines[0].state = 3  # its line shipped: the order is in state 9
    book.orders[ids["fr-old"]].modified = "2026-01-01T08:00:00Z"
    for key in ("fr-new", "fr-new2", "de-new", "fr-shipped"):
        book.orders[ids[key]].modified = "2026-03-01T08:00:00Z"

    def found(**filters) -> set[int]:
        return {o.order_id for o in _all(bm, **filters)}

    assert found(country_code="fr-fr") == {ids[k] for k in ("fr-old", "fr-new", "fr-new2", "fr-shipped")}
    assert found(state=1, country_code="fr-fr") == {ids[k] for k in ("fr-old", "fr-new", "fr-new2")}
    assert found(state=1, country_code="fr-fr", date_modification="2026-02-01T00:00:00Z") == {
        ids["fr-new"],
        ids["fr-new2"],
    }
    assert found(date_modification="2026-04-01T00:00:00Z") == set()
