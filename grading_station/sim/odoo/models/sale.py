"""Sales: sale.order → action_confirm (picking, FIFO serial reservation) → button_validate + SMS wizard."""

from __future__ import annotations

from typing import Any

from grading_station.sim.odoo.errors import user_error
from grading_station.sim.odoo.logic import AccessRule, ModelLogic
from grading_station.sim.odoo.models import chatter
from grading_station.sim.odoo.models.picking import cancel_picking
from grading_station.sim.odoo.models.stock import CUSTOMERS_LOCATION
from grading_station.sim.odoo.orm import Env, Orm

TAX_RATE = 0.15
STOCK_LOCATION = 8
OUT_TYPE = 2
_SALE_GROUPS = ("Sales/Administrator", "Sales/User: Own Documents Only")


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
            "origin": False,
            "commitment_date": False,
            "locked": False,
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
        if any(env.db.tables[self.model][rid]["state"] not in ("draft", "sent") for rid in ids):
            # sale.order._confirmation_error_message (Odoo 18)
            raise user_error("Some orders are not in a state requiring confirmation.")
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


def register(registry: Any) -> None:
    for cls in (SaleOrder, SaleOrderLine):
        registry.add(cls())
