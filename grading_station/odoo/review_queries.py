"""The units on hand for the supervisor's queues: every serial in the warehouse's internal locations, with the
properties of only the lots a queue shows (held/repair, battery re-test, override), in ≤ 3 RPCs."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from datetime import date

from grading_station.domain.review import HOLD, REPAIR, STOCK, ReviewUnit

from grading_station.odoo.catalogue import Catalogue
from grading_station.odoo.connection import OdooConnection
from grading_station.odoo.locations import Locations
from grading_station.odoo.mappers import m2o_id, m2o_name, properties_dict, text
from grading_station.odoo.schema import HOLD_LOCATION, REPAIR_LOCATION

FULL_READ_EVERY_S = 300.0
_QUANT_FIELDS = ["lot_id", "product_id", "location_id", "in_date"]


def _inside(location: str, target: str) -> bool:
    return bool(target) and (location == target or location.startswith(target + "/"))


class ReviewQueries:
    """Reads the quants with a lot (where each unit really is: stock.lot.location_id is not recomputed when only a
    quant changes), then those lots' properties; model, grade and category come from the catalogue cache."""

    def __init__(self, connection: OdooConnection, catalogue: Catalogue, locations: Locations) -> None:
        self._conn = connection
        self._catalogue = catalogue
        self._locations = locations
        # lot id -> (write_date, properties): a later reading reads again only the lots written since (a lot's
        # properties are ~2 KB as Odoo reads them, 10 MB for 5,000 units; their write dates 50 bytes)
        self._props: dict[int, tuple[str, dict]] = {}
        self._full_at = time.monotonic()
        self._lock = threading.Lock()

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

    def _properties(self, lot_ids: list[int]) -> dict[int, dict]:
        """The properties of these lots, read again only for the lots written since they were last read: their
        write dates (1 RPC, small), then the properties of the new and changed ones (1 RPC, skipped when none)."""
        if not lot_ids:
            return {}
        with self._lock:
            if time.monotonic() - self._full_at > FULL_READ_EVERY_S:
                # write dates have one-second steps: a lot written twice in the second of a reading would keep
                # its older properties; a full reading now and then bounds that
                self._props, self._full_at = {}, time.monotonic()
            known = dict(self._props)
        if known:
            dates = self._conn.call("stock.lot", "read", [lot_ids, ["write_date"]], what="check the units' changes")
            todo = [row["id"] for row in dates
                    if row["id"] not in known or known[row["id"]][0] != text(row.get("write_date"))]
        else:
            todo = lot_ids
        rows = self._conn.call("stock.lot", "read", [todo, ["lot_properties", "write_date"]],
                               what="read the units' properties") if todo else []
        fresh = {row["id"]: (text(row.get("write_date")), properties_dict(row.get("lot_properties"))) for row in rows}
        wanted = set(lot_ids)
        merged = {i: v for i, v in {**known, **fresh}.items() if i in wanted}
        with self._lock:  # the figures' reading of every lot and the queues' share one cache
            self._props.update(fresh)
        return {i: v[1] for i, v in merged.items()}

    def _queue_domain(self, grades: Iterable[str], retest_before: date) -> list:
        """The quants a queue shows, Odoo filtering on the lot's property paths: every one in WH/Hold or WH/Repair,
        and of those in stock the overridden ones (suggested grade ≠ grade) or those taken in and tested on or
        before `retest_before` (a superset: the queue rules decide per category)."""
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
        props = self._properties(sorted({m2o_id(q.get("lot_id")) for q, *_ in kept} - {None}))
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
