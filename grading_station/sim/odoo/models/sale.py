"""Sales: sale.order → action_confirm (picking, FIFO serial reservation) → button_validate + SMS wizard."""

from __future__ import annotations

from typing import Any

from grading_station.sim.odoo.errors import user_error
from grading_station.sim.odoo.logic import AccessRule, ModelLogic
from grading_station.sim.odoo.models import chatter
from grading_station.sim.odoo.models.quant import find_quant, update_available
from grading_station.sim.odoo.models.stock import CUSTOMERS_LOCATION
from grading_station.sim.odoo.orm import Env, Orm

TAX_RATE = 0.15
STOCK_LOCATION = 8
OUT_TYPE = 2
_SALE_GROUPS = ("Sales/Administrator", "Sales/User: Own Documents Only")
SMS_ACTION_VIEW = 1182


def _amounts(orm: Orm, order: dict[str, Any]) -> tuple[float, float]:
    lines = [orm.db.tables["sale.order.line"][i] for i in orm.value("sale.order", order, "order_line")]
    untaxed = round(sum(ln.get("product_uom_qty", 0) * ln.get("price_unit", 0.0) for ln in lines), 2)
    return untaxed, round(untaxed * TAX_RATE, 2)


class SaleOrder(ModelLogic):
    model = "sale.order"
    order = "date_order desc, id desc"
    not_null = ("partner_id",)
    access = AccessRule(frozenset({"create", "write", "unlink"}), _SALE_GROUPS)
    inverses = {"order_line": "order_id", "picking_ids": "sale_id"}

    def __init__(self) -> None:
        super().__init__()
        self.computes.update(
            amount_untaxed=lambda orm, rec: _amounts(orm, rec)[0],
            amount_tax=lambda orm, rec: _amounts(orm, rec)[1],
            amount_total=lambda orm, rec: round(sum(_amounts(orm, rec)), 2),
            delivery_status=self._delivery_status,
            invoice_status=self._invoice_status,
        )
        self.methods["action_confirm"] = self.action_confirm
        self.methods["action_cancel"] = self.action_cancel
        chatter.install(self)

    def defaults(self, env: Env, vals: dict[str, Any]) -> dict[str, Any]:
        seq = env.db.next_id("ir.sequence.sale.order")
        return {
            "name": f"S{seq:05d}",
            "state": "draft",
            "date_order": env.now(),
            "company_id": 1,
            "currency_id": 1,
            "client_order_ref": False,
            "user_id": env.uid,
        }

    def after_create(self, env: Env, rid: int, vals: dict[str, Any]) -> None:
        chatter.log_creation(env, self.model, rid, "<p>Sales Order created</p>")

    def _delivery_status(self, orm: Orm, rec: dict[str, Any]) -> Any:
        pickings = [orm.db.tables["stock.picking"][p] for p in orm.value(self.model, rec, "picking_ids")]
        if not pickings:
            return False
        if all(p["state"] == "done" for p in pickings):
            return "full"
        return "started" if any(p["state"] == "done" for p in pickings) else "pending"

    def _invoice_status(self, orm: Orm, rec: dict[str, Any]) -> str:
        if rec.get("state") != "sale":
            return "no"
        return "to invoice" if self._delivery_status(orm, rec) == "full" else "no"

    def action_confirm(self, env: Env, ids: list[int]) -> bool:
        for rid in ids:
            order = env.db.tables[self.model][rid]
            env.db.set(self.model, rid, "state", "sale")
            chatter.log_tracking(env, self.model, rid)
            ref = order.get("client_order_ref")
            origin = f"{order['name']} - {ref}" if ref else order["name"]
            seq = env.db.next_id("ir.sequence.picking.out")
            picking_id = env.orm.create(
                env,
                "stock.picking",
                [
                    {
                        "name": f"WH/OUT/{seq:05d}",
                        "picking_type_id": OUT_TYPE,
                        "location_id": STOCK_LOCATION,
                        "location_dest_id": CUSTOMERS_LOCATION,
                        "partner_id": order["partner_id"],
                        "origin": origin,
                        "sale_id": rid,
                        "state": "assigned",
                        "scheduled_date": env.now(),
                        "company_id": 1,
                    }
                ],
            )[0]
            for line_id in env.orm.value(self.model, order, "order_line"):
                line = env.db.tables["sale.order.line"][line_id]
                self._create_move(env, picking_id, line, origin)
        return True

    def action_cancel(self, env: Env, ids: list[int]) -> bool:
        for rid in ids:
            order = env.db.tables[self.model][rid]
            for picking_id in env.orm.value(self.model, order, "picking_ids"):
                cancel_picking(env, picking_id)
            env.db.set(self.model, rid, "state", "cancel")
        return True

    @staticmethod
    def _create_move(env: Env, picking_id: int, line: dict[str, Any], origin: str) -> None:
        qty = float(line.get("product_uom_qty", 1))
        move_id = env.orm.create(
            env,
            "stock.move",
            [
                {
                    "name": origin,
                    "reference": env.db.tables["stock.picking"][picking_id]["name"],
                    "product_id": line["product_id"],
                    "product_uom_qty": qty,
                    "quantity": qty,
                    "product_uom": 1,
                    "location_id": STOCK_LOCATION,
                    "location_dest_id": CUSTOMERS_LOCATION,
                    "picking_id": picking_id,
                    "sale_line_id": line["id"],
                    "state": "assigned",
                    "origin": origin,
                    "company_id": 1,
                    "picked": False,
                }
            ],
        )[0]
        remaining = qty
        # FIFO: the oldest available serial in WH/Stock (and its children) is reserved.
        internal = set(
            env.orm.search(Env(env.orm, 1), "stock.location", [["id", "child_of", STOCK_LOCATION]])
        )
        quants = sorted(
            (
                q
                for q in env.db.tables["stock.quant"].values()
                if q["product_id"] == line["product_id"]
                and q["location_id"] in internal
                and q["quantity"] - q["reserved_quantity"] > 0
            ),
            key=lambda q: (q["in_date"], q["id"]),
        )
        for quant in quants:
            if remaining <= 0:
                break
            take = min(remaining, quant["quantity"] - quant["reserved_quantity"])
            env.db.set("stock.quant", quant["id"], "reserved_quantity", quant["reserved_quantity"] + take)
            env.orm.create(
                env,
                "stock.move.line",
                [
                    {
                        "move_id": move_id,
                        "picking_id": picking_id,
                        "product_id": line["product_id"],
                        "lot_id": quant.get("lot_id") or False,
                        "lot_name": False,
                        "quantity": take,
                        "picked": False,
                        "location_id": quant["location_id"],
                        "location_dest_id": CUSTOMERS_LOCATION,
                        "state": "assigned",
                        "reference": env.db.tables["stock.picking"][picking_id]["name"],
                        "product_uom_id": 1,
                        "company_id": 1,
                        "date": env.now(),
                    }
                ],
            )
            remaining -= take


class SaleOrderLine(ModelLogic):
    model = "sale.order.line"
    access = AccessRule(frozenset({"create", "write", "unlink"}), _SALE_GROUPS)

    def __init__(self) -> None:
        super().__init__()
        self.computes.update(
            price_subtotal=lambda orm, rec: round(
                rec.get("product_uom_qty", 0) * rec.get("price_unit", 0.0), 2
            ),
            price_total=lambda orm, rec: round(
                rec.get("product_uom_qty", 0) * rec.get("price_unit", 0.0) * (1 + TAX_RATE), 2
            ),
            qty_delivered=self._delivered,
        )

    def defaults(self, env: Env, vals: dict[str, Any]) -> dict[str, Any]:
        product = env.db.tables["product.product"].get(vals.get("product_id"))
        name = env.orm.display_name("product.product", product) if product else ""
        return {"name": name, "product_uom_qty": 1.0, "price_unit": 0.0, "product_uom": 1}

    def _delivered(self, orm: Orm, rec: dict[str, Any]) -> float:
        return float(
            sum(
                m.get("quantity", 0.0)
                for m in orm.db.tables["stock.move"].values()
                if m.get("sale_line_id") == rec["id"] and m.get("state") == "done"
            )
        )


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
    for move_id in orm.value("stock.picking", picking, "move_ids"):
        move = env.db.tables["stock.move"][move_id]
        lines = [ml for ml in env.db.tables["stock.move.line"].values() if ml.get("move_id") == move_id]
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


def register(registry: Any) -> None:
    for cls in (SaleOrder, SaleOrderLine, Picking, ConfirmSms):
        registry.add(cls())
