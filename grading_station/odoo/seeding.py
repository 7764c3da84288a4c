"""Bulk stock-in of graded units (demo data, migrations): one lot create list, one quant create list."""

from __future__ import annotations

from dataclasses import dataclass, field

from grading_station.domain.units import Placement

from grading_station.odoo.connection import OdooConnection
from grading_station.odoo.locations import Locations
from grading_station.odoo.mappers import text

from grading_station.i18n import N_


@dataclass(frozen=True)
class UnitSeed:
    """A unit to put in stock: its serial, the variant of its grade, its lot properties, where it goes."""

    serial: str
    variant_id: int
    properties: dict = field(default_factory=dict)
    placement: Placement = Placement.STOCK


def receive_units(conn: OdooConnection, locations: Locations, seeds: list[UnitSeed]) -> list[int]:
    """Create the lots and stock them (3 RPCs whatever the count); serials with a lot are skipped.
    Returns the ids of the lots created."""
    if not seeds:
        return []
    if not locations.loaded:
        locations.load(conn)
    known = conn.call(
        "stock.lot",
        "search_read",
        [[["name", "in", [s.serial for s in seeds]]]],
        {"fields": ["name"]},
        what=N_("look the serials up"),
    )
    skip = {text(r["name"]) for r in known}
    todo = [s for s in seeds if s.serial not in skip]
    if not todo:
        return []
    # a list create is one transaction in Odoo: either every lot exists afterwards or none does
    lot_ids = conn.call(
        "stock.lot",
        "create",
        [[{"name": s.serial, "product_id": s.variant_id, "lot_properties": s.properties} for s in todo]],
        what=N_("create the lots"),
    )
    quants = [
        {
            "product_id": s.variant_id,
            "location_id": locations.for_placement(s.placement)[0],
            "lot_id": lot_id,
            "inventory_quantity_auto_apply": 1,
        }
        for s, lot_id in zip(todo, lot_ids, strict=True)
    ]
    conn.call(
        "stock.quant", "create", [quants], {"context": {"inventory_mode": True}}, what=N_("stock the units in")
    )
    return list(lot_ids)
