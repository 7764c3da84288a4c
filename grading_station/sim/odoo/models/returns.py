"""stock.return.picking: the return wizard of a done delivery (lines from its moves, a return location), and
`action_create_returns`, which makes the incoming return transfer with the same serials reserved."""

from __future__ import annotations

from typing import Any

from grading_station.sim.odoo.errors import user_error
from grading_station.sim.odoo.logic import ModelLogic
from grading_station.sim.odoo.models import chatter
from grading_station.sim.odoo.orm import Env

RECEIPT_TYPE = 1  # the warehouse's Receipts: Odoo's default return type of a delivery


class ReturnPicking(ModelLogic):
    model = "stock.return.picking"
    rec_name = None
    inverses = {"product_return_moves": "wizard_id"}

    def __init__(self) -> None:
        super().__init__()
        self.methods["action_create_returns"] = self.action_create_returns

    def defaults(self, env: Env, vals: dict[str, Any]) -> dict[str, Any]:
        picking = env.db.tables["stock.picking"].get(vals.get("picking_id"))
        if picking is None:
            raise user_error("You may only return Done pickings.")
        return {"location_id": picking["location_id"]}

    def after_create(self, env: Env, rid: int, vals: dict[str, Any]) -> None:
        if vals.get("product_return_moves"):
            return
        picking_id = env.db.tables[self.model][rid]["picking_id"]
        for move in [m for m in env.db.tables["stock.move"].values() if m.get("picking_id") == picking_id]:
            env.orm.create(env, "stock.return.picking.line", [{
                "wizard_id": rid, "product_id": move["product_id"], "move_id": move["id"],
                "quantity": float(move.get("quantity") or move.get("product_uom_qty") or 0),
            }])

    def action_create_returns(self, env: Env, ids: list[int]) -> dict[str, Any]:
        wizard = env.db.tables[self.model][ids[0]]
        original = env.db.tables["stock.picking"][wizard["picking_id"]]
        if original["state"] != "done":
            raise user_error("You may only return Done pickings.")
        lines = [ln for ln in env.db.tables["stock.return.picking.line"].values() if ln.get("wizard_id") == ids[0]]
        if not any(float(ln.get("quantity") or 0) > 0 for ln in lines):
            raise user_error("Please specify at least one non-zero quantity.")
        seq = env.db.next_id("ir.sequence.picking.in")
        name = f"WH/IN/{seq:05d}"
        source, dest = original["location_dest_id"], wizard["location_id"]
        picking_id = env.orm.create(env, "stock.picking", [{
            "name": name, "picking_type_id": RECEIPT_TYPE, "location_id": source, "location_dest_id": dest,
            "partner_id": original.get("partner_id") or False, "origin": f"Return of {original['name']}",
            "return_id": original["id"], "state": "assigned", "scheduled_date": env.now(), "company_id": 1,
        }])[0]
        for line in lines:
            qty = float(line.get("quantity") or 0)
            if qty <= 0:
                continue
            move_id = env.orm.create(env, "stock.move", [{
                "name": name, "reference": name, "product_id": line["product_id"], "product_uom_qty": qty,
                "quantity": qty, "product_uom": 1, "location_id": source, "location_dest_id": dest,
                "picking_id": picking_id, "origin_returned_move_id": line["move_id"], "state": "assigned",
                "origin": f"Return of {original['name']}", "company_id": 1, "picked": False,
            }])[0]
            # the serials delivered come back: the original move's lots are reserved on the return
            sent_lines = [ml for ml in env.db.tables["stock.move.line"].values()
                          if ml.get("move_id") == line["move_id"]]
            for sent in sent_lines:
                env.orm.create(env, "stock.move.line", [{
                    "move_id": move_id, "picking_id": picking_id, "product_id": sent["product_id"],
                    "lot_id": sent.get("lot_id") or False, "lot_name": False, "quantity": sent["quantity"],
                    "picked": False, "location_id": source, "location_dest_id": dest, "state": "assigned",
                    "reference": name, "product_uom_id": 1, "company_id": 1, "date": env.now(),
                }])
        chatter.log_creation(env, "stock.picking", picking_id, "<p>Transfer created</p>")
        return {"name": "Returned Picking", "type": "ir.actions.act_window", "res_model": "stock.picking",
                "res_id": picking_id, "view_mode": "form", "views": [[False, "form"]], "target": "current",
                "context": {}}


class ReturnPickingLine(ModelLogic):
    model = "stock.return.picking.line"
    rec_name = None


def register(registry: Any) -> None:
    for cls in (ReturnPicking, ReturnPickingLine):
        registry.add(cls())
