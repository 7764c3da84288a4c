"""The buyer's certificate on its lot: the lot's warranty end, the PDF as one ir.attachment per lot (replaced
only when what it says changed, never duplicated by a retry), and the certificate of a serial for the picker."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable

from grading_station.domain.certificate import CertificateFile, certificate_filename

from grading_station.odoo.connection import OdooConnection
from grading_station.odoo.mappers import properties_dict, text

from grading_station import log


class Certificates:
    """Certificate attachments over one OdooConnection; the gateway delegates to it."""

    def __init__(self, connection: OdooConnection) -> None:
        self._conn = connection

    def warranty_end(self, lot_id: int) -> str | None:
        """The lot's `warranty_end` property ("" when not set yet), None when the lot no longer exists; 1 RPC."""
        rows = self._conn.call("stock.lot", "read", [[lot_id], ["lot_properties"]], what="read the unit's warranty")
        if not rows:
            return None
        return text(properties_dict(rows[0].get("lot_properties")).get("warranty_end"))

    def attach(self, lot_id: int, serial: str, fingerprint: str, render: Callable[[], bytes]) -> int:
        """The lot's certificate attachment for `fingerprint` (kept in its description): the one already there,
        or `render()` attached anew; older certificates of the lot (another grading, a crash between the
        create and the unlink) are removed. 1 RPC when it is there, 2-3 otherwise. Returns the attachment id."""
        name = certificate_filename(serial)
        rows = self._conn.call(
            "ir.attachment",
            "search_read",
            [[["res_model", "=", "stock.lot"], ["res_id", "=", lot_id], ["name", "=", name]]],
            {"fields": ["description"], "order": "id"},
            what="read the unit's certificate",
        )
        kept = next((r["id"] for r in rows if text(r.get("description")) == fingerprint), None)
        if kept is None:
            kept = self._conn.call(
                "ir.attachment",
                "create",
                [{
                    "name": name,
                    "res_model": "stock.lot",
                    "res_id": lot_id,
                    "datas": base64.b64encode(render()).decode("ascii"),
                    "mimetype": "application/pdf",
                    "description": fingerprint,
                }],
                what="attach the certificate",
            )
        stale = [r["id"] for r in rows if r["id"] != kept]
        if stale:
            self._conn.call("ir.attachment", "unlink", [stale], what="replace the unit's old certificate")
        return int(kept)

    def certificate_for(self, serial: str) -> CertificateFile | None:
        """The certificate on the serial's live lot (else its newest lot), None when it has none; 2 RPCs."""
        lots = self._conn.call(
            "stock.lot",
            "search_read",
            [[["name", "=", serial.strip()]]],
            {"fields": ["product_qty"], "order": "id desc"},
            what=f"look up {serial}",
        )
        if not lots:
            return None
        lot = next((row for row in lots if (row.get("product_qty") or 0) > 0), lots[0])
        name = certificate_filename(serial.strip())
        rows = self._conn.call(
            "ir.attachment",
            "search_read",
            [[["res_model", "=", "stock.lot"], ["res_id", "=", lot["id"]], ["name", "=", name]]],
            {"fields": ["name", "datas"], "order": "id desc", "limit": 1},
            what=f"read the certificate of {serial}",
        )
        if not rows or not rows[0].get("datas"):
            return None
        try:
            data = base64.b64decode(rows[0]["datas"])
        except (ValueError, binascii.Error) as exc:
            log.odoo.info("certificate %s of lot %s unreadable: %s", rows[0].get("name"), lot["id"], exc)
            return None
        return CertificateFile(int(rows[0]["id"]), text(rows[0]["name"]), data)
