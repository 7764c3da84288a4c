"""Sellable stock per variant (for Back Market quantities) and variant SKUs."""

from __future__ import annotations

from grading_station.odoo.connection import OdooConnection
from grading_station.odoo.locations import Locations
from grading_station.odoo.mappers import m2o_id, text

from grading_station.errors import RemoteRefused
from grading_station.i18n import N_


class StockReader:
    """StockCounter over one connection: one read_group, one read."""

    def __init__(self, connection: OdooConnection, locations: Locations) -> None:
        self._conn = connection
        self._locations = locations
        self._grouped = True  # read_group answers; False once the server said it has none

    def sellable_quantities(self, variant_ids: list[int]) -> dict[int, int]:
        """Units on hand in WH/Stock per variant, less what orders already reserved (0 for none), one RPC."""
        if not variant_ids:
            return {}
        if not self._locations.loaded:
            self._locations.load(self._conn)
        domain = [
            ["location_id", "child_of", self._locations.stock_id],
            ["product_id", "in", list(variant_ids)],
        ]
        fields = ["quantity", "reserved_quantity"]
        if self._grouped:
            try:
                groups = self._conn.call(
                    "stock.quant",
                    "read_group",
                    [domain, [f"{f}:sum" for f in fields], ["product_id"]],
                    {"lazy": False},
                    what=N_("count the sellable stock"),
                )
            except RemoteRefused as exc:
                if "read_group" not in exc.detail:
                    raise
                # a server without the public read_group (newer Odoo): sum the quants here, still one RPC
                self._grouped = False
        if not self._grouped:
            groups = self._conn.call(
                "stock.quant",
                "search_read",
                [domain],
                {"fields": ["product_id", *fields]},
                what=N_("count the sellable stock"),
            )
        on_hand: dict[int, float] = dict.fromkeys(variant_ids, 0.0)
        for group in groups:
            variant = m2o_id(group.get("product_id"))
            if variant in on_hand:
                on_hand[variant] += float(group.get("quantity") or 0) - float(
                    group.get("reserved_quantity") or 0
                )
        return {variant: max(0, int(round(qty))) for variant, qty in on_hand.items()}

    def variant_skus(self, variant_ids: list[int]) -> dict[int, str]:
        """default_code (the Back Market SKU) per variant; "" for a variant without one."""
        if not variant_ids:
            return {}
        rows = self._conn.call(
            "product.product", "read", [list(variant_ids), ["default_code"]], what=N_("read the SKUs")
        )
        return {row["id"]: text(row.get("default_code")) for row in rows}
