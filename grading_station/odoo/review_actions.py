"""The supervisor's actions on a lot in Odoo: send to repair (repair.order), release a hold; idempotent per action id.

Each action leaves a note in the lot's chatter carrying its action id: a retry finds the note (and the repair order,
whose internal notes carry the id too) and does not do the work twice.
"""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass

from grading_station.odoo.connection import OdooConnection
from grading_station.odoo.locations import Locations
from grading_station.odoo.mappers import m2o_id, m2o_name, plain_text, properties_dict, text
from grading_station.odoo.review_returns import ReturnReceiver
from grading_station.odoo.schema import HOLD_LOCATION, REPAIR_LOCATION

from grading_station.errors import RemoteRefused


@dataclass(frozen=True)
class ReviewAction:
    """One supervisor action as the outbox carries it to Odoo."""

    action_id: str
    kind: str  # "repair", "release" or "return"
    serial: str
    lot_id: int
    supervisor: str
    reason: str
    under_warranty: bool = False


@dataclass(frozen=True)
class ActionDone:
    lot_id: int
    location: str
    repair_id: int | None
    message_id: int | None
    already_done: bool
    rpc_calls: int


def action_note(action: ReviewAction, title: str, location: str) -> str:
    """The chatter note of a supervisor action (English, like every text the station writes to Odoo)."""
    e = html.escape
    return (f"<p><b>{e(title)}</b> by {e(action.supervisor)} (supervisor)</p><ul><li>Reason: {e(action.reason)}</li>"
            + (f"<li>Now in {e(location)}</li>" if location else "")
            + f"<li>Review action {e(action.action_id)}</li></ul>")


class ReviewActions:
    """Applies ReviewAction items (the outbox's "review" kind) over one OdooConnection."""

    def __init__(self, connection: OdooConnection, locations: Locations) -> None:
        self._conn = connection
        self._locations = locations
        self._returns = ReturnReceiver(connection)

    def apply(self, action: ReviewAction) -> ActionDone:
        with self._conn.metered() as meter:
            if not self._locations.loaded:
                self._locations.load(self._conn)
            if self._noted(action):
                return ActionDone(action.lot_id, "", None, None, True, meter.calls)
            if action.kind == "return":  # a sold unit: not on hand, its delivery is returned
                hold = self._locations.complete_name(HOLD_LOCATION)
                self._returns.receive(action.serial, action.lot_id, self._locations.id_of(HOLD_LOCATION),
                                      f"Returned: {action.reason}")
                message_id = self._post(action, action_note(action, "Return received", hold))
                return ActionDone(action.lot_id, hold, None, message_id, False, meter.calls)
            lot = self._lot(action)
            here_id, here = self._where(action)
            repair_id = None
            if action.kind == "repair":
                target = REPAIR_LOCATION
                repair_id = self._repair_order(action, m2o_id(lot.get("product_id")) or 0)
                title, props = "Sent to repair", {"outcome": "repair"}
            elif action.kind == "release":
                target = "Stock"
                if not _inside(here, self._locations.complete_name(HOLD_LOCATION)):
                    raise RemoteRefused(f"{action.serial} is no longer held (it is in {here or 'no location'}): "
                                        "nothing to release.")
                title, props = "Hold released", {"outcome": "stock", "hold_reason": False}
            else:
                raise ValueError(f"unknown review action {action.kind!r}")
            target_id, target_name = self._locations.id_of(target), self._locations.complete_name(target)
            if not target_id:
                raise RemoteRefused(f'Odoo has no {target} location yet: run "Prepare Odoo" in the settings first.')
            if not _inside(here, target_name):
                self._move(action, m2o_id(lot.get("product_id")) or 0, here_id, target_id)
            values = {**properties_dict(lot.get("lot_properties")), **props}
            self._conn.call("stock.lot", "write", [[action.lot_id], {"lot_properties": values}],
                            what=f"update {action.serial}")
            message_id = self._post(action, action_note(action, title, target_name))
        return ActionDone(action.lot_id, target_name, repair_id, message_id, False, meter.calls)

    def _noted(self, action: ReviewAction) -> bool:
        rows = self._conn.call(
            "mail.message", "search_read",
            [[["model", "=", "stock.lot"], ["res_id", "=", action.lot_id], ["body", "ilike", action.action_id]]],
            {"fields": ["id"], "limit": 1}, what=f"read the notes of {action.serial}",
        )
        return bool(rows)

    def _lot(self, action: ReviewAction) -> dict:
        rows = self._conn.call("stock.lot", "read", [[action.lot_id], ["name", "product_id", "lot_properties"]],
                               what=f"read {action.serial}")
        if not rows or text(rows[0].get("name")) != action.serial:
            raise RemoteRefused(f"The Odoo lot of {action.serial} no longer exists; scan the unit again.")
        return rows[0]

    def _where(self, action: ReviewAction) -> tuple[int | None, str]:
        rows = self._conn.call(
            "stock.quant", "search_read",
            [[["lot_id", "=", action.lot_id], ["location_id.usage", "=", "internal"], ["quantity", ">", 0]]],
            {"fields": ["location_id"], "limit": 1}, what=f"find where {action.serial} is",
        )
        if not rows:
            raise RemoteRefused(f"{action.serial} is no longer in stock in Odoo (sold or re-graded meanwhile): "
                                "refresh the queue.")
        return m2o_id(rows[0]["location_id"]), m2o_name(rows[0]["location_id"])

    def _repair_order(self, action: ReviewAction, variant_id: int) -> int:
        found = self._conn.call(
            "repair.order", "search_read",
            [[["lot_id", "=", action.lot_id], ["internal_notes", "ilike", action.action_id]]],
            {"fields": ["id"], "limit": 1}, what=f"look for the repair order of {action.serial}",
        )
        if found:
            return int(found[0]["id"])
        notes = f"<p>{html.escape(action.reason)} ({html.escape(action.supervisor)}, review {action.action_id})</p>"
        return int(self._conn.call(
            "repair.order", "create",
            [{"product_id": variant_id, "lot_id": action.lot_id, "under_warranty": action.under_warranty,
              "internal_notes": notes}],
            what=f"open a repair order for {action.serial}",
        ))

    def _move(self, action: ReviewAction, variant_id: int, source_id: int | None, target_id: int) -> None:
        """One batched quant create in inventory mode (ignored by Odoo without it): out of here, into there."""
        def quant(location_id: int | None, qty: int) -> dict:
            return {"product_id": variant_id, "location_id": location_id, "lot_id": action.lot_id,
                    "inventory_quantity_auto_apply": qty}

        self._conn.call("stock.quant", "create", [[quant(source_id, 0), quant(target_id, 1)]],
                        {"context": {"inventory_mode": True}}, what=f"move {action.serial}")

    def _post(self, action: ReviewAction, body: str) -> int | None:
        kwargs: dict = {"body": body, "message_type": "comment", "subtype_xmlid": "mail.mt_note"}
        if self._conn.flavour.message_post_html_kwarg:
            kwargs["body_is_html"] = True
        else:  # Odoo 17 escapes a str body: readable text instead (as the grading note does)
            kwargs["body"] = plain_text(body)
        result = self._conn.call("stock.lot", "message_post", [[action.lot_id]], kwargs,
                                 what=f"note the action on {action.serial}")
        return int(result) if isinstance(result, int) else None


class ReviewEvidence:
    """The grading evidence of a lot for a Back Market reply: its newest test report and photos, within the
    message limits (10 files of ≤ 3 MB), and the chatter note that the reply was sent (idempotent)."""

    def __init__(self, connection: OdooConnection, actions: ReviewActions) -> None:
        self._conn = connection
        self._actions = actions

    def files(self, lot_id: int, max_files: int, max_bytes: int) -> tuple[list[tuple[str, bytes, str]], list[str]]:
        """(files, names left out because too large) — the newest report first, then the photos (1 RPC)."""
        rows = self._conn.call(
            "ir.attachment", "search_read", [[["res_model", "=", "stock.lot"], ["res_id", "=", lot_id]]],
            {"fields": ["name", "datas", "mimetype"], "order": "id desc"}, what="read the unit's evidence",
        )
        reports = [r for r in rows if text(r.get("name")).startswith("test-report-")][:1]
        photos = [r for r in rows if text(r.get("mimetype")).startswith("image/")]
        files, skipped = [], []
        for row in reports + photos:
            data = base64.b64decode(row.get("datas") or b"")
            if len(data) > max_bytes:
                skipped.append(text(row.get("name")))
            elif len(files) < max_files:
                files.append((text(row.get("name")), data, text(row.get("mimetype")) or "application/octet-stream"))
        return files, skipped

    def noted(self, action: ReviewAction) -> bool:
        return self._actions._noted(action)

    def note(self, action: ReviewAction, title: str) -> int | None:
        return self._actions._post(action, action_note(action, title, ""))


def _inside(location: str, target: str) -> bool:
    return bool(location) and bool(target) and (location == target or location.startswith(target + "/"))
