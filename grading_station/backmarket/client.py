"""The Back Market seller API, one named method per operation the product uses, with typed results."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from grading_station.domain.identifiers import is_valid_imei

from grading_station.backmarket import models
from grading_station.backmarket.budget import ListingBudget
from grading_station.backmarket.catalog_csv import DELIMITER, ENCODING, QUOTECHAR
from grading_station.backmarket.errors import BackMarketError, Failure
from grading_station.backmarket.models import BatchTask, Listing, Order, OrderlineIdentifiers, Page
from grading_station.backmarket.transport import Transport

from grading_station.errors import InputError


def _price(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"  # strings avoid float errors (API-NOTES §4)


class BackMarketClient:
    """Listings, batch tasks, orders and orderlines over an injected Transport.

    Writes have no idempotency keys: when one times out, the method reads the state back and resends only
    if it did not land (GOTCHAS 1). Listing writes spend the local SKU-lines budget first.
    """

    def __init__(self, transport: Transport, budget: ListingBudget | None = None) -> None:
        self.transport = transport
        self.budget = budget or ListingBudget(None)

    @property
    def requests_sent(self) -> int:
        return self.transport.requests_sent

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
        return _page(data, models.listing_from_json, "list listings")

    def all_listings(self, *, market: str | None = None) -> list[Listing]:
        """Every listing, following the absolute `next` URL until it is null (GOTCHAS 22)."""
        result = self.list_listings(1, 50, market=market)
        found = list(result.items)
        while result.next_url:
            data = self.transport.call("list listings", "GET", result.next_url, market=market)
            result = _page(data, models.listing_from_json, "list listings")
            found.extend(result.items)
        return found

    def get_listing(self, listing_id: str | int, *, market: str | None = None) -> Listing:
        data = self.transport.call("get listing", "GET", f"/ws/listings/{listing_id}", market=market)
        return _mapped(models.listing_from_json, data, "get listing")

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
        return _mapped(models.listing_from_json, data, "find listing")

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
        body = {
            k: v
            for k, v in {
                "quantity": quantity,
                "price": _price(price),
                "currency": currency,
                "min_price": _price(min_price),
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
            data if isinstance(data, Listing) else _mapped(models.listing_from_json, data, "update listing")
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
        if not isinstance(data, dict) or not isinstance(data.get("bodymessage"), int):
            raise BackMarketError(
                Failure.MALFORMED, message=f"no task id in {data!r:.80}", operation="submit listing batch"
            )
        return data["bodymessage"]

    def get_task(self, task_id: int) -> BatchTask:
        data = self.transport.call("get batch task", "GET", f"/ws/tasks/{task_id}")
        return _mapped(models.task_from_json, data, "get batch task")

    # --- orders -----------------------------------------------------------------------------------------
    def list_orders(
        self,
        page: int = 1,
        page_size: int = 50,
        *,
        state: int | None = None,
        date_modification: str | None = None,
        country_code: str | None = None,
    ) -> Page[Order]:
        data = self.transport.call(
            "list orders",
            "GET",
            "/ws/orders",
            params={
                "page": page,
                "page-size": page_size,
                "state": state,
                "date_modification": date_modification,
                "country_code": country_code,
            },
        )
        return _page(data, models.order_from_json, "list orders")

    def get_order(self, order_id: int) -> Order:
        return _mapped(
            models.order_from_json,
            self.transport.call("get order", "GET", f"/ws/orders/{order_id}"),
            "get order",
        )

    def update_order(self, order_id: int, new_state: int, *, sku: str | None = None, **fields: Any) -> Order:
        """`POST /ws/orders/{id}`: accept (2) or cancel (4) the line of `sku`, or ship (3) every line with
        `tracking_number` (and shipper, tracking_url, date_shipping, imei/serial_number, vat_type)."""
        if new_state == 3 and not fields.get("tracking_number"):
            raise ValueError("shipping an order needs a tracking number")
        _check_identifiers(fields.get("imei"), fields.get("serial_number"))
        # The schema requires `id` (a typo for order_id, GOTCHAS 8): send both so either reading is satisfied.
        body = {"id": order_id, "order_id": order_id, "new_state": new_state, "sku": sku, **fields}
        body = {k: v for k, v in body.items() if v is not None}

        def landed() -> Order | None:
            order = self.get_order(order_id)
            lines = [ln for ln in order.lines if sku is None or ln.sku.casefold() == sku.casefold()]
            return order if lines and all(ln.state == new_state for ln in lines) else None

        data = self._write("update order", "POST", f"/ws/orders/{order_id}", body, None, landed)
        return data if isinstance(data, Order) else _mapped(models.order_from_json, data, "update order")

    def set_orderline_identifiers(
        self,
        orderline_id: int,
        *,
        imei: str | None = None,
        serial_number: str | None = None,
        order_id: int | None = None,
    ) -> OrderlineIdentifiers:
        """`PATCH /ws/orderlines/{id}`: write-once IMEI/serial, checked before sending (they cannot be
        corrected, GOTCHAS 6); `order_id` allows reading a timeout back."""
        body = {k: v for k, v in {"imei": imei, "serial_number": serial_number}.items() if v}
        if not body:
            raise ValueError("give an IMEI or a serial number")
        _check_identifiers(imei, serial_number)

        def landed() -> dict | None:
            if order_id is None:
                return None
            line = next((ln for ln in self.get_order(order_id).lines if ln.id == orderline_id), None)
            ok = line is not None and all(getattr(line, k) == v for k, v in body.items())
            return body if ok else None

        data = self._write(
            "set orderline identifiers", "PATCH", f"/ws/orderlines/{orderline_id}", body, None, landed
        )
        return _mapped(lambda d: models.identifiers_from_json(orderline_id, d), data or body, "set identifiers")

    # --- helpers ----------------------------------------------------------------------------------------
    @contextlib.contextmanager
    def _spending(self, lines: int) -> Iterator[None]:
        """Spend `lines` of the hourly budget for a listing write; refund them when the write certainly did
        not land (refused, throttled, never sent). A timed-out write (`maybe_applied`) stays counted: Back
        Market may have taken it, and counting it twice only makes us wait, while not counting it could get
        a task refused."""
        self.budget.spend(lines)
        try:
            yield
        except BackMarketError as exc:
            if not exc.maybe_applied:
                self.budget.refund(lines)
            raise

    def _write(self, operation: str, method: str, url: str, body: dict, market: str | None, landed) -> Any:
        """Send a write; after a timeout read the state back and resend once only if it did not land."""
        try:
            return self.transport.call(operation, method, url, market=market, body=body)
        except BackMarketError as exc:
            if not exc.maybe_applied:
                raise
            try:
                current = landed()
            except BackMarketError as unknown:
                unknown.maybe_applied = True  # the read-back failed: the write may still have landed
                raise
            if current is not None:
                return current
            return self.transport.call(operation, method, url, market=market, body=body)


def _check_identifiers(imei: str | None, serial_number: str | None) -> None:
    """Back Market keeps the first IMEI/serial it is sent: refuse one that cannot be right (IMEI: 15 digits with
    a valid check digit; serial: at most 50 characters)."""
    if imei and not is_valid_imei(imei):
        raise InputError(f"{imei} is not a valid IMEI (15 digits with a valid check digit).")
    if serial_number and len(serial_number) > 50:
        raise InputError(f"The serial number {serial_number[:20]}... is longer than Back Market's 50 characters.")


def _mapped(mapper, data: Any, operation: str):
    """Apply a mapper; an answer without the fields it needs is MALFORMED, not a crash."""
    try:
        return mapper(data)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise BackMarketError(
            Failure.MALFORMED, message=f"unexpected answer ({exc!r:.80})", operation=operation
        ) from exc


def _page(data: Any, mapper, operation: str) -> Page:
    def build(d: dict) -> Page:
        return Page(int(d.get("count") or 0), tuple(mapper(x) for x in d["results"]), d.get("next"))

    return _mapped(build, data, operation)
