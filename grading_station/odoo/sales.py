"""Back Market orders as Odoo sale orders: created once per order (batched), read back as the pick list."""

from __future__ import annotations

from dataclasses import dataclass

from grading_station.domain.picking import PickLine, PickOrder, StockSpot

from grading_station.odoo.catalogue import Catalogue
from grading_station.odoo.connection import OdooConnection
from grading_station.odoo.locations import Locations
from grading_station.odoo.mappers import iso_datetime, m2o_id, m2o_name, odoo_datetime, properties_dict, text
from grading_station.odoo.schema import GradeScale

ORIGIN = "Back Market"  # sale.order.origin is "Back Market fr-fr": how the pick list finds our orders


@dataclass(frozen=True)
class NewSale:
    """A Back Market order to create in Odoo: the customer, and (variant, quantity, unit price) per line."""

    order_id: int
    market: str
    name: str
    street: str
    street2: str
    zip: str
    city: str
    country_code: str
    phone: str
    email: str
    expected_dispatch: str  # ISO-8601 or ""
    lines: tuple[tuple[int, int, float], ...]


@dataclass(frozen=True)
class FreeUnit:
    """A unit Odoo could deliver for a variant: in WH/Stock, not reserved, not held or leased."""

    variant_id: int
    lot_id: int
    serial: str


class SalesDesk:
    """Sale orders for Back Market orders (client_order_ref = the order id: the idempotency key)."""

    def __init__(self, connection: OdooConnection, catalogue: Catalogue, locations: Locations,
                 scale: GradeScale) -> None:
        self._conn = connection
        self._scale = scale
        self._catalogue = catalogue
        self._locations = locations
        self._countries: dict[str, int] = {}

    # -- import ----------------------------------------------------------------------------------------
    def existing_orders(self, order_ids: list[int]) -> dict[int, int]:
        """Back Market order id -> sale.order id for those already in Odoo (1 RPC)."""
        if not order_ids:
            return {}
        rows = self._conn.call(
            "sale.order", "search_read",
            [[["client_order_ref", "in", [str(i) for i in order_ids]]]],
            {"fields": ["client_order_ref"]}, what="look the orders up",
        )
        return {int(text(r["client_order_ref"])): r["id"] for r in rows if text(r["client_order_ref"]).isdigit()}

    def free_units(self, variant_ids: list[int]) -> list[FreeUnit]:
        """Units of these variants Odoo can deliver, oldest first (2 RPCs: the quants, then their lots)."""
        if not variant_ids:
            return []
        if not self._locations.loaded:
            self._locations.load(self._conn)
        quants = self._conn.call(
            "stock.quant", "search_read",
            [[["location_id", "child_of", self._locations.stock_id], ["product_id", "in", sorted(set(variant_ids))],
              ["lot_id", "!=", False], ["quantity", ">", 0]]],
            {"fields": ["product_id", "lot_id", "quantity", "reserved_quantity"], "order": "in_date, id"},
            what="count the units that can be sold",
        )
        free = [q for q in quants if float(q.get("quantity") or 0) - float(q.get("reserved_quantity") or 0) > 0]
        if not free:
            return []
        lots = self._conn.call(
            "stock.lot", "read", [[m2o_id(q["lot_id"]) for q in free], ["lot_properties"]],
            what="read the units' holds",
        )
        blocked = set()
        for lot in lots:
            props = properties_dict(lot.get("lot_properties"))
            if text(props.get("hold_reason")) or text(props.get("lease_station")):
                blocked.add(lot["id"])
        return [FreeUnit(m2o_id(q["product_id"]) or 0, m2o_id(q["lot_id"]) or 0, m2o_name(q["lot_id"]))
                for q in free if m2o_id(q["lot_id"]) not in blocked]

    def create_orders(self, sales: list[NewSale]) -> dict[int, int]:
        """Create and confirm the sale orders of `sales` not yet in Odoo; returns order id -> sale.order id for
        all of them. 5 RPCs for any number: look up, countries, partners, orders (one list create each), confirm."""
        existing = self.existing_orders([s.order_id for s in sales])
        todo = [s for s in sales if s.order_id not in existing and s.lines]
        if not todo:
            return existing
        countries = self._country_ids({s.country_code.upper() for s in todo if s.country_code})
        partner_ids = self._conn.call(
            "res.partner", "create",
            [[{k: v for k, v in {
                "name": s.name, "street": s.street, "street2": s.street2 or False, "zip": s.zip, "city": s.city,
                "country_id": countries.get(s.country_code.upper(), False), "phone": s.phone or False,
                "email": s.email or False,
            }.items()} for s in todo]],
            what="create the customers",
        )
        order_vals = []
        for sale, partner_id in zip(todo, partner_ids, strict=True):
            vals = {
                "partner_id": partner_id,
                "client_order_ref": str(sale.order_id),
                "origin": f"{ORIGIN} {sale.market}",
                "order_line": [[0, 0, {"product_id": v, "product_uom_qty": q, "price_unit": p}]
                               for v, q, p in sale.lines],
            }
            if sale.expected_dispatch:
                vals["commitment_date"] = odoo_datetime(sale.expected_dispatch)
            order_vals.append(vals)
        # one list create: Odoo makes all of them or none (a retry then finds none or all by client_order_ref)
        order_ids = self._conn.call("sale.order", "create", [order_vals], what="create the sale orders")
        self._conn.call("sale.order", "action_confirm", [list(order_ids)], what="confirm the sale orders")
        existing.update({s.order_id: oid for s, oid in zip(todo, order_ids, strict=True)})
        return existing

    def _country_ids(self, codes: set[str]) -> dict[str, int]:
        missing = sorted(codes - set(self._countries))
        if missing:
            rows = self._conn.call("res.country", "search_read", [[["code", "in", missing]]],
                                   {"fields": ["code"]}, what="read the countries")
            self._countries.update({text(r["code"]).upper(): r["id"] for r in rows})
        return {c: self._countries[c] for c in codes if c in self._countries}

    def cancel_order(self, sale_order_id: int) -> bool:
        """Cancel the sale order and its delivery (the order was cancelled on Back Market); False when its
        delivery is already done (nothing to cancel: the parcel left)."""
        rows = self._conn.call("sale.order", "read", [[sale_order_id], ["state", "delivery_status"]],
                               what="read the sale order")
        if not rows or rows[0].get("state") == "cancel":
            return True
        if rows[0].get("delivery_status") == "full":
            return False
        self._conn.call("sale.order", "action_cancel", [[sale_order_id]], {"context": {"disable_cancel_warning": True}},
                        what="cancel the sale order")
        return True

    def mark_shipped(self, sale_order_id: int) -> None:
        """Lock the sale order once Back Market has the parcel: it leaves the pick list on every station."""
        self._conn.call("sale.order", "write", [[sale_order_id], {"locked": True}], what="lock the sale order")

    # -- pick list -------------------------------------------------------------------------------------
    def open_orders(self, limit: int = 200) -> tuple[list[PickOrder], dict[int, list[StockSpot]]]:
        """The Back Market orders not shipped yet, and where units of their variants are (5 RPCs)."""
        self._catalogue.ensure_loaded()
        if not self._locations.loaded:
            self._locations.load(self._conn)
        orders = self._conn.call(
            "sale.order", "search_read",
            [[["origin", "=like", f"{ORIGIN} %"], ["state", "=", "sale"], ["locked", "=", False]]],
            {"fields": ["name", "client_order_ref", "origin", "commitment_date", "partner_id", "picking_ids",
                        "order_line"], "limit": limit, "order": "commitment_date, id"},
            what="read the open orders",
        )
        if not orders:
            return [], {}
        line_ids = [i for o in orders for i in o.get("order_line") or []]
        picking_ids = [i for o in orders for i in o.get("picking_ids") or []]
        lines = {r["id"]: r for r in self._conn.call(
            "sale.order.line", "read", [line_ids, ["product_id", "product_uom_qty"]], what="read the order lines")}
        moves = self._conn.call(
            "stock.move", "search_read", [[["picking_id", "in", picking_ids]]],
            {"fields": ["picking_id", "sale_line_id", "state"]}, what="read the deliveries' moves",
        ) if picking_ids else []
        move_lines = self._conn.call(
            "stock.move.line", "search_read", [[["picking_id", "in", picking_ids]]],
            {"fields": ["picking_id", "move_id", "lot_id", "picked", "state"]}, what="read the deliveries' lines",
        ) if picking_ids else []
        picking_state: dict[int, str] = {}
        for move in moves:
            pid = m2o_id(move.get("picking_id")) or 0
            # a picking is done or cancelled when each of its moves is
            picking_state[pid] = move["state"] if picking_state.get(pid, move["state"]) == move["state"] else "assigned"
        result = []
        for order in orders:
            picks = [p for p in order.get("picking_ids") or [] if picking_state.get(p) != "cancel"]
            picking_id = picks[-1] if picks else 0
            pick_lines = []
            for line_id in order.get("order_line") or []:
                row = lines.get(line_id)
                if row is None:
                    continue
                move = next((m for m in moves if m2o_id(m.get("sale_line_id")) == line_id
                             and m2o_id(m.get("picking_id")) == picking_id), None)
                mls = [ml for ml in move_lines if move and m2o_id(ml.get("move_id")) == move["id"]]
                variant_id = m2o_id(row.get("product_id")) or 0
                info = self._catalogue.variant(variant_id)
                grade = info.grade if info else ""
                pick_lines.append(PickLine(
                    line_id=line_id, sku=info.sku if info else "", quantity=int(row.get("product_uom_qty") or 1),
                    variant_id=variant_id, template_id=info.template_id if info else 0,
                    model_name=info.model_name if info else m2o_name(row.get("product_id")),
                    grade=grade or "", grade_title=self._scale.name(grade) if grade else "",
                    move_id=move["id"] if move else 0, move_line_ids=tuple(ml["id"] for ml in mls),
                    picked=tuple(m2o_name(ml["lot_id"]) for ml in mls if ml.get("picked") and ml.get("lot_id")),
                ))
            result.append(PickOrder(
                order_id=int(text(order["client_order_ref"]) or 0), sale_order_id=order["id"],
                sale_order_name=text(order.get("name")), picking_id=picking_id,
                market=text(order.get("origin"))[len(ORIGIN) + 1:], customer=m2o_name(order.get("partner_id")),
                expected_dispatch=iso_datetime(order.get("commitment_date")), lines=tuple(pick_lines),
                picking_state=picking_state.get(picking_id, "assigned"),
            ))
        reserved = {m2o_name(ml["lot_id"]): m2o_id(ml.get("picking_id")) for ml in move_lines
                    if ml.get("lot_id") and ml.get("state") not in ("done", "cancel")}
        order_of_picking = {o.picking_id: o.order_id for o in result}
        spots = self._where(sorted({ln.variant_id for o in result for ln in o.lines}), reserved, order_of_picking)
        return result, spots

    def _where(self, variant_ids: list[int], reserved: dict[str, int | None],
               order_of_picking: dict[int, int]) -> dict[int, list[StockSpot]]:
        if not variant_ids:
            return {}
        rows = self._conn.call(
            "stock.quant", "search_read",
            [[["location_id.usage", "=", "internal"], ["product_id", "in", variant_ids], ["lot_id", "!=", False],
              ["quantity", ">", 0]]],
            {"fields": ["product_id", "lot_id", "location_id"], "order": "in_date, id"},
            what="find where the units are",
        )
        spots: dict[int, list[StockSpot]] = {}
        for row in rows:
            serial = m2o_name(row["lot_id"])
            spots.setdefault(m2o_id(row["product_id"]) or 0, []).append(StockSpot(
                serial, m2o_name(row["location_id"]), order_of_picking.get(reserved.get(serial) or 0, 0)))
        return spots
