"""The graded units in stock, every station's, in one RPC (the Listing workspace's table)."""

from __future__ import annotations

from dataclasses import dataclass

from grading_station.odoo.catalogue import Catalogue
from grading_station.odoo.connection import OdooConnection
from grading_station.odoo.mappers import m2o_id, m2o_name, text

from grading_station.i18n import N_

_FIELDS = ["lot_id", "product_id", "location_id", "quantity", "in_date"]


@dataclass(frozen=True)
class StockUnit:
    """A serial on hand in an internal location, on a managed variant with a grade (`grade` is its key)."""

    serial: str
    lot_id: int
    variant_id: int
    model_name: str
    grade: str
    sku: str
    location: str  # complete name, e.g. "WH/Stock", "WH/Hold"
    in_date: str


class StockOverview:
    """Reads the quants with a lot in internal locations, newest first; model, grade and SKU come from the
    catalogue cache, so the read costs one RPC once the catalogue is loaded."""

    def __init__(self, connection: OdooConnection, catalogue: Catalogue) -> None:
        self._conn = connection
        self._catalogue = catalogue

    def graded_units_in_stock(self, limit: int = 500) -> list[StockUnit]:
        self._catalogue.ensure_loaded()
        variant_ids = self._catalogue.variant_ids()
        if not variant_ids:
            return []
        rows = self._conn.call(
            "stock.quant",
            "search_read",
            [
                [
                    ["location_id.usage", "=", "internal"],
                    ["lot_id", "!=", False],
                    ["quantity", ">", 0],
                    ["product_id", "in", variant_ids],
                ]
            ],
            {"fields": _FIELDS, "order": "in_date desc, id desc", "limit": limit},
            what=N_("read the units in stock"),
        )
        units = []
        for row in rows:
            variant = self._catalogue.variant(m2o_id(row.get("product_id")) or 0)
            if variant is None or not variant.grade:  # "To grade" intake variants are not graded yet
                continue
            units.append(
                StockUnit(
                    serial=m2o_name(row.get("lot_id")),
                    lot_id=m2o_id(row.get("lot_id")) or 0,
                    variant_id=variant.variant_id,
                    model_name=variant.model_name,
                    grade=variant.grade,
                    sku=variant.sku,
                    location=m2o_name(row.get("location_id")),
                    in_date=text(row.get("in_date")),
                )
            )
        return units
