"""Delivering a Back Market order in Odoo: the scanned serial looked up (1 RPC), written on the delivery's move
line and validated with its wizards handled (≤ 5 RPCs), checked on the done line, then the warranty on the lot."""

from __future__ import annotations

from dataclasses import dataclass

from grading_station.domain.picking import ScannedUnit

from grading_station.odoo.catalogue import Catalogue
from grading_station.odoo.connection import OdooConnection
from grading_station.odoo.locations import Locations
from grading_station.odoo.mappers import iso_datetime, m2o_id, m2o_name, properties_dict, text
from grading_station.odoo.schema import GradeScale

from grading_station import log
from grading_station.errors import RemoteRefused
from grading_station.i18n import _

_LOT_FIELDS = ["name", "product_id", "product_qty", "location_id", "lot_properties"]
_LINE_FIELDS = ["move_id", "lot_id", "quantity", "picked", "state", "product_id"]


@dataclass(frozen=True)
class PickResult:
    """What Odoo holds after a pick: the move line used, and whether the delivery is done."""

    move_line_id: int
    validated: bool
    wizards: tuple[str, ...] = ()


class DeliveryDesk:
    """The picker's Odoo operations, one named method each."""

    def __init__(self, connection: OdooConnection, catalogue: Catalogue, locations: Locations,
                 scale: GradeScale) -> None:
        self._conn = connection
        self._catalogue = catalogue
        self._locations = locations
        self._scale = scale

    def scanned_unit(self, serial: str) -> ScannedUnit | None:
        """The lot of `serial`, live one first (one stock.lot search_read); None when Odoo has no such serial."""
        self._catalogue.ensure_loaded()
        if not self._locations.loaded:
            self._locations.load(self._conn)
        rows = self._conn.call(
            "stock.lot", "search_read", [[["name", "=", serial]]], {"fields": _LOT_FIELDS, "order": "id desc"},
            what=f"look up {serial}",
        )
        if not rows:
            return None
        row = next((r for r in rows if float(r.get("product_qty") or 0) > 0), rows[0])
        variant_id = m2o_id(row.get("product_id")) or 0
        info = self._catalogue.variant(variant_id)
        props = properties_dict(row.get("lot_properties"))
        location = m2o_name(row.get("location_id"))
        stock = self._locations.name_of(self._locations.stock_id)
        grade = text(props.get("grade")) or (info.grade if info else "") or ""
        return ScannedUnit(
            serial=serial, lot_id=row["id"], variant_id=variant_id, template_id=info.template_id if info else 0,
            model_name=info.model_name if info else m2o_name(row.get("product_id")),
            grade_title=self._scale.name(grade) if grade else "", location=location,
            in_stock=bool(stock) and (location == stock or location.startswith(stock + "/")),
            live=float(row.get("product_qty") or 0) > 0, hold_reason=text(props.get("hold_reason")),
            leased_by=text(props.get("lease_station")), tested_at=iso_datetime(props.get("tested_at")),
            properties=props,
        )

    def pick(self, picking_id: int, move_id: int, lot_id: int, serial: str, *, validate: bool,
             expected: tuple[str, ...]) -> PickResult:
        """Put `serial` on a line of `move_id` (`lot_id`, quantity 1, picked) and, with `validate`, validate
        the delivery and check its done lines hold every serial of `expected`.
        Idempotent: a retry finds its serial already written, or the delivery already done with it."""
        lines = self._lines(picking_id)
        mine = next((ln for ln in lines if m2o_id(ln.get("lot_id")) == lot_id and ln.get("picked")), None)
        if any(ln["state"] == "done" for ln in lines):
            if mine is not None and mine["state"] == "done":
                return PickResult(mine["id"], True)
            raise RemoteRefused(_("The delivery of this order is already done in Odoo (picked at another station?): "
                                  "{serial} is not in it.").format(serial=serial))
        if mine is None:
            mine_id = self._write_line(picking_id, move_id, lot_id, lines)
        else:
            mine_id = mine["id"]
        if not validate:
            return PickResult(mine_id, False)
        wizards = self._validate(picking_id)
        done = self._lines(picking_id)
        on_done = {m2o_name(ln.get("lot_id")) for ln in done if ln["state"] == "done"}
        wrong = [s for s in expected if s not in on_done]
        if wrong:
            raise RemoteRefused(_("Odoo validated the delivery without {serials}: check the delivery in Odoo "
                                  "before shipping.").format(serials=", ".join(wrong)), detail=repr(done))
        return PickResult(mine_id, True, wizards)

    def _lines(self, picking_id: int) -> list[dict]:
        return self._conn.call("stock.move.line", "search_read", [[["picking_id", "=", picking_id]]],
                               {"fields": _LINE_FIELDS, "order": "id"}, what="read the delivery")

    def _write_line(self, picking_id: int, move_id: int, lot_id: int, lines: list[dict]) -> int:
        """Our lot on the move line Odoo reserved with it, else on the first unpicked line of the move, else
        on a new line (Odoo reserved fewer units than ordered)."""
        ours = [ln for ln in lines if m2o_id(ln.get("move_id")) == move_id and not ln.get("picked")]
        target = next((ln for ln in ours if m2o_id(ln.get("lot_id")) == lot_id), ours[0] if ours else None)
        values = {"lot_id": lot_id, "quantity": 1, "picked": True}
        if target is not None:
            self._conn.call("stock.move.line", "write", [[target["id"]], values], what="write the serial")
            return target["id"]
        return self._conn.call("stock.move.line", "create",
                               [{"move_id": move_id, "picking_id": picking_id, **values}], what="add the serial")

    def _validate(self, picking_id: int) -> tuple[str, ...]:
        """`button_validate` without the SMS question (`skip_sms`); any wizard it still returns is answered:
        an SMS confirmation is not sent, a backorder is created for what is not picked."""
        context: dict = {"skip_sms": True}
        seen: list[str] = []
        for _attempt in range(3):
            answer = self._conn.call("stock.picking", "button_validate", [[picking_id]], {"context": context},
                                     what="validate the delivery")
            if not isinstance(answer, dict):
                return tuple(seen)
            model = text(answer.get("res_model"))
            seen.append(model)
            wizard_context = {**context, **(answer.get("context") or {})}
            log.odoo.info("validating delivery %s returned the %s wizard", picking_id, model)
            if model == "confirm.stock.sms":
                self._conn.call(model, "dont_send_sms", [[answer.get("res_id")]] if answer.get("res_id") else [[]],
                                {"context": wizard_context}, what="answer the SMS question")
                return tuple(seen)
            if model == "stock.backorder.confirmation":
                wizard = self._conn.call(model, "create", [{"pick_ids": [[6, 0, [picking_id]]]}],
                                         {"context": wizard_context}, what="answer the backorder question")
                self._conn.call(model, "process", [[wizard]], {"context": wizard_context},
                                what="create the backorder")
                return tuple(seen)
            raise RemoteRefused(_("Odoo asks a question ({wizard}) when validating the delivery: validate it in "
                                  "Odoo.").format(wizard=model), detail=repr(answer))
        raise RemoteRefused(_("Odoo keeps asking questions when validating the delivery: validate it in Odoo."))

    def register_warranty(self, picking_id: int, warranty_end: str, sale_order: str) -> int:
        """Write `warranty_end` (YYYY-MM-DD) and the sale order on every lot the done delivery holds, keeping
        their other properties (a write replaces the whole dict): 2 reads, then 1 write per lot not yet done."""
        lines = self._lines(picking_id)
        lot_ids = sorted({m2o_id(ln.get("lot_id")) for ln in lines if ln["state"] == "done" and ln.get("lot_id")})
        if not lot_ids:
            raise RemoteRefused(_("The delivery is not done in Odoo yet: the warranty waits for it."))
        rows = self._conn.call("stock.lot", "read", [lot_ids, ["lot_properties"]], what="read the units")
        written = 0
        for row in rows:
            props = properties_dict(row.get("lot_properties"))
            if text(props.get("warranty_end")) == warranty_end and text(props.get("sale_order")) == sale_order:
                continue
            props.update(warranty_end=warranty_end, sale_order=sale_order)
            self._conn.call("stock.lot", "write", [[row["id"]], {"lot_properties": props}],
                            what="register the warranty")
            written += 1
        return written
