"""What the app knows of a unit and of a catalogue model, as plain frozen values (the adapters map into these)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Placement(StrEnum):
    """Where a committed unit goes (DESIGN §4): sellable stock, held from listing, or repair."""

    STOCK = "stock"
    HOLD = "hold"
    REPAIR = "repair"


class IntakeSource(StrEnum):
    TRADE_IN = "trade_in"
    CORPORATE_LEASE = "corporate_lease"
    RETURN = "return"
    OTHER = "other"


@dataclass(frozen=True)
class CatalogueModel:
    """A product.template managed by the app (one variant per grade)."""

    template_id: int
    name: str
    category: str  # checklist category: "phone", "tablet", "laptop"
    default_code: str = ""  # internal reference of the model (SKU prefix)
    barcode: str = ""  # EAN of the model, when known
    variant_ids_by_grade: dict[str, int] = field(default_factory=dict)  # grade key -> product.product id


@dataclass(frozen=True)
class Lease:
    """A bench's claim on a unit while it grades it; expires on its own."""

    station: str
    until: str  # ISO-8601 UTC


@dataclass(frozen=True)
class Unit:
    """A live unit found in Odoo (a stock.lot with product_qty > 0)."""

    lot_id: int
    serial: str
    variant_id: int
    template_id: int
    model_name: str
    grade: str | None  # grade key, None when not graded yet
    location: str  # complete name, e.g. "WH/Stock"
    category: str
    properties: dict[str, object] = field(default_factory=dict)  # lot_properties as {name: value}
    lease: Lease | None = None
