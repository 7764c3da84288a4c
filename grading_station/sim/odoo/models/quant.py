"""stock.quant with inventory mode (auto-apply, apply, purge) and the moves/move lines stock changes leave."""

from __future__ import annotations

from typing import Any

from grading_station.sim.odoo.errors import validation_error
from grading_station.sim.odoo.logic import ModelLogic
from grading_station.sim.odoo.models.stock import ADJUSTMENT_LOCATION, lot_quants
from grading_station.sim.odoo.orm import Env, Orm

_INVENTORY_ACTION = {
    "name": "Inventory Adjustments",
    "view_mode": "list",
    "res_model": "stock.quant",
    "type": "ir.actions.act_window",
    "context": {"default_location_id": 8, "hide_location": True, "inventory_mode": True, "no_at_date": True},
    "domain": [["location_id.usage", "in", ["internal", "transit"]]],
    "views": [[938, "list"]],
    "help": (
        '\n                <p class="o_view_nocontent_smiling_face">\n                    Your stock is '
        "currently empty\n                </p><p>\n                    Press the CREATE button to define "
        "quantity for each product in your stock or import them from a spreadsheet throughout Favorites "
        '<span class="fa fa-long-arrow-right"/> Import</p>\n                '
    ),
}


def find_quant(env: Env, product: int, location: int, lot: Any) -> dict[str, Any] | None:
    if lot:
        candidates = lot_quants(env.orm, lot)
    else:
        candidates = [q for q in env.db.tables["stock.quant"].values() if not q.get("lot_id")]
    for quant in candidates:
        if quant["product_id"] == product and quant["location_id"] == location:
            return quant
    return None


def new_quant(env: Env, product: int, location: int, lot: Any, quantity: float = 0.0) -> int:
    rid = env.db.next_id("stock.quant")
    now = env.now()
    env.db.insert(
        "stock.quant",
        {
            "id": rid,
            "product_id": product,
            "location_id": location,
            "lot_id": lot or False,
            "quantity": float(quantity),
            "reserved_quantity": 0.0,
            "inventory_quantity": 0.0,
            "inventory_quantity_set": False,
            "inventory_diff_quantity": -float(quantity),
            "in_date": now,
            "company_id": 1,
            "create_date": now,
            "write_date": now,
            "create_uid": env.uid,
            "write_uid": env.uid,
        },
    )
    if lot:
        env.mark_dirty("stock.lot", lot)
    return rid


def update_available(env: Env, product: int, location: int, lot: Any, delta: float) -> int:
    quant = find_quant(env, product, location, lot)
    if quant is None:
        return new_quant(env, product, location, lot, delta)
    env.db.set("stock.quant", quant["id"], "quantity", quant["quantity"] + delta)
    return quant["id"]


def done_move(
    env: Env, product: int, lot: Any, src: int, dest: int, qty: float, name: str, **extra: Any
) -> tuple[int, int]:
    """A done stock.move with its move line, and the quants it moves."""
    now = env.now()
    move_vals = {
        "name": name,
        "reference": name,
        "product_id": product,
        "location_id": src,
        "location_dest_id": dest,
        "product_uom_qty": qty,
        "quantity": qty,
        "state": "done",
        "date": now,
        "product_uom": 1,
        "company_id": 1,
        "is_inventory": name == "Product Quantity Updated",
        "picked": True,
        **extra,
    }
    move_id = env.orm.create(env, "stock.move", [move_vals])[0]
    line_id = env.orm.create(
        env,
        "stock.move.line",
        [
            {
                "move_id": move_id,
                "product_id": product,
                "lot_id": lot or False,
                "location_id": src,
                "location_dest_id": dest,
                "quantity": qty,
                "state": "done",
                "reference": name,
                "date": now,
                "picked": True,
                "company_id": 1,
                "product_uom_id": 1,
                "picking_id": extra.get("picking_id", False),
            }
        ],
    )[0]
    update_available(env, product, src, lot, -qty)
    update_available(env, product, dest, lot, qty)
    return move_id, line_id


def apply_inventory(env: Env, quant_id: int, target: float) -> None:
    quant = env.db.tables["stock.quant"][quant_id]
    diff = float(target) - quant["quantity"]
    if diff:
        src, dest = (
            (ADJUSTMENT_LOCATION, quant["location_id"])
            if diff > 0
            else (quant["location_id"], ADJUSTMENT_LOCATION)
        )
        done_move(
            env, quant["product_id"], quant.get("lot_id"), src, dest, abs(diff), "Product Quantity Updated"
        )
    for name, value in (
        ("inventory_quantity", 0.0),
        ("inventory_quantity_set", False),
        ("inventory_diff_quantity", 0.0),
    ):
        env.db.set("stock.quant", quant_id, name, value)


class Quant(ModelLogic):
    model = "stock.quant"
    not_null = ("product_id", "location_id")

    def __init__(self) -> None:
        super().__init__()
        self.computes["available_quantity"] = lambda orm, rec: rec["quantity"] - rec["reserved_quantity"]
        self.computes["inventory_quantity_auto_apply"] = lambda orm, rec: rec["quantity"]
        self.methods["action_apply_inventory"] = self.action_apply_inventory
        self.methods["action_view_inventory"] = self.action_view_inventory
        self.model_methods.add("action_view_inventory")

    def display_name(self, orm: Orm, rec: dict[str, Any]) -> str:
        location = orm.name_of("stock.location", rec["location_id"])
        return f"{location} - {orm.name_of('product.product', rec['product_id'])}"

    def read_properties(self, orm: Orm, rec: dict[str, Any], field: str) -> list[dict[str, Any]]:
        lot = orm.record("stock.lot", rec.get("lot_id") or 0)
        return orm.logic("stock.lot").read_properties(orm, lot, "lot_properties") if lot else []

    def create_instead(self, env: Env, vals: dict[str, Any]) -> int | None:
        auto = vals.pop("inventory_quantity_auto_apply", None)
        counted = vals.pop("inventory_quantity", None)
        for name in ("product_id", "location_id", "lot_id"):
            if name in vals:
                vals[name] = env.orm.convert(env, self.model, name, vals[name], None)
        product, location, lot = vals.get("product_id"), vals.get("location_id"), vals.get("lot_id", False)
        inventory_mode = bool(env.context.get("inventory_mode"))
        quant = find_quant(env, product, location, lot) if inventory_mode and product and location else None
        if quant is None:
            if not product or not location:
                return None  # the generic create reports the missing mandatory field
            quant_id = new_quant(env, product, location, lot)
        else:
            quant_id = quant["id"]
        if not inventory_mode:
            return quant_id
        if auto is not None:
            apply_inventory(env, quant_id, auto)
        elif counted is not None:
            env.db.set(self.model, quant_id, "inventory_quantity", float(counted))
            env.db.set(self.model, quant_id, "inventory_quantity_set", True)
            current = env.db.tables[self.model][quant_id]["quantity"]
            env.db.set(self.model, quant_id, "inventory_diff_quantity", float(counted) - current)
        return quant_id

    def action_apply_inventory(self, env: Env, ids: list[int]) -> None:
        for rid in ids:
            quant = env.db.tables[self.model][rid]
            apply_inventory(env, rid, quant["inventory_quantity"])
        return None

    def action_view_inventory(self, env: Env, ids: list[int]) -> dict[str, Any]:
        # Opening the Physical Inventory purges zero quants (Odoo's _quant_tasks / _unlink_zero_quants).
        for rid in [
            q["id"]
            for q in env.db.tables[self.model].values()
            if q["quantity"] == 0 and q["reserved_quantity"] == 0 and not q["inventory_quantity_set"]
        ]:
            env.db.delete(self.model, rid)
        return dict(_INVENTORY_ACTION)


class Move(ModelLogic):
    model = "stock.move"

    def display_name(self, orm: Orm, rec: dict[str, Any]) -> str:
        picking = orm.record("stock.picking", rec.get("picking_id") or 0)
        origin = picking.get("origin") if picking else False
        code = orm.value(
            "product.product", orm.db.tables["product.product"][rec["product_id"]], "default_code"
        )
        src = orm.db.tables["stock.location"][rec["location_id"]]["name"]
        dest = orm.db.tables["stock.location"][rec["location_dest_id"]]["name"]
        return f"{origin + '/' if origin else ''}{code + ': ' if code else ''}{src}>{dest}"

    def before_write(self, env: Env, ids: list[int], vals: dict[str, Any]) -> None:
        if "lot_ids" in vals:
            cmds = vals["lot_ids"]
            lot_ids = cmds[0][2] if cmds and isinstance(cmds[0], list) and cmds[0][0] == 6 else cmds
            for rid in ids:
                move = env.db.tables[self.model][rid]
                for lot_id in lot_ids:
                    lot = env.db.tables["stock.lot"].get(lot_id)
                    if lot and lot["product_id"] != move["product_id"]:
                        raise validation_error(
                            f"This lot {lot['name']} is incompatible with this product "
                            f"{env.orm.name_of('product.product', move['product_id'])}"
                        )


class MoveLine(ModelLogic):
    model = "stock.move.line"
    order = "result_package_id desc, id"
    rec_name = None

    def display_name(self, orm: Orm, rec: dict[str, Any]) -> str:
        return orm.name_of("product.product", rec["product_id"])

    def defaults(self, env: Env, vals: dict[str, Any]) -> dict[str, Any]:
        """A line created on a move takes the move's product, locations and picking (as Odoo computes them)."""
        move = env.db.tables["stock.move"].get(vals.get("move_id") or 0)
        if move is None:
            return {}
        return {
            "product_id": move["product_id"], "location_id": move["location_id"],
            "location_dest_id": move["location_dest_id"], "picking_id": move.get("picking_id") or False,
            "state": "assigned", "lot_name": False, "product_uom_id": 1, "company_id": 1, "date": env.now(),
            "reference": move.get("reference") or False, "picked": False, "quantity": 1.0,
        }

    def before_create(self, env: Env, vals: dict[str, Any]) -> None:
        lot = env.db.tables["stock.lot"].get(vals.get("lot_id") or 0)
        move = env.db.tables["stock.move"].get(vals.get("move_id") or 0)
        if lot is not None and move is not None and lot["product_id"] != move["product_id"]:
            location = env.db.tables["stock.location"][move["location_id"]]["name"]
            raise validation_error(f"The Lot/Serial number ({location}) is linked to another product.")

    def after_create(self, env: Env, rid: int, vals: dict[str, Any]) -> None:
        line = env.db.tables[self.model][rid]
        # a line the picker adds (picked) reserves its serial; action_confirm's lines reserved theirs already
        if line.get("lot_id") and line.get("state") == "assigned" and line.get("picked"):
            quant = find_quant(env, line["product_id"], line["location_id"], line["lot_id"])
            if quant is not None:
                env.db.set("stock.quant", quant["id"], "reserved_quantity",
                           quant["reserved_quantity"] + line.get("quantity", 0.0))

    def before_write(self, env: Env, ids: list[int], vals: dict[str, Any]) -> None:
        if not vals.get("lot_id"):
            return
        lot = env.db.tables["stock.lot"].get(vals["lot_id"])
        for rid in ids:
            line = env.db.tables[self.model][rid]
            if lot is None or line.get("state") == "done" or line.get("lot_id") == vals["lot_id"]:
                continue
            if lot["product_id"] != line["product_id"]:
                # Odoo re-reserves through a quant of the wrong product whose check fails (its id is used).
                env.db.next_id("stock.quant")
                location = env.db.tables["stock.location"][line["location_id"]]["name"]
                raise validation_error(f"The Lot/Serial number ({location}) is linked to another product.")
            _move_reservation(env, line, vals["lot_id"])


def _move_reservation(env: Env, line: dict[str, Any], new_lot: int) -> None:
    qty = line.get("quantity", 0.0)
    old = find_quant(env, line["product_id"], line["location_id"], line.get("lot_id"))
    if old is not None and line.get("lot_id"):
        env.db.set("stock.quant", old["id"], "reserved_quantity", max(0.0, old["reserved_quantity"] - qty))
    new = find_quant(env, line["product_id"], line["location_id"], new_lot)
    if new is not None:
        env.db.set("stock.quant", new["id"], "reserved_quantity", new["reserved_quantity"] + qty)


def register(registry: Any) -> None:
    for cls in (Quant, Move, MoveLine):
        registry.add(cls())
