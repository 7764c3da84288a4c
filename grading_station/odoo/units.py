"""Finding units: the live lot of a serial in one RPC, a lot's chatter history, catalogue search."""

from __future__ import annotations

import base64
import binascii
import json

from grading_station.domain.units import CatalogueModel, Unit

from grading_station.odoo.catalogue import Catalogue
from grading_station.odoo.connection import OdooConnection
from grading_station.odoo.mappers import history_entry, m2o_id, text, unit_from_lot

from grading_station import log
from grading_station.i18n import N_

LOT_FIELDS = ["name", "product_id", "product_qty", "location_id", "lot_properties"]


class UnitFinder:
    """The read side of the bench (UnitDirectory's find_unit / unit_history / search_models)."""

    def __init__(self, connection: OdooConnection, catalogue: Catalogue) -> None:
        self._conn = connection
        self._catalogue = catalogue

    def find_unit(self, serial: str) -> Unit | None:
        """The live lot (product_qty > 0, any variant) with that serial: one stock.lot search_read."""
        serial = serial.strip()
        if not serial:
            return None
        self._catalogue.ensure_loaded()
        rows = self._conn.call(
            "stock.lot",
            "search_read",
            [[["name", "=", serial], ["product_qty", ">", 0]]],
            {"fields": LOT_FIELDS, "order": "id desc"},
            what=f"look up {serial}",
        )
        if not rows:
            return None
        if len(rows) > 1:
            # A serial live on two variants means a re-grade was interrupted half-way; the newest lot wins.
            log.odoo.info(
                "serial %s is live on %d lots; using the newest (%s)", serial, len(rows), rows[0]["id"]
            )
        row = rows[0]
        variant_id = m2o_id(row["product_id"]) or 0
        info = self._catalogue.lookup_variant(variant_id)
        return unit_from_lot(row, info)

    def unit_history(self, lot_id: int) -> list[dict]:
        """Chatter of every lot this serial has had (re-grades make new lots), newest first (3 RPCs)."""
        lots = self._conn.call("stock.lot", "read", [[lot_id], ["name"]], what=N_("read the unit"))
        if not lots:
            return []
        siblings = self._conn.call(
            "stock.lot",
            "search",
            [[["name", "=", text(lots[0]["name"])]]],
            what=N_("read the unit's earlier lots"),
        )
        rows = self._conn.call(
            "mail.message",
            "search_read",
            [[["model", "=", "stock.lot"], ["res_id", "in", siblings or [lot_id]]]],
            {"fields": ["date", "author_id", "body", "message_type"], "order": "id desc"},
            what=N_("read the unit's history"),
        )
        return [history_entry(r) for r in rows if text(r.get("body")).strip()]

    def last_test_report(self, lot_id: int) -> dict | None:
        """The newest JSON test report attached to the lot (a GradingRecord's JSON), in one RPC; None if none."""
        rows = self._conn.call(
            "ir.attachment",
            "search_read",
            [[["res_model", "=", "stock.lot"], ["res_id", "=", lot_id], ["name", "=like", "test-report-%.json"]]],
            {"fields": ["name", "datas"], "order": "id desc", "limit": 1},
            what=N_("read the unit's last test report"),
        )
        if not rows or not rows[0].get("datas"):
            return None
        try:
            report = json.loads(base64.b64decode(rows[0]["datas"]))
        except (ValueError, binascii.Error) as exc:  # not ours or damaged: the technician answers again
            log.odoo.info("test report %s of lot %s unreadable: %s", rows[0].get("name"), lot_id, exc)
            return None
        return report if isinstance(report, dict) else None

    def search_models(self, query: str, limit: int = 20) -> list[CatalogueModel]:
        """Managed models by name words, internal reference or EAN, from the cache (reloaded on a miss)."""
        self._catalogue.ensure_loaded()
        hits = self._catalogue.search(query, limit)
        if not hits and query.strip():
            self._catalogue.refresh()
            hits = self._catalogue.search(query, limit)
        return hits
