"""The test report, photos and summary note on a lot: attachments in one create list, one chatter note.

Both steps are idempotent: on a retry, attachments are matched by name and the note by its grading id.
"""

from __future__ import annotations

import base64
import mimetypes

from grading_station.domain.grading import GradingRecord

from grading_station.odoo.connection import OdooConnection
from grading_station.odoo.mappers import note_html, plain_text, text
from grading_station.odoo.schema import GradeScale

from grading_station.i18n import N_


class Evidence:
    """Attachments and the HTML summary note of a grading, on its lot."""

    def __init__(self, connection: OdooConnection, scale: GradeScale) -> None:
        self._conn = connection
        self._scale = scale

    def attach(self, lot_id: int, attachments: dict[str, bytes], *, check_existing: bool) -> list[int]:
        """Report and photos as ir.attachment on the lot, in one create list; names already there are kept."""
        existing: dict[str, int] = {}
        if check_existing and attachments:
            rows = self._conn.call(
                "ir.attachment",
                "search_read",
                [
                    [
                        ["res_model", "=", "stock.lot"],
                        ["res_id", "=", lot_id],
                        ["name", "in", list(attachments)],
                    ]
                ],
                {"fields": ["name"]},
                what=N_("read the unit's attachments"),
            )
            existing = {text(r["name"]): r["id"] for r in rows}
        todo = [name for name in attachments if name not in existing]
        created: list[int] = []
        if todo:
            created = self._conn.call(
                "ir.attachment",
                "create",
                [
                    [
                        {
                            "name": name,
                            "res_model": "stock.lot",
                            "res_id": lot_id,
                            "datas": base64.b64encode(attachments[name]).decode("ascii"),
                            "mimetype": mimetypes.guess_type(name)[0] or "application/octet-stream",
                        }
                        for name in todo
                    ]
                ],
                what=N_("attach the report and photos"),
            )
        new_ids = dict(zip(todo, created, strict=True))
        return [existing.get(name) or new_ids[name] for name in attachments]

    def post_note(
        self,
        lot_id: int,
        record: GradingRecord,
        location: str,
        attachment_ids: list[int],
        *,
        check_existing: bool,
    ) -> int | None:
        if check_existing:
            rows = self._conn.call(
                "mail.message",
                "search_read",
                [[["model", "=", "stock.lot"], ["res_id", "=", lot_id]]],
                {"fields": ["body"], "order": "id desc"},
                what=N_("read the unit's notes"),
            )
            done = next((r["id"] for r in rows if record.grading_id in text(r.get("body"))), None)
            if done:
                return done
        body = note_html(
            record, self._scale.name(record.grade), self._scale.name(record.suggested_grade), location
        )
        kwargs: dict = {
            "body": body,
            "message_type": "comment",
            "subtype_xmlid": "mail.mt_note",
            "attachment_ids": attachment_ids,
        }
        if self._conn.flavour.message_post_html_kwarg:
            kwargs["body_is_html"] = True
        else:  # Odoo 17 escapes a str body and has no flag to keep HTML: send readable text instead
            kwargs["body"] = plain_text(body)
        result = self._conn.call(
            "stock.lot", "message_post", [[lot_id]], kwargs, what=N_("post the grading note")
        )
        return int(result) if isinstance(result, int) else None
