"""The simulator's listings, products and CSV batch tasks, with Back Market's rules for them."""

from __future__ import annotations

import codecs
import csv
import io
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

CURRENCY = {
    "fr-fr": "EUR",
    "fr-be": "EUR",
    "es-es": "EUR",
    "de-de": "EUR",
    "de-at": "EUR",
    "it-it": "EUR",
    "nl-nl": "EUR",
    "pt-pt": "EUR",
    "en-ie": "EUR",
    "el-gr": "EUR",
    "sk-sk": "EUR",
    "en-gb": "GBP",
    "sv-se": "SEK",
    "en-us": "USD",
    "ja-jp": "JPY",
    "en-au": "AUD",
}
MAX_CATALOG_LINES = 15_000  # `POST /ws/listings`: "the CSV file ... must not exceed 15,000 lines"
# Guide §CSV file format: "Required field separator is ';'", "Required line separator is the line feed '\\n'",
# "Fields must be surrounded by double quotes". A field may hold anything but a lone '"' (doubled inside).
_FIELD = r'"[^"]*(?:""[^"]*)*"'
_CSV = re.compile(rf"(?:{_FIELD}(?:;{_FIELD})*\n)*{_FIELD}(?:;{_FIELD})*\n?")
GRADE_STATE = {"PREMIUM": 9, "EXCELLENT": 0, "VERY_GOOD": 1, "GOOD": 2, "FAIR": 3, "STALLONE": 4}
_NS = uuid.UUID("6f1c0a52-8d7e-4b1e-9a39-3a0f5e0b7c11")


class Refused(Exception):
    """A request Back Market refuses: `status` and the body to send (a bare string for listing writes)."""

    def __init__(self, status: int, body: object) -> None:
        super().__init__(body)
        self.status, self.body = status, body


@dataclass
class SimListing:
    id: str
    listing_id: int
    sku: str
    product_id: str
    backmarket_id: int
    title: str
    grade: str
    quantity: int
    warranty_delay: int = 12
    prices: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # market -> (price, min_price)

    def to_json(self, market: str) -> dict:
        price, min_price = self.prices.get(market, ("0.00", None))
        return {
            "id": self.id,
            "listing_id": self.listing_id,
            "product_id": self.product_id,
            "backmarket_id": self.backmarket_id,
            "title": self.title,
            "shippings": [],
            "state": GRADE_STATE[self.grade],
            "grade": self.grade,
            "quantity": self.quantity,
            "currency": CURRENCY.get(market, "EUR"),
            "sku": self.sku,
            "publication_state": 2 if self.quantity > 0 else 3,
            "warranty_delay": self.warranty_delay,
            "price": price,
            "comment": None,
            "min_price": min_price,
            "max_price": "99999.00",
        }


@dataclass
class SimTask:
    task_id: int
    market: str
    rows: list[dict[str, str]]
    ready_at: float
    status: int = 0
    error: str | None = None
    result: dict = field(default_factory=dict)


def _amount(text: str, what: str, currency: str = "EUR") -> str:
    """The amount in `currency`'s minor units (ISO 4217: none for JPY); finer amounts are refused."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{what} {text!r} is not a number") from None
    if not value.is_finite() or value <= 0:
        raise ValueError(f"{what} must be positive")
    places = 0 if currency == "JPY" else 2
    if value != value.quantize(Decimal(1).scaleb(-places)):
        raise ValueError(f"{what} {text!r} has more decimals than {currency} has ({places})")
    return f"{value.quantize(Decimal(1).scaleb(-places)):f}"


def _quantity(value: object) -> int:
    text = str(value).strip()
    if not text.isdigit():
        raise ValueError(f"quantity {value!r} is not a whole number >= 0")
    return int(text)


def check_catalog(catalog: str, delimiter: str, quotechar: str, encoding: str) -> None:
    """Refused(400) with Back Market's bare-string body unless the catalog is in the required CSV format."""
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise Refused(400, f"unknown encoding {encoding!r}") from None
    if delimiter != ";":
        raise Refused(400, f"delimiter must be ';', not {delimiter!r}")
    if quotechar != '"':
        raise Refused(400, f"quotechar must be '\"', not {quotechar!r}")
    lines = catalog.count("\n") + (not catalog.endswith("\n"))
    if lines > MAX_CATALOG_LINES:
        raise Refused(400, f"catalog has {lines} lines; at most {MAX_CATALOG_LINES} are accepted")
    if "\r" in catalog:
        raise Refused(400, "lines must end with a line feed '\\n' only (no carriage return)")
    if not _CSV.fullmatch(catalog):
        raise Refused(400, "catalog must be ';'-separated with every field in double quotes")


class Catalogue:
    """Products (by EAN and UUID), listings (SKU case-insensitive) and batch tasks. Thread-safe."""

    def __init__(self, task_delay: float = 0.05, clock=time.monotonic) -> None:
        self.task_delay, self._clock = task_delay, clock
        self.products: dict[str, tuple[str, int, str]] = {}  # ean or product uuid -> (uuid, int id, title)
        self.listings: dict[str, SimListing] = {}  # casefolded SKU -> listing
        self.tasks: dict[int, SimTask] = {}
        self.lock = threading.RLock()
        self._next_id = 1000
        self.fail_next_task = ""  # hook: the next task submitted fails as a whole (status 8) with this error
        # hook: listings are created with this grade whatever the row says (the grade column is not named by
        # the spec: Back Market may read another one, API-NOTES §4 [gap])
        self.forced_grade = ""

    def add_product(self, ean: str, title: str) -> str:
        with self.lock:
            self._next_id += 1
            product_uuid = str(uuid.uuid5(_NS, f"product:{ean}"))
            self.products[ean] = self.products[product_uuid] = (product_uuid, self._next_id, title)
            return product_uuid

    def find(self, key: str) -> SimListing | None:
        with self.lock:
            if key.casefold() in self.listings:
                return self.listings[key.casefold()]
            return next((x for x in self.listings.values() if key in (x.id, str(x.listing_id))), None)

    def update(self, listing: SimListing, market: str, body: dict) -> None:
        """`POST /ws/listings/{id}`: only the given fields change; price needs the market's currency."""
        with self.lock:
            currency = CURRENCY.get(market, "EUR")
            try:
                quantity = _quantity(body["quantity"]) if "quantity" in body else None
                price = (
                    _amount(str(body["price"]), "price", currency) if body.get("price") is not None else None
                )
                minimum = (
                    _amount(str(body["min_price"]), "min_price", currency)
                    if body.get("min_price") is not None
                    else None
                )
            except ValueError as exc:
                raise Refused(400, str(exc)) from None
            if (
                price is not None
                and body.get("currency", currency if currency in ("EUR", "USD") else None) != currency
            ):
                raise Refused(400, f"currency must be {currency} for market {market}")
            if quantity is not None:
                listing.quantity = quantity
            old_price, old_min = listing.prices.get(market, ("0.00", None))
            listing.prices[market] = (price or old_price, minimum if "min_price" in body else old_min)

    def submit(self, catalog: str, delimiter: str, quotechar: str, market: str, encoding: str = "utf-8") -> int:
        """Queue a batch; Refused(400, bare string) for a catalog the guide's CSV format does not allow."""
        check_catalog(catalog, delimiter, quotechar, encoding)
        with self.lock:
            self._next_id += 1
            try:
                rows = list(csv.DictReader(io.StringIO(catalog), delimiter=delimiter, quotechar=quotechar))
            except Exception as exc:  # noqa: BLE001 - any CSV problem fails the task, as Back Market does
                rows, error = [], f"catalog unreadable: {exc}"
            else:
                error = None if rows and "sku" in rows[0] else "catalog has no sku column"
            error, self.fail_next_task = error or self.fail_next_task or None, ""
            task = SimTask(self._next_id, market, rows, self._clock() + self.task_delay, error=error)
            self.tasks[task.task_id] = task
            return task.task_id

    def task(self, task_id: int) -> SimTask | None:
        """The task as it stands now (tasks complete asynchronously, once their delay has passed)."""
        with self.lock:
            self.process_due()
            return self.tasks.get(task_id)

    def finish_queued_tasks(self) -> None:
        """Hook: every task queued so far is due now, whatever its delay (it completes on the next request),
        so a test need not sleep past `task_delay`."""
        with self.lock:
            for task in self.tasks.values():
                task.ready_at = min(task.ready_at, self._clock())

    def process_due(self) -> None:
        """Run the tasks whose delay has passed, oldest first, whether or not anyone polls them (the
        simulator calls this before every request it serves)."""
        with self.lock:
            for task in self.tasks.values():
                if task.status not in (0, 2):
                    continue
                if self._clock() < task.ready_at:
                    task.status = 2
                elif task.error:
                    task.status = 8
                else:
                    task.result = {
                        row.get("sku") or f"line {n}": self._apply(row, task.market)
                        for n, row in enumerate(task.rows, start=2)
                    }
                    task.status = 9

    def _apply(self, row: dict[str, str], market: str) -> dict:
        sku = (row.get("sku") or "").strip()
        try:
            if not sku:
                raise ValueError("sku is required")
            _quantity(row.get("quantity") or "0")  # bad rows are refused before anything is created
            if row.get("price"):
                _amount(row["price"], "price", CURRENCY.get(market, "EUR"))
            listing = self.find(sku)
            if listing is None:
                listing = self._create(row, sku)
            body = {k: row[k] for k in ("quantity", "price", "min_price", "currency") if row.get(k)}
            self.update(listing, market, body)
        except ValueError as exc:
            return {"status": "error", "errors": [str(exc)]}
        except Refused as exc:
            return {"status": "error", "errors": [str(exc.body)]}
        return {"status": "ok", "listing_id": listing.listing_id, "id": listing.id}

    def _create(self, row: dict[str, str], sku: str) -> SimListing:
        product = self.products.get(row.get("product_id") or "") or self.products.get(row.get("ean") or "")
        if product is None:
            raise ValueError(
                "no product matches product_id/ean"
                if row.get("product_id") or row.get("ean")
                else "product_id or ean is required to create a listing"
            )
        grade = row.get("grade") or ""
        if grade not in GRADE_STATE:  # AestheticGradeValue: upper case, no other spelling
            raise ValueError(f"grade {row.get('grade')!r} is not one of {', '.join(GRADE_STATE)}")
        grade = self.forced_grade or grade
        self._next_id += 1
        listing = SimListing(
            str(uuid.uuid5(_NS, f"listing:{sku.casefold()}")),
            self._next_id,
            sku,
            product[0],
            product[1],
            product[2],
            grade,
            0,
            int(row.get("warranty_delay") or 12),
        )
        self.listings[sku.casefold()] = listing
        return listing
