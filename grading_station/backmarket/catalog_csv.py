"""The CSV text of a listing batch (`POST /ws/listings` `catalog`): `;`-separated, quoted, `\\n` lines."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal

DELIMITER, QUOTECHAR, ENCODING = ";", '"', "utf-8"
# Back Market names the columns only in the Back Office template (API-NOTES §4 [gap]); these are the ones the
# simulator accepts and that the template uses for offers.
COLUMNS = (
    "sku",
    "product_id",
    "ean",
    "quantity",
    "price",
    "min_price",
    "currency",
    "grade",
    "warranty_delay",
)


@dataclass(frozen=True)
class ListingRow:
    """One SKU line of a batch: creates the listing when the SKU is new, updates it otherwise."""

    sku: str
    quantity: int
    price: Decimal
    currency: str
    grade: str  # AestheticGradeValue, e.g. "PREMIUM"
    product_id: str = ""  # Back Market product UUID; wins over `ean`
    ean: str = ""
    min_price: Decimal | None = None
    warranty_delay: int = 12


def build_catalog(rows: list[ListingRow]) -> str:
    """CSV text for `rows`; refuses a SKU twice, even differing only in case (Back Market merges them)."""
    seen: dict[str, str] = {}
    for row in rows:
        other = seen.get(row.sku.casefold())
        if other is not None:
            raise ValueError(f"SKU {row.sku!r} appears twice (as {other!r}; Back Market SKUs ignore case)")
        seen[row.sku.casefold()] = row.sku
    out = io.StringIO()
    writer = csv.writer(
        out, delimiter=DELIMITER, quotechar=QUOTECHAR, quoting=csv.QUOTE_ALL, lineterminator="\n"
    )
    writer.writerow(COLUMNS)
    for r in rows:
        writer.writerow(
            [
                r.sku,
                r.product_id,
                r.ean,
                r.quantity,
                f"{r.price:.2f}",
                "" if r.min_price is None else f"{r.min_price:.2f}",
                r.currency,
                r.grade,
                r.warranty_delay,
            ]
        )
    return out.getvalue()


def parse_catalog(text: str, delimiter: str = DELIMITER, quotechar: str = QUOTECHAR) -> list[dict[str, str]]:
    """Rows of a catalog as dicts (used by the simulator)."""
    return list(csv.DictReader(io.StringIO(text), delimiter=delimiter, quotechar=quotechar))
