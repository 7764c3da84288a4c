"""Receiving a sold unit back: a return of its delivery through Odoo's stock.return.picking into WH/Hold, and the
returns received there (for the returns-and-disputes queue).

Idempotent: an existing return of that delivery is validated (or found done) instead of made again.
"""

from __future__ import annotations

from dataclasses import dataclass

from grading_station.odoo.catalogue import Catalogue
from grading_station.odoo.connection import OdooConnection
from grading_station.odoo.locations import Locations
from grading_station.odoo.mappers import m2o_id, m2o_name, properties_dict, text
from grading_station.odoo.schema import HOLD_LOCATION

from grading_station.errors import RemoteRefused


class ReturnReceiver:
    """Makes and validates the return transfer of the delivery that sent a lot out (≤ 8 RPCs)."""

    def __init__(self, connection: OdooConnection) -> None:
        self._conn = connection

    def receive(self, serial: str, lot_id: int, hold_id: int, hold_reason: str) -> int:
        """The return picking id; refused when the serial is back in stock already (re-graded or taken in again
        meanwhile: a return would make the unit twice) or when Odoo has no delivery of the lot."""
        live = self._conn.call("stock.lot", "search_read", [[["name", "=", serial], ["product_qty", ">", 0]]],
                               {"fields": ["id", "lot_properties"]}, what=f"look up {serial}")
        delivery = self._delivery(serial, lot_id)
        returned = self._conn.call("stock.picking", "search_read",
                                   [[["return_id", "=", delivery], ["state", "!=", "cancel"]]],
                                   {"fields": ["state"], "order": "id desc", "limit": 1},
                                   what=f"look for a return of {serial}")
        if returned and returned[0]["state"] == "done":
            return int(returned[0]["id"])
        if live and not returned:
            grade = text(properties_dict(live[0].get("lot_properties")).get("grade")) or "?"
            raise RemoteRefused(f"{serial} is already back in stock (graded {grade}, re-graded or taken in again "
                                "since it was sold): the return is not booked twice. Look at the unit in Odoo.")
        if returned:
            picking_id = int(returned[0]["id"])
        else:
            wizard = self._conn.call("stock.return.picking", "create",
                                     [{"picking_id": delivery, "location_id": hold_id}],
                                     what=f"prepare the return of {serial}")
            action = self._conn.call("stock.return.picking", "action_create_returns", [[wizard]],
                                     what=f"create the return of {serial}")
            picking_id = int(action.get("res_id")) if isinstance(action, dict) and action.get("res_id") else 0
            if not picking_id:
                raise RemoteRefused(f"Odoo made no return transfer for {serial}.", detail=repr(action)[:200])
        result = self._conn.call("stock.picking", "button_validate", [[picking_id]], {"context": {"skip_sms": True}},
                                 what=f"receive {serial} in WH/Hold")
        if isinstance(result, dict):  # a wizard (backorder, SMS...): the return waits in Odoo, said plainly
            raise RemoteRefused(f"Odoo asks a question before receiving {serial} ({result.get('res_model')}): "
                                "validate the return in Odoo, then retry.")
        self._conn.call("stock.lot", "write", [[lot_id], {"lot_properties": {
            **self._props(lot_id), "outcome": "hold", "hold_reason": hold_reason}}], what=f"update {serial}")
        return picking_id

    def _delivery(self, serial: str, lot_id: int) -> int:
        rows = self._conn.call(
            "stock.move.line", "search_read",
            [[["lot_id", "=", lot_id], ["picking_id.picking_type_code", "=", "outgoing"], ["state", "=", "done"]]],
            {"fields": ["picking_id"], "order": "id desc", "limit": 1}, what=f"find the delivery of {serial}",
        )
        delivery = m2o_id(rows[0]["picking_id"]) if rows else None
        if not delivery:
            raise RemoteRefused(f"Odoo has no delivery of {serial}: it was never sold through Odoo, so there is "
                                "nothing to return. Take it in at the bench as a return.")
        return delivery

    def _props(self, lot_id: int) -> dict:
        rows = self._conn.call("stock.lot", "read", [[lot_id], ["lot_properties"]], what="read the unit")
        return properties_dict(rows[0].get("lot_properties")) if rows else {}


@dataclass(frozen=True)
class ReturnReceived:
    """A return transfer received into WH/Hold: `sold_grade` is the grade of the variant that was delivered (the
    grading the customer bought), the unit's grading now is read with it."""

    picking_id: int
    picking: str  # its reference, e.g. WH/IN/00012
    received: str  # when it was validated (Odoo's UTC "YYYY-MM-DD HH:MM:SS")
    serial: str
    lot_id: int
    sold_grade: str


class ReturnsReader:
    """The newest returns received into WH/Hold, one move line a unit, in 1 RPC (catalogue cached)."""

    def __init__(self, connection: OdooConnection, catalogue: Catalogue, locations: Locations) -> None:
        self._conn, self._catalogue, self._locations = connection, catalogue, locations

    def returns_received(self, limit: int = 200) -> list[ReturnReceived]:
        self._catalogue.ensure_loaded()
        if not self._locations.loaded:
            self._locations.load(self._conn)
        hold = self._locations.id_of(HOLD_LOCATION)
        if not hold:
            return []
        rows = self._conn.call(
            "stock.move.line", "search_read",
            [[["picking_id.return_id", "!=", False], ["state", "=", "done"], ["location_dest_id", "child_of", [hold]],
              ["lot_id", "!=", False]]],
            {"fields": ["lot_id", "product_id", "picking_id", "date"], "order": "id desc", "limit": limit},
            what="read the returns received",
        )
        found = []
        for row in rows:
            variant = self._catalogue.variant(m2o_id(row.get("product_id")) or 0)
            found.append(ReturnReceived(
                picking_id=m2o_id(row.get("picking_id")) or 0, picking=m2o_name(row.get("picking_id")),
                received=text(row.get("date")), serial=m2o_name(row.get("lot_id")),
                lot_id=m2o_id(row.get("lot_id")) or 0,
                sold_grade=(variant.grade or "") if variant else "",
            ))
        return found
