"""Where a committed unit goes: WH/Stock (sellable), WH/Hold, WH/Repair (both outside WH/Stock)."""

from __future__ import annotations

import threading

from grading_station.domain.units import Placement

from grading_station.odoo.connection import OdooConnection
from grading_station.odoo.mappers import m2o_id, m2o_name, text
from grading_station.odoo.schema import HOLD_LOCATION, REPAIR_LOCATION

from grading_station.errors import RemoteRefused
from grading_station.i18n import N_, _


class Locations:
    """Ids and complete names of the first warehouse's stock location and of Hold/Repair (cached)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_name: dict[str, tuple[int, str]] = {}  # "Stock"/"Hold"/"Repair" -> (id, complete name)
        self.warehouse_code = "WH"
        self.loaded = False

    def load(self, conn: OdooConnection, *, create_missing: bool = False) -> int:
        """Read the warehouse and our locations (2 RPCs); returns the warehouse's view location id."""
        whs = conn.call(
            "stock.warehouse",
            "search_read",
            [[]],
            {"fields": ["code", "view_location_id", "lot_stock_id"], "limit": 1, "order": "id"},
            what=N_("read the warehouse"),
        )
        if not whs:
            raise RemoteRefused(_("Odoo has no warehouse: install and configure Inventory first."))
        wh = whs[0]
        view_id = m2o_id(wh["view_location_id"]) or 0
        found = conn.call(
            "stock.location",
            "search_read",
            [
                [
                    ["location_id", "=", view_id],
                    ["name", "in", [HOLD_LOCATION, REPAIR_LOCATION]],
                    ["usage", "=", "internal"],
                ]
            ],
            {"fields": ["name", "complete_name"]},
            what=N_("read the Hold and Repair locations"),
        )
        by_name = {"Stock": (m2o_id(wh["lot_stock_id"]) or 0, m2o_name(wh["lot_stock_id"]))}
        for row in found:
            by_name[text(row["name"])] = (row["id"], text(row["complete_name"]))
        with self._lock:
            self._by_name = by_name
            self.warehouse_code = text(wh.get("code")) or "WH"
            self.loaded = True
        return view_id

    def has(self, name: str) -> bool:
        with self._lock:
            return name in self._by_name

    def for_placement(self, placement: Placement) -> tuple[int, str]:
        name = {Placement.STOCK: "Stock", Placement.HOLD: HOLD_LOCATION, Placement.REPAIR: REPAIR_LOCATION}[
            placement
        ]
        with self._lock:
            found = self._by_name.get(name)
        if not found:
            raise RemoteRefused(
                _('Odoo has no {location} location yet: run "Prepare Odoo" in the settings first.').format(
                    location=f"{self.warehouse_code}/{name}")
            )
        return found

    def complete_name(self, name: str) -> str:
        """ "Hold" -> "WH/Hold" ("" when the location is not known)."""
        with self._lock:
            return self._by_name.get(name, (0, ""))[1]

    def id_of(self, name: str) -> int:
        with self._lock:
            return self._by_name.get(name, (0, ""))[0]

    def name_of(self, location_id: int) -> str:
        with self._lock:
            return next((n for i, n in self._by_name.values() if i == location_id), "")

    @property
    def stock_id(self) -> int:
        return self.for_placement(Placement.STOCK)[0]
