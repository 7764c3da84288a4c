"""Deliveries: stock.picking validation (quants move, serials leave) and the confirm.stock.sms wizard."""

from __future__ import annotations

from typing import Any

from grading_station.sim.odoo.errors import user_error
from grading_station.sim.odoo.logic import ModelLogic
from grading_station.sim.odoo.models import chatter
from grading_station.sim.odoo.models.quant import find_quant, update_available
from grading_station.sim.odoo.orm import Env

SMS_ACTION_VIEW = 1182
BACKORDER_ACTION_VIEW = 1171


def _picking_lines(env: Env, picking_id: int) -> list[dict[str, Any]]:
    return [ml for ml in env.db.tables["stock.move.line"].values() if ml.get("picking_id") == picking_id]


def _short_moves(env: Env, picking_id: int) -> list[dict[str, Any]]:
    """Moves whose picked quantity is below their demand, once anything of the picking is picked (with nothing
    picked, Odoo 18 validates every reserved line as picked)."""
    lines = _picking_lines(env, picking_id)
    if not any(ml.get("picked") for ml in lines):
        return []
    short = []
    for move in [m for m in env.db.tables["stock.move"].values() if m.get("picking_id") == picking_id]:
        picked = sum(ml["quantity"] for ml in lines if ml.get("move_id") == move["id"] and ml.get("picked"))
        if picked < move.get("product_uom_qty", 0):
            short.append(move)
    return short


class Picking(ModelLogic):
    model = "stock.picking"
    order = "priority desc, scheduled_date asc, id desc"
    inverses = {"move_ids": "picking_id", "move_line_ids": "picking_id"}

    def __init__(self) -> None:
        super().__init__()
        self.computes["picking_type_code"] = lambda orm, rec: orm.db.tables["stock.picking.type"][
            rec["picking_type_id"]
        ]["code"]
        self.methods["button_validate"] = self.button_validate
        chatter.install(self)

    def defaults(self, env: Env, vals: dict[str, Any]) -> dict[str, Any]:
        return {"date_done": False, "priority": "0", "move_type": "direct"}

    def after_create(self, env: Env, rid: int, vals: dict[str, Any]) -> None:
        chatter.log_creation(env, self.model, rid, "<p>Transfer created</p>")

    def button_validate(self, env: Env, ids: list[int]) -> Any:
        for rid in ids:
            if env.db.tables[self.model][rid]["state"] in ("done", "cancel"):
                raise user_error(
                    "You cannot validate a transfer if no quantities are reserved. To force the "
                    "transfer, encode quantities."
                )
        if not env.context.get("skip_sms"):
            wizard = self._sms_wizard(env, ids)
            if wizard is not None:
                return wizard
        if not env.context.get("skip_backorder"):
            short = [rid for rid in ids if _short_moves(env, rid)]
            if short:
                # Odoo 18: picked less than the demand -> "Create Backorder?" (stock.backorder.confirmation)
                wizard_id = env.orm.create(env, "stock.backorder.confirmation", [{"pick_ids": [[6, 0, ids]]}])[0]
                return {
                    "name": "Create Backorder?",
                    "type": "ir.actions.act_window",
                    "view_mode": "form",
                    "res_model": "stock.backorder.confirmation",
                    "views": [[BACKORDER_ACTION_VIEW, "form"]],
                    "view_id": BACKORDER_ACTION_VIEW,
                    "target": "new",
                    "res_id": wizard_id,
                    "context": {"button_validate_picking_ids": list(ids), "default_pick_ids": [[4, p] for p in ids]},
                }
        for rid in ids:
            validate_picking(env, rid)
        return True

    def _sms_wizard(self, env: Env, ids: list[int]) -> dict[str, Any] | None:
        company = env.db.tables["res.company"][1]
        if not company.get("stock_move_sms_validation") or company.get("has_received_warning_stock_sms"):
            return None
        for rid in ids:
            picking = env.db.tables[self.model][rid]
            partner = env.db.tables["res.partner"].get(picking.get("partner_id"), {})
            if env.orm.value(self.model, picking, "picking_type_code") == "outgoing" and (
                partner.get("phone") or partner.get("mobile")
            ):
                wizard_id = env.orm.create(env, "confirm.stock.sms", [{"pick_ids": [[6, 0, ids]]}])[0]
                return {
                    "name": "SMS",
                    "type": "ir.actions.act_window",
                    "view_mode": "form",
                    "res_model": "confirm.stock.sms",
                    "views": [[SMS_ACTION_VIEW, "form"]],
                    "view_id": SMS_ACTION_VIEW,
                    "target": "new",
                    "res_id": wizard_id,
                    "context": {"button_validate_picking_ids": list(ids)},
                }
        return None


def validate_picking(env: Env, picking_id: int) -> None:
    """Mark the reserved move lines picked and done, moving their quants to the destination."""
    orm = env.orm
    now = env.now()
    picking = env.db.tables["stock.picking"][picking_id]
    any_picked = any(ml.get("picked") for ml in _picking_lines(env, picking_id))
    for move_id in orm.value("stock.picking", picking, "move_ids"):
        move = env.db.tables["stock.move"][move_id]
        lines = [ml for ml in env.db.tables["stock.move.line"].values() if ml.get("move_id") == move_id]
        if any_picked:  # only what the picker marked picked leaves; the rest was split off or dropped before
            lines = [ml for ml in lines if ml.get("picked")]
        for ml in lines:
            source = find_quant(env, ml["product_id"], ml["location_id"], ml.get("lot_id"))
            if source is not None:
                env.db.set(
                    "stock.quant",
                    source["id"],
                    "reserved_quantity",
                    max(0.0, source["reserved_quantity"] - ml["quantity"]),
                )
            update_available(env, ml["product_id"], ml["location_id"], ml.get("lot_id"), -ml["quantity"])
            update_available(env, ml["product_id"], ml["location_dest_id"], ml.get("lot_id"), ml["quantity"])
            for name, value in (("state", "done"), ("picked", True), ("date", now)):
                env.db.set("stock.move.line", ml["id"], name, value)
        env.db.set("stock.move", move["id"], "state", "done")
        env.db.set("stock.move", move["id"], "picked", True)
    env.db.set("stock.picking", picking_id, "state", "done")
    chatter.log_tracking(env, "stock.picking", picking_id)
    env.db.set("stock.picking", picking_id, "date_done", now)


def cancel_picking(env: Env, picking_id: int) -> None:
    """Cancel a not yet done picking: its reservations are released."""
    if env.db.tables["stock.picking"][picking_id]["state"] == "done":
        return
    for ml in [m for m in env.db.tables["stock.move.line"].values() if m.get("picking_id") == picking_id]:
        quant = find_quant(env, ml["product_id"], ml["location_id"], ml.get("lot_id"))
        if quant is not None:
            env.db.set(
                "stock.quant",
                quant["id"],
                "reserved_quantity",
                max(0.0, quant["reserved_quantity"] - ml["quantity"]),
            )
        env.db.delete("stock.move.line", ml["id"])
    for move in [m for m in env.db.tables["stock.move"].values() if m.get("picking_id") == picking_id]:
        env.db.set("stock.move", move["id"], "state", "cancel")
    env.db.set("stock.picking", picking_id, "state", "cancel")


class ConfirmSms(ModelLogic):
    model = "confirm.stock.sms"
    rec_name = None

    def __init__(self) -> None:
        super().__init__()
        self.methods["dont_send_sms"] = self.dont_send_sms
        self.methods["send_sms"] = self.send_sms

    def _finish(self, env: Env, ids: list[int], disable: bool) -> bool:
        if disable:
            env.db.set("res.company", 1, "stock_move_sms_validation", False)
        env.db.set("res.company", 1, "has_received_warning_stock_sms", True)
        pickings = env.context.get("button_validate_picking_ids") or [
            p for rid in ids for p in env.db.tables[self.model][rid].get("pick_ids", [])
        ]
        for picking_id in pickings:
            if env.db.tables["stock.picking"][picking_id]["state"] != "done":
                validate_picking(env, picking_id)
        return True

    def dont_send_sms(self, env: Env, ids: list[int]) -> bool:
        return self._finish(env, ids, disable=True)

    def send_sms(self, env: Env, ids: list[int]) -> bool:
        return self._finish(env, ids, disable=False)


class BackorderConfirmation(ModelLogic):
    """"Create Backorder?": `process` moves what is not picked to a new delivery (WH/OUT/xxxxx, backorder_id
    set), `process_cancel_backorder` drops it; then the picked part is validated."""

    model = "stock.backorder.confirmation"
    rec_name = None

    def __init__(self) -> None:
        super().__init__()
        self.methods["process"] = lambda env, ids: self._finish(env, ids, keep=True)
        self.methods["process_cancel_backorder"] = lambda env, ids: self._finish(env, ids, keep=False)

    def _finish(self, env: Env, ids: list[int], keep: bool) -> bool:
        pickings = env.context.get("button_validate_picking_ids") or [
            p for rid in ids for p in env.db.tables[self.model][rid].get("pick_ids", [])
        ]
        for picking_id in pickings:
            if env.db.tables["stock.picking"][picking_id]["state"] in ("done", "cancel"):
                continue
            short = _short_moves(env, picking_id)
            if short and keep:
                _split_backorder(env, picking_id, short)
            elif short:
                for ml in [m for m in _picking_lines(env, picking_id) if not m.get("picked")]:
                    quant = find_quant(env, ml["product_id"], ml["location_id"], ml.get("lot_id"))
                    if quant is not None:
                        env.db.set("stock.quant", quant["id"], "reserved_quantity",
                                   max(0.0, quant["reserved_quantity"] - ml["quantity"]))
                    env.db.delete("stock.move.line", ml["id"])
            validate_picking(env, picking_id)
        return True


def _split_backorder(env: Env, picking_id: int, short: list[dict[str, Any]]) -> int:
    picking = env.db.tables["stock.picking"][picking_id]
    seq = env.db.next_id("ir.sequence.picking.out")
    fields = ("picking_type_id", "location_id", "location_dest_id", "partner_id", "origin", "sale_id", "company_id")
    backorder = env.orm.create(env, "stock.picking", [{
        **{f: picking.get(f) for f in fields}, "name": f"WH/OUT/{seq:05d}", "state": "assigned",
        "scheduled_date": picking.get("scheduled_date"), "backorder_id": picking_id,
    }])[0]
    for move in short:
        lines = [ml for ml in _picking_lines(env, picking_id) if ml.get("move_id") == move["id"]]
        picked = sum(ml["quantity"] for ml in lines if ml.get("picked"))
        remaining = move["product_uom_qty"] - picked
        new_move = env.orm.create(env, "stock.move", [{
            **{k: move.get(k) for k in ("name", "product_id", "product_uom", "location_id", "location_dest_id",
                                         "sale_line_id", "origin", "company_id")},
            "picking_id": backorder, "product_uom_qty": remaining, "quantity": remaining, "state": "assigned",
            "reference": env.db.tables["stock.picking"][backorder]["name"], "picked": False,
        }])[0]
        env.db.set("stock.move", move["id"], "product_uom_qty", picked)
        for ml in lines:
            if not ml.get("picked"):
                env.db.set("stock.move.line", ml["id"], "move_id", new_move)
                env.db.set("stock.move.line", ml["id"], "picking_id", backorder)
    return backorder


def register(registry: Any) -> None:
    for cls in (Picking, ConfirmSms, BackorderConfirmation):
        registry.add(cls())
