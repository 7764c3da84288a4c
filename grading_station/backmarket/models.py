"""Typed results of Back Market calls and the pure mappers from its JSON (API-NOTES §4, §5)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import IntEnum
from typing import Generic, TypeVar

T = TypeVar("T")


class OrderState(IntEnum):
    """`OrderState`: derived by Back Market from the lines, never set by us (9 means shipped here)."""

    NEW = 0
    PAID = 1
    TO_SHIP = 3
    PAYMENT_FAILED = 8
    SHIPPED = 9
    AWAITING_PAYMENT = 10


class OrderLineState(IntEnum):
    """`OrderLineState`: same numbers as OrderState, other meanings (9 is on hold here)."""

    NEW = 0
    PAID = 1
    VALIDATED = 2
    SHIPPED = 3
    CANCELLED = 4
    REFUNDED_PRE_DELIVERY = 5
    REFUNDED_POST_DELIVERY = 6
    NOT_PAID = 7
    PENDING = 8
    ON_HOLD = 9


def money(value: object) -> Decimal | None:
    """Prices arrive as strings (or, elsewhere, numbers); None when absent or unreadable."""
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def count_field(data: dict, key: str, *, default: int | None = None) -> int:
    """A whole number >= 0 as the spec declares it (`quantity`): ValueError for -1, 2.5, "3" or `true`."""
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{key} {value!r} is not a whole number >= 0")
    return value


def id_field(data: dict, key: str) -> int:
    """A positive integer id (task, order, orderline): ValueError for -3, 0, "12" or `true`."""
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"{key} {value!r} is not a positive integer id")
    return value


def price_field(data: dict, key: str) -> Decimal | None:
    """A price string (None when absent): ValueError for Infinity, NaN, a negative or unreadable amount."""
    value = data.get(key)
    if value is None or value == "":
        return None
    amount = money(value)
    if isinstance(value, bool) or amount is None or not amount.is_finite() or amount < 0:
        raise ValueError(f"{key} {value!r} is not an amount")
    return amount


@dataclass(frozen=True)
class Listing:
    """A listing (offer) as read in one market: the price is that market's, the quantity is global."""

    id: str  # UUID
    legacy_id: int | None
    sku: str
    quantity: int
    price: Decimal | None
    currency: str
    min_price: Decimal | None
    grade: str
    publication_state: int | None
    title: str = ""
    product_id: str = ""


def listing_from_json(data: dict) -> Listing:
    return Listing(
        id=str(data["id"]),
        legacy_id=data.get("listing_id"),
        sku=str(data["sku"]),
        quantity=count_field(data, "quantity", default=0),
        price=price_field(data, "price"),
        currency=str(data.get("currency") or ""),
        min_price=price_field(data, "min_price"),
        grade=str(data.get("grade") or ""),
        publication_state=data.get("publication_state"),
        title=str(data.get("title") or ""),
        product_id=str(data.get("product_id") or ""),
    )


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a paginated list; `next_url` is the absolute URL of the next page or None."""

    count: int
    items: tuple[T, ...]
    next_url: str | None


@dataclass(frozen=True)
class BatchTask:
    """A CSV batch task. `errors_by_sku` lists each failed row's reasons (empty when the row went through)."""

    task_id: int
    status: int  # 0/2 todo or running, 8 failed, 9 done; 3 and 7 are undocumented
    last_error: str
    errors_by_sku: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def finished(self) -> bool:
        return self.status in (8, 9)

    @property
    def failed(self) -> bool:
        return self.status == 8


def _row_errors(value: object) -> tuple[str, ...]:
    """Errors of one row of a task result, whose shape the spec leaves open: a string, a list, or a dict."""
    if value in (None, "", [], {}):
        return ()
    if isinstance(value, str):
        return () if value.lower() in ("ok", "success", "created", "updated") else (value,)
    if isinstance(value, list):
        return tuple(str(v) for v in value if v)
    if isinstance(value, dict):
        for key in ("errors", "error", "message"):
            if value.get(key):
                return _row_errors(value[key])
    return ()


def task_from_json(data: dict) -> BatchTask:
    result = data.get("result")
    errors: dict[str, tuple[str, ...]] = {}
    if isinstance(result, dict):
        for sku, value in result.items():
            if _row_errors(value):
                errors[str(sku)] = _row_errors(value)
    status = data.get("action_status")
    if isinstance(status, bool) or not isinstance(status, int):
        raise ValueError(f"action_status {status!r} is not a number")
    return BatchTask(
        task_id=id_field(data, "task_id"),
        status=status,
        last_error=str(data.get("last_action_error") or ""),
        errors_by_sku=errors,
    )


@dataclass(frozen=True)
class OrderLine:
    id: int
    state: int
    sku: str  # `listing` in the JSON: the SKU string
    listing_legacy_id: int | None
    quantity: int
    price: Decimal | None
    currency: str
    condition: int | None
    product: str
    imei: str
    serial_number: str


@dataclass(frozen=True)
class Address:
    first_name: str
    last_name: str
    street: str
    street2: str
    postal_code: str
    city: str
    country: str
    phone: str
    company: str
    email: str


@dataclass(frozen=True)
class Order:
    order_id: int
    state: int
    country_code: str
    currency: str
    price: Decimal | None
    shipping_price: Decimal | None
    date_creation: str
    date_modification: str
    tracking_number: str
    lines: tuple[OrderLine, ...]
    shipping_address: Address | None
    delivery_note: str = ""
    expected_dispatch_date: str = ""
    shipper: str = ""


def _pick(data: dict, camel: str, snake: str) -> str:
    return str(data.get(camel) or data.get(snake) or "")


def address_from_json(data: object) -> Address | None:
    """The spec's Address is camelCase, the prose table snake_case: read both (GOTCHAS 15)."""
    if not isinstance(data, dict):
        return None
    return Address(
        _pick(data, "firstName", "first_name"),
        _pick(data, "lastName", "last_name"),
        str(data.get("street") or ""),
        str(data.get("street2") or ""),
        _pick(data, "postalCode", "postal_code"),
        str(data.get("city") or ""),
        str(data.get("country") or ""),
        _pick(data, "phoneNumber", "phone"),
        str(data.get("company") or ""),
        str(data.get("email") or ""),
    )


def orderline_from_json(data: dict) -> OrderLine:
    return OrderLine(
        id=id_field(data, "id"),
        state=int(data.get("state", 0)),
        sku=str(data.get("listing") or ""),
        listing_legacy_id=data.get("listing_id"),
        quantity=count_field(data, "quantity", default=1),
        price=price_field(data, "price"),
        currency=str(data.get("currency") or ""),
        condition=data.get("condition"),
        product=str(data.get("product") or ""),
        imei=str(data.get("imei") or ""),
        serial_number=str(data.get("serial_number") or ""),
    )


@dataclass(frozen=True)
class OrderlineIdentifiers:
    """What `PATCH /ws/orderlines/{id}` recorded on a line (write-once; "" for one not given)."""

    orderline_id: int
    imei: str
    serial_number: str


def identifiers_from_json(orderline_id: int, data: dict) -> OrderlineIdentifiers:
    return OrderlineIdentifiers(
        orderline_id, str(data.get("imei") or ""), str(data.get("serial_number") or "")
    )


def order_from_json(data: dict) -> Order:
    return Order(
        order_id=id_field(data, "order_id"),
        state=int(data.get("state", 0)),
        country_code=str(data.get("country_code") or ""),
        currency=str(data.get("currency") or ""),
        price=money(data.get("price")),
        shipping_price=money(data.get("shipping_price")),
        date_creation=str(data.get("date_creation") or ""),
        date_modification=str(data.get("date_modification") or ""),
        tracking_number=str(data.get("tracking_number") or ""),
        lines=tuple(orderline_from_json(line) for line in data.get("orderlines") or ()),
        shipping_address=address_from_json(data.get("shipping_address")),
        delivery_note=str(data.get("delivery_note") or ""),
        expected_dispatch_date=str(data.get("expected_dispatch_date") or ""),
        shipper=str(data.get("shipper_display") or ""),
    )
