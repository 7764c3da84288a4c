"""The CSV text of a listing batch (`POST /ws/listings` `catalog`): `;`-separated, quoted, `\\n` lines."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal

from grading_station.backmarket.money import price_text

DELIMITER, QUOTECHAR, ENCODING = ";", '"', "utf-8"  # the guide's CSV format: `;`, double quotes, `\n`
MAX_LINES = 15_000  # per catalog, header included (`POST /ws/listings`)
MAX_ROWS = MAX_LINES - 1
# The spec names only `sku` (required, case-insensitive), `product_id` or `ean` (to create; product_id wins) and,
# in its example, `quantity` and `price`; the full list is in the Back Office template (API-NOTES §4 [gap]). The
# other columns carry the names of the listing's own fields (ListingPublic / the update body): min_price,
# currency, warranty_delay and grade (AestheticGradeValue). A column no row fills is left out, so an empty
# `product_id` never competes with the `ean` that identifies the product.
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
_ALWAYS = ("sku", "quantity", "price")


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
    """CSV text for `rows`; refuses a SKU twice, even differing only in case (Back Market merges them), and
    more rows than a catalog may hold (`MAX_ROWS`: split the batch)."""
    if len(rows) > MAX_ROWS:
        raise ValueError(f"{len(rows)} rows: a catalog holds at most {MAX_ROWS} (plus its header)")
    seen: dict[str, str] = {}
    for row in rows:
        other = seen.get(row.sku.casefold())
        if other is not None:
            raise ValueError(f"SKU {row.sku!r} appears twice (as {other!r}; Back Market SKUs ignore case)")
        seen[row.sku.casefold()] = row.sku
    cells = [
        {
            "sku": r.sku,
            "product_id": r.product_id,
            "ean": r.ean,
            "quantity": str(r.quantity),
            "price": price_text(r.price, r.currency),
            "min_price": "" if r.min_price is None else price_text(r.min_price, r.currency),
            "currency": r.currency,
            "grade": r.grade,
            "warranty_delay": str(r.warranty_delay),
        }
        for r in rows
    ]
    columns = [c for c in COLUMNS if c in _ALWAYS or any(row[c] for row in cells)]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=DELIMITER, quotechar=QUOTECHAR, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([row[c] for c in columns] for row in cells)
    return out.getvalue()


def parse_catalog(text: str, delimiter: str = DELIMITER, quotechar: str = QUOTECHAR) -> list[dict[str, str]]:
    """Rows of a catalog as dicts (used by the simulator)."""
    return list(csv.DictReader(io.StringIO(text), delimiter=delimiter, quotechar=quotechar))
