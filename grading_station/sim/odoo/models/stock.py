"""Stock: locations, warehouse, lots with properties, quants with inventory mode, moves and move lines."""

from __future__ import annotations

from typing import Any

from grading_station.sim.odoo.errors import foreign_key_error, user_error, validation_error
from grading_station.sim.odoo.logic import ModelLogic
from grading_station.sim.odoo.models import chatter
from grading_station.sim.odoo.orm import Env, Orm

ADJUSTMENT_LOCATION = 14
CUSTOMERS_LOCATION = 5


class Location(ModelLogic):
    model = "stock.location"
    order = "complete_name, id"
    rec_name = "complete_name"
    not_null = ("name",)

    def __init__(self) -> None:
        super().__init__()
        self.computes.update(complete_name=self._complete_name, warehouse_id=self._warehouse)

    def _complete_name(self, orm: Orm, rec: dict[str, Any]) -> str:
        parent = orm.record(self.model, rec.get("location_id") or 0)
        if parent and rec.get("usage") != "view":
            return f"{self._complete_name(orm, parent)}/{rec['name']}"
        return rec["name"]

    def _warehouse(self, orm: Orm, rec: dict[str, Any]) -> Any:
        chain = orm.parent_path_ids(self.model, rec["id"])
        for wh in orm.db.tables["stock.warehouse"].values():
            if wh["view_location_id"] in chain:
                return wh["id"]
        return False

    def defaults(self, env: Env, vals: dict[str, Any]) -> dict[str, Any]:
        return {"usage": "internal", "active": True, "company_id": 1, "scrap_location": False}


class PickingType(ModelLogic):
    model = "stock.picking.type"

    def display_name(self, orm: Orm, rec: dict[str, Any]) -> str:
        return f"{orm.name_of('stock.warehouse', rec.get('warehouse_id'))}: {rec['name']}"


def lot_definition(orm: Orm, lot: dict[str, Any]) -> list[dict[str, Any]]:
    product = orm.record("product.product", lot.get("product_id") or 0)
    return list(product.get("lot_properties_definition") or []) if product else []


def _internal(orm: Orm, location_id: Any) -> bool:
    loc = orm.record("stock.location", location_id or 0)
    return bool(loc) and loc.get("usage") == "internal"


def lot_quants(orm: Orm, lot_id: int) -> list[dict[str, Any]]:
    ids = orm.db.lookup("stock.quant", "lot_id", lot_id) or set()
    return [orm.db.tables["stock.quant"][i] for i in sorted(ids)]


def _lot_quantity(orm: Orm, rec: dict[str, Any]) -> float:
    """stock.lot.product_qty: the quantity in internal locations (hot path of stock searches)."""
    quants = orm.db.tables["stock.quant"]
    locations = orm.db.tables["stock.location"]
    total = 0.0
    for qid in orm.db.peek("stock.quant", "lot_id", rec["id"]):
        quant = quants[qid]
        location = locations.get(quant["location_id"])
        if location is not None and location.get("usage") == "internal":
            total += quant["quantity"]
    return total


class Lot(ModelLogic):
    model = "stock.lot"
    order = "name, id"
    not_null = ("product_id",)
    inverses = {"quant_ids": "lot_id"}

    def __init__(self) -> None:
        super().__init__()
        self.computes.update(
            product_qty=_lot_quantity,
            product_uom_id=lambda orm, rec: 1,
            display_complete=lambda orm, rec: True,
            delivery_ids=self._deliveries,
            delivery_count=lambda orm, rec: len(self._deliveries(orm, rec)),
            last_delivery_partner_id=self._last_partner,
            sale_order_ids=self._sale_orders,
            sale_order_count=lambda orm, rec: len(self._sale_orders(orm, rec)),
        )
        chatter.install(self)

    def defaults(self, env: Env, vals: dict[str, Any]) -> dict[str, Any]:
        defaults: dict[str, Any] = {"company_id": False, "lot_properties": {}, "location_id": False}
        if not vals.get("name"):
            defaults["name"] = f"{env.db.next_id('ir.sequence.stock.lot.serial'):07d}"
        return defaults

    @staticmethod
    def _done_delivery_lines(orm: Orm, rec: dict[str, Any]) -> list[dict[str, Any]]:
        ids = orm.db.lookup("stock.move.line", "lot_id", rec["id"]) or set()
        lines = [orm.db.tables["stock.move.line"][i] for i in sorted(ids)]
        return [
            ml
            for ml in lines
            if ml.get("state") == "done" and ml.get("location_dest_id") == CUSTOMERS_LOCATION
        ]

    def _deliveries(self, orm: Orm, rec: dict[str, Any]) -> list[int]:
        return sorted(
            {ml["picking_id"] for ml in self._done_delivery_lines(orm, rec) if ml.get("picking_id")}
        )

    def _last_partner(self, orm: Orm, rec: dict[str, Any]) -> Any:
        pickings = self._deliveries(orm, rec)
        return orm.db.tables["stock.picking"][pickings[-1]].get("partner_id", False) if pickings else False

    def _sale_orders(self, orm: Orm, rec: dict[str, Any]) -> list[int]:
        pickings = [orm.db.tables["stock.picking"][p] for p in self._deliveries(orm, rec)]
        return sorted({p["sale_id"] for p in pickings if p.get("sale_id")})

    # -- properties -----------------------------------------------------------------------------------------
    def convert_write_value(self, env: Env, field: str, value: Any, rec: dict[str, Any] | None) -> Any:
        if isinstance(value, list):
            return {p["name"]: p.get("value", False) for p in value if isinstance(p, dict) and "name" in p}
        return dict(value) if isinstance(value, dict) else {}

    def _filter_properties(self, env: Env, rid: int) -> None:
        rec = env.db.tables[self.model][rid]
        names = {d["name"] for d in lot_definition(env.orm, rec)}
        current = rec.get("lot_properties") or {}
        # A write replaces the whole value: only the defined names are kept, the others read as False.
        filtered = {k: v for k, v in current.items() if k in names}
        if filtered != current:
            env.db.set(self.model, rid, "lot_properties", filtered)

    def read_properties(self, orm: Orm, rec: dict[str, Any], field: str) -> list[dict[str, Any]]:
        values = rec.get("lot_properties") or {}
        result = []
        for definition in lot_definition(orm, rec):
            value = values.get(definition["name"], False)
            if definition["type"] == "selection" and not any(k == value for k, _ in definition.get("selection", [])):
                value = False
            result.append({**definition, "value": value if value is not None else False})
        return result

    # -- lifecycle ------------------------------------------------------------------------------------------
    def after_create(self, env: Env, rid: int, vals: dict[str, Any]) -> None:
        self._filter_properties(env, rid)
        chatter.log_creation(env, self.model, rid, "<p>Lot/Serial created</p>")

    def check_create_batch(self, env: Env, ids: list[int]) -> None:
        self._check_unique(env, ids)

    def _check_unique(self, env: Env, ids: list[int]) -> None:
        duplicates = []
        for rid in ids:
            rec = env.db.tables[self.model][rid]
            same = env.db.lookup(self.model, "name", rec["name"]) or set()
            clash = [
                o
                for o in same
                if o != rid
                and env.db.tables[self.model][o]["product_id"] == rec["product_id"]
                and env.db.tables[self.model][o].get("company_id") == rec.get("company_id")
            ]
            if clash:
                key = (rec["product_id"], rec["name"])
                if key not in duplicates:
                    duplicates.append(key)
        if duplicates:
            lines = "\n".join(
                f" - Product: {env.orm.name_of('product.product', p)}, Lot/Serial Number: {n}"
                for p, n in duplicates
            )
            raise validation_error(
                "The combination of lot/serial number and product must be unique within a company "
                "including when "
                f"no company is defined.\nThe following combinations contain duplicates:\n{lines}"
            )

    def before_write(self, env: Env, ids: list[int], vals: dict[str, Any]) -> None:
        if "product_id" in vals:
            for rid in ids:
                moved = env.db.lookup("stock.move.line", "lot_id", rid)
                if moved and env.db.tables[self.model][rid]["product_id"] != vals["product_id"]:
                    raise user_error(
                        "You are not allowed to change the product linked to a serial or lot number if some "
                        "stock moves have already been created with that number. This would lead to "
                        "inconsistencies in "
                        "your stock."
                    )

    def after_write(self, env: Env, ids: list[int], vals: dict[str, Any]) -> None:
        if "lot_properties" in vals or "product_id" in vals:
            for rid in ids:
                self._filter_properties(env, rid)
        if "name" in vals or "product_id" in vals:
            self._check_unique(env, ids)

    def before_unlink(self, env: Env, ids: list[int]) -> None:
        for rid in ids:
            if env.db.lookup("stock.quant", "lot_id", rid):
                raise foreign_key_error("Quants", "stock.quant", "stock_quant_lot_id_fkey")

    def recompute(self, env: Env, ids: set[int]) -> None:
        for rid in ids:
            recompute_lot_location(env, rid)

    def after_unlink(self, env: Env, ids: list[int], recs: list[dict[str, Any]]) -> None:
        for rid in ids:
            for ml in sorted(env.db.lookup("stock.move.line", "lot_id", rid) or ()):
                env.db.set("stock.move.line", ml, "lot_id", False)
            chatter.purge(env, self.model, rid)


def recompute_lot_location(env: Env, lot_id: Any) -> None:
    """stock.lot.location_id is stored and recomputed only when the lot's set of quants changes."""
    if not lot_id or lot_id not in env.db.tables["stock.lot"]:
        return
    locations = {q["location_id"] for q in lot_quants(env.orm, lot_id) if q["quantity"] > 0}
    env.db.set("stock.lot", lot_id, "location_id", locations.pop() if len(locations) == 1 else False)


def register(registry: Any) -> None:
    for cls in (Location, PickingType, Lot):
        registry.add(cls())
