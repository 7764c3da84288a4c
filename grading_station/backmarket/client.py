"""The Back Market seller API, one named method per operation the product uses, with typed results."""

from __future__ import annotations

from decimal import Decimal

from grading_station.backmarket import models
from grading_station.backmarket.calls import mapped, to_page
from grading_station.backmarket.care import CareCalls
from grading_station.backmarket.catalog_csv import DELIMITER, ENCODING, QUOTECHAR
from grading_station.backmarket.errors import BackMarketError, Failure
from grading_station.backmarket.models import BatchTask, Listing, Page
from grading_station.backmarket.money import MARKET_CURRENCY, price_text
from grading_station.backmarket.orders import OrderCalls
from grading_station.backmarket.sales import SalesCalls


def _price(value: Decimal | None, currency: str) -> str | None:
    return None if value is None else price_text(value, currency)  # strings avoid float errors (API-NOTES §4)


class BackMarketClient(OrderCalls, CareCalls, SalesCalls):
    """Listings and batch tasks here; orders and orderlines from OrderCalls, care folders from CareCalls; over an
    injected Transport
    (`BackMarketClient(transport, budget)`).

    Writes have no idempotency keys: when one times out, the method reads the state back and resends only
    if it did not land (GOTCHAS 1). Listing writes spend the local SKU-lines budget first.
    """

    # --- listings ---------------------------------------------------------------------------------------
    def list_listings(
        self,
        page: int = 1,
        page_size: int = 50,
        *,
        market: str | None = None,
        publication_state: int | None = None,
        min_quantity: int | None = None,
        max_quantity: int | None = None,
    ) -> Page[Listing]:
        data = self.transport.call(
            "list listings",
            "GET",
            "/ws/listings",
            market=market,
            params={
                "page": page,
                "page-size": page_size,
                "publication_state": publication_state,
                "min_quantity": min_quantity,
                "max_quantity": max_quantity,
            },
        )
        return to_page(data, models.listing_from_json, "list listings")

    def all_listings(self, *, market: str | None = None) -> list[Listing]:
        """Every listing, following the absolute `next` URL until it is null (GOTCHAS 22)."""
        result = self.list_listings(1, 50, market=market)
        found = list(result.items)
        while result.next_url:
            data = self.transport.call("list listings", "GET", result.next_url, market=market)
            result = to_page(data, models.listing_from_json, "list listings")
            found.extend(result.items)
        return found

    def get_listing(self, listing_id: str | int, *, market: str | None = None) -> Listing:
        data = self.transport.call("get listing", "GET", f"/ws/listings/{listing_id}", market=market)
        return mapped(models.listing_from_json, data, "get listing")

    def find_listing(
        self, *, sku: str | None = None, listing_uuid: str | None = None, market: str | None = None
    ) -> Listing | None:
        """The listing with this SKU (case-insensitive on Back Market) or UUID; None when there is none."""
        try:
            data = self.transport.call(
                "find listing",
                "GET",
                "/ws/listings/detail",
                market=market,
                params={"sku": sku, "id": listing_uuid},
            )
        except BackMarketError as exc:
            if exc.failure is Failure.NOT_FOUND:
                return None
            raise
        return mapped(models.listing_from_json, data, "find listing")

    def update_listing(
        self,
        listing_id: str,
        *,
        market: str,
        quantity: int | None = None,
        price: Decimal | None = None,
        currency: str | None = None,
        min_price: Decimal | None = None,
    ) -> Listing:
        """Real-time update of one listing in one market (only the fields given are sent)."""
        if quantity is not None and (
            isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 0
        ):
            raise ValueError(f"quantity must be a whole number >= 0, not {quantity!r}")
        unit = currency or MARKET_CURRENCY.get(market.lower(), "EUR")  # the market's, when not given
        body = {
            k: v
            for k, v in {
                "quantity": quantity,
                "price": _price(price, unit),
                "currency": currency,
                "min_price": _price(min_price, unit),
            }.items()
            if v is not None
        }

        def landed() -> Listing | None:
            now = self.get_listing(listing_id, market=market)
            same = (quantity is None or now.quantity == quantity) and (price is None or now.price == price)
            return now if same else None

        with self._spending(1):
            data = self._write("update listing", "POST", f"/ws/listings/{listing_id}", body, market, landed)
        return (
            data if isinstance(data, Listing) else mapped(models.listing_from_json, data, "update listing")
        )

    def submit_batch(self, catalog: str, *, lines: int, market: str) -> int:
        """Queue a CSV batch; returns the task id to poll. A timeout is re-raised (`maybe_applied`): caller
        checks the SKUs with `find_listing` before sending them again."""
        with self._spending(lines):
            data = self.transport.call(
                "submit listing batch",
                "POST",
                "/ws/listings",
                market=market,
                body={"catalog": catalog, "delimiter": DELIMITER, "quotechar": QUOTECHAR, "encoding": ENCODING},
                catalog=True,  # the edge's stricter limit for catalog endpoints (20 / 10 s) applies
            )
        return mapped(lambda d: models.id_field(d, "bodymessage"), data, "submit listing batch")

    def get_task(self, task_id: int) -> BatchTask:
        data = self.transport.call("get batch task", "GET", f"/ws/tasks/{task_id}")
        return mapped(models.task_from_json, data, "get batch task")
