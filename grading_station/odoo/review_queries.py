"""The units on hand for the supervisor's queues: every serial in the warehouse's internal locations, with the
properties of only the lots a queue shows (held/repair, battery re-test, override), in ≤ 3 RPCs (the properties
through LotPropertiesCache: only those of lots written since they were last read)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from grading_station.domain.review import HOLD, REPAIR, STOCK, ReviewUnit

from grading_station.odoo.catalogue import Catalogue
from grading_station.odoo.connection import OdooConnection
from grading_station.odoo.locations import Locations
from grading_station.odoo.lot_properties import LotPropertiesCache
from grading_station.odoo.mappers import m2o_id, m2o_name, properties_dict, text
from grading_station.odoo.schema import HOLD_LOCATION, REPAIR_LOCATION

_QUANT_FIELDS = ["lot_id", "product_id", "location_id", "in_date"]


def _inside(location: str, target: str) -> bool:
    return bool(target) and (location == target or location.startswith(target + "/"))


class ReviewQueries:
    """Reads the quants with a lot (where each unit really is: stock.lot.location_id is not recomputed when only a
    quant changes), then those lots' properties; model, grade and category come from the catalogue cache."""

    def __init__(self, connection: OdooConnection, catalogue: Catalogue, locations: Locations,
                 lots: LotPropertiesCache | None = None) -> None:
        self._conn = connection
        self._catalogue = catalogue
        self._locations = locations
        self._lots = lots or LotPropertiesCache(connection)

    def _places(self) -> dict[str, str]:
        """Complete location name -> HOLD / REPAIR / STOCK for the warehouse's three locations."""
        if not self._locations.loaded:
            self._locations.load(self._conn)
        places = {}
        for name, place in (("Stock", STOCK), (HOLD_LOCATION, HOLD), (REPAIR_LOCATION, REPAIR)):
            if self._locations.has(name):
                places[self._locations.complete_name(name)] = place
        return places

    def _location_ids(self) -> list[int]:
        return [i for i in (self._locations.id_of(n) for n in ("Stock", HOLD_LOCATION, REPAIR_LOCATION)) if i]

    def _queue_domain(self, grades: Iterable[str], retest_before: date) -> list:
        """The quants a queue shows, Odoo filtering on the lot's property paths: every one in WH/Hold or WH/Repair,
        and of those in stock the overridden ones (suggested grade ≠ grade) or those taken in and tested on or
        before `retest_before` (a superset: the queue rules decide per category). The recordings show property
        domains with `=`, `>=` and `ilike`; `!=`, `<=` on a date and `= False` follow Odoo's SQL for properties
        (tests/contract/test_odoo_sim_property_domains.py says how)."""
        overridden: list = []
        for grade in grades:  # Odoo compares a property with a constant, not with another property
            overridden = (["|"] if overridden else []) + overridden + [
                "&", ["lot_id.lot_properties.suggested_grade", "=", grade],
                ["lot_id.lot_properties.grade", "!=", grade]]
        day = retest_before.isoformat()
        old = ["&", "|", ["lot_id.lot_properties.intake_date", "<=", day],
               ["lot_id.lot_properties.intake_date", "=", False],
               "|", ["lot_id.lot_properties.tested_at", "<=", f"{day} 23:59:59"],
               ["lot_id.lot_properties.tested_at", "=", False]]
        held = [i for i in (self._locations.id_of(n) for n in (HOLD_LOCATION, REPAIR_LOCATION)) if i]
        return ["|", ["location_id", "child_of", held or [0]], *(["|", *overridden, *old] if overridden else old)]

    def units_on_hand(self, retest_before: date | None = None, grades: Iterable[str] = ()) -> list[ReviewUnit]:
        """Every graded serial on hand in WH/Stock, WH/Hold or WH/Repair (for the figures, which need each unit's
        technician); with `retest_before`, only those a queue shows (≤ 3 RPCs, ~2 KB of properties a lot)."""
        self._catalogue.ensure_loaded()
        variant_ids = self._catalogue.variant_ids()
        places = self._places()
        if not variant_ids:
            return []
        quants = self._conn.call(
            "stock.quant",
            "search_read",
            # our three locations and their shelves; not "product_id in <every variant>" (long for Odoo to
            # check on every quant): a unit of a model that is not ours is dropped below
            [[["location_id", "child_of", self._location_ids()], ["lot_id", "!=", False], ["quantity", ">", 0],
              *([] if retest_before is None else self._queue_domain(grades, retest_before))]],
            {"fields": _QUANT_FIELDS, "order": "id"},
            what="read the units on hand",
        )
        kept = []
        for quant in quants:
            variant = self._catalogue.variant(m2o_id(quant.get("product_id")) or 0)
            location = m2o_name(quant.get("location_id"))
            place = next((p for name, p in places.items() if _inside(location, name)), None)
            if variant is not None and place is not None:  # not another warehouse's shelf, one of our models
                kept.append((quant, variant, location, place))
        lot_ids = sorted({m2o_id(q.get("lot_id")) for q, *_ in kept} - {None})
        props = self._lots.read(lot_ids, complete=retest_before is None)
        units = []
        for quant, variant, location, place in kept:
            lot_id = m2o_id(quant.get("lot_id")) or 0
            lot_props = props.get(lot_id, {})
            units.append(ReviewUnit(
                serial=m2o_name(quant.get("lot_id")), lot_id=lot_id, variant_id=variant.variant_id,
                template_id=variant.template_id, model_name=variant.model_name, category=variant.category,
                grade=text(lot_props.get("grade")) or variant.grade or "", location=location, place=place,
                in_date=text(quant.get("in_date")), new_price=float(variant.new_price or 0), props=lot_props,
            ))
        return units

    def units_by_serial(self, serials: list[str]) -> dict[str, ReviewUnit]:
        """The newest lot of each serial, on hand or not (a sold unit's grading stays on its lot), in 1 RPC;
        `place` is "" when the unit is not on hand (sold), and `location` what the lot last said."""
        if not serials:
            return {}
        self._catalogue.ensure_loaded()
        rows = self._conn.call(
            "stock.lot", "search_read", [[["name", "in", sorted(set(serials))]]],
            {"fields": ["name", "product_id", "product_qty", "location_id", "lot_properties"], "order": "id"},
            what="look the returned units up",
        )
        found: dict[str, ReviewUnit] = {}
        places = self._places()
        for row in rows:  # oldest first: a newer lot (a re-grade) replaces an older one, a live one a dead one
            serial = text(row.get("name"))
            variant = self._catalogue.variant(m2o_id(row.get("product_id")) or 0)
            if variant is None:
                continue
            live = float(row.get("product_qty") or 0) > 0
            if serial in found and found[serial].place and not live:
                continue
            location = m2o_name(row.get("location_id")) if live else ""
            props = properties_dict(row.get("lot_properties"))
            found[serial] = ReviewUnit(
                serial=serial, lot_id=row["id"], variant_id=variant.variant_id, template_id=variant.template_id,
                model_name=variant.model_name, category=variant.category,
                grade=text(props.get("grade")) or variant.grade or "", location=location,
                place=next((p for name, p in places.items() if _inside(location, name)), "") if live else "",
                in_date="", new_price=float(variant.new_price or 0), props=props,
            )
        return found
