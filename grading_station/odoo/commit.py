"""Delivering a committed grading to Odoo in at most 6 RPCs, idempotently per grading_id (DESIGN §4, §6).

Step one reads every lot with the serial; a lot carrying our grading_id means an earlier attempt got that far,
so each later step is skipped when Odoo already has its result (stock in place, attachment by name, note).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from grading_station.domain.grading import DeliveryReport, GradingRecord

from grading_station.odoo.catalogue import Catalogue
from grading_station.odoo.connection import OdooConnection
from grading_station.odoo.evidence import Evidence
from grading_station.odoo.locations import Locations
from grading_station.odoo.mappers import (
    grading_properties,
    m2o_id,
    m2o_name,
    properties_dict,
    text,
)
from grading_station.odoo.schema import GradeScale
from grading_station.odoo.units import LOT_FIELDS

from grading_station.errors import RemoteRefused
from grading_station.i18n import N_, _


@dataclass
class _Lot:
    """A stock.lot row as the commit needs it."""

    id: int
    variant_id: int
    qty: float
    location_id: int | None
    location: str
    props: dict

    @classmethod
    def of(cls, row: dict) -> _Lot:
        return cls(
            row["id"],
            m2o_id(row["product_id"]) or 0,
            float(row.get("product_qty") or 0),
            m2o_id(row.get("location_id")),
            m2o_name(row.get("location_id")),
            properties_dict(row.get("lot_properties")),
        )


def _inside(location: str, target: str) -> bool:
    """ "WH/Stock/Shelf 2" is inside "WH/Stock" (complete names)."""
    return bool(location) and (location == target or location.startswith(target + "/"))


class GradingCommitter:
    """GradingSink.deliver_grading over one OdooConnection."""

    def __init__(
        self, connection: OdooConnection, locations: Locations, catalogue: Catalogue, scale: GradeScale
    ) -> None:
        self._conn = connection
        self._locations = locations
        self._catalogue = catalogue
        self._evidence = Evidence(connection, scale)
        self._scale = scale

    def deliver(self, record: GradingRecord, attachments: dict[str, bytes]) -> DeliveryReport:
        with self._conn.metered() as meter:
            if not self._locations.loaded:
                self._locations.load(self._conn)
            target_id, target_name = self._locations.for_placement(record.placement)
            self._check_variant(record)
            rows = self._conn.call(
                "stock.lot",
                "search_read",
                [[["name", "=", record.serial]]],
                {"fields": LOT_FIELDS, "order": "id"},
                what=f"look up {record.serial}",
            )
            lots = self._where_quants_are(record.serial, [_Lot.of(r) for r in rows])
            mine = sorted(
                (lot for lot in lots if text(lot.props.get("grading_id")) == record.grading_id),
                key=lambda lot: lot.variant_id != record.variant_id,
            )
            source = self._source(record, lots, mine)
            lot = mine[0] if mine else self._write_lot(record, lots, source)
            # a unit already somewhere inside the target (WH/Stock/Shelf 2) stays where it is
            here = next(
                (x for x in (lot, source) if x and x.qty > 0 and _inside(x.location, target_name)), None
            )
            if here is not None:
                target_id, target_name = here.location_id or target_id, here.location
            self._place(lot, source, record, target_id)
            retry = bool(mine)
            attachment_ids = self._evidence.attach(lot.id, attachments, check_existing=retry)
            message_id = self._evidence.post_note(
                lot.id, record, target_name, attachment_ids, check_existing=retry
            )
        return DeliveryReport(
            lot_id=lot.id,
            variant_id=record.variant_id,
            location=target_name,
            rpc_calls=meter.calls,
            attachment_ids=tuple(attachment_ids),
            message_id=message_id,
        )

    def _where_quants_are(self, serial: str, lots: list[_Lot]) -> list[_Lot]:
        """The live lots with the location of their quants: stock.lot.location_id is stored and is not recomputed
        when only a quant's quantity changes (transcript 05), so after Stock → Hold → Stock it still says Hold.
        One RPC, only when a live lot exists (an intake stays at 5 calls)."""
        live = [lot.id for lot in lots if lot.qty > 0]
        if not live:
            return lots
        rows = self._conn.call(
            "stock.quant",
            "search_read",
            [[["lot_id", "in", live], ["location_id.usage", "=", "internal"], ["quantity", ">", 0]]],
            {"fields": ["lot_id", "location_id"]},
            what=f"find where {serial} is",
        )
        where = {m2o_id(row["lot_id"]): row["location_id"] for row in rows}
        return [
            replace(lot, location_id=m2o_id(where[lot.id]), location=m2o_name(where[lot.id]))
            if lot.id in where else lot
            for lot in lots
        ]

    def _check_variant(self, record: GradingRecord) -> None:
        """Odoo drops property values the variant has no definition for: refuse rather than lose them."""
        info = self._catalogue.lookup_variant(record.variant_id)
        if info is None:  # not a managed variant (even after a catalogue refresh): Odoo would drop every value
            raise RemoteRefused(
                _("The Odoo product variant {variant} chosen for {serial} is not one of the station's graded models "
                  '(deleted or archived?). Check it in Odoo, run "Prepare Odoo", then retry.').format(
                    variant=record.variant_id, serial=record.serial)
            )
        if not info.defined:
            raise RemoteRefused(
                _("The Odoo product '{model}' ({sku}) lacks the station's unit fields. Ask an administrator to run "
                  '"Prepare Odoo" in the settings, then retry.').format(model=info.model_name,
                                                                         sku=info.sku or info.variant_id)
            )

    def _source(self, record: GradingRecord, lots: list[_Lot], mine: list[_Lot]) -> _Lot | None:
        """The live lot a re-grade starts from (None for an intake); refuses what would duplicate a unit."""
        if record.is_intake:
            others = [lot for lot in lots if lot.qty > 0 and lot not in mine]
            if others and not mine:
                where = others[0].location or "stock"
                raise RemoteRefused(
                    _("{serial} is already in Odoo as a unit in {where} (graded {grade}). Scan it again and re-grade "
                      "it instead of taking it in as new.").format(serial=record.serial, where=where,
                                                                   grade=others[0].props.get("grade") or "?")
                )
            return None
        source = next((lot for lot in lots if lot.id == record.existing_lot_id), None)
        if source is None:
            raise RemoteRefused(_("The Odoo lot of {serial} no longer exists; scan the unit again.").format(
                serial=record.serial))
        if source.qty <= 0 and not mine:
            raise RemoteRefused(
                _("{serial} is no longer in stock in Odoo (sold, or re-graded at another bench); scan it "
                  "again.").format(serial=record.serial)
            )
        return source

    def _write_lot(self, record: GradingRecord, lots: list[_Lot], source: _Lot | None) -> _Lot:
        """The lot on the graded variant with all properties: the same lot, a dead one of the serial on that
        variant (the serial is unique per variant), or a new one; one RPC."""
        if source is not None and source.variant_id == record.variant_id:
            props = grading_properties(record, source.props)
            self._conn.call(
                "stock.lot", "write", [[source.id], {"lot_properties": props}], what=N_("update the unit")
            )
            source_copy = _Lot(
                source.id, source.variant_id, source.qty, source.location_id, source.location, props
            )
            return source_copy
        dead = next((lot for lot in lots if lot.variant_id == record.variant_id and lot.qty <= 0), None)
        previous = {**(dead.props if dead else {}), **(source.props if source else {})}
        props = grading_properties(record, previous)
        if dead is not None:
            self._conn.call(
                "stock.lot", "write", [[dead.id], {"lot_properties": props}], what=N_("update the unit")
            )
            return _Lot(dead.id, dead.variant_id, 0.0, None, "", props)
        lot_id = self._conn.call(
            "stock.lot",
            "create",
            [{"name": record.serial, "product_id": record.variant_id, "lot_properties": props}],
            what=f"create the lot {record.serial}",
        )
        return _Lot(int(lot_id), record.variant_id, 0.0, None, "", props)

    def _place(self, lot: _Lot, source: _Lot | None, record: GradingRecord, target_id: int) -> None:
        """One batched stock.quant.create in inventory mode: the unit where it belongs, the old lot at 0."""
        stock_id = self._locations.stock_id
        vals = []
        if lot.qty > 0 and lot.location_id != target_id:
            vals.append(self._quant(lot.variant_id, lot.location_id or stock_id, lot.id, 0))
        if lot.qty <= 0 or lot.location_id != target_id:
            vals.append(self._quant(lot.variant_id, target_id, lot.id, 1))
        if source is not None and source.id != lot.id and source.qty > 0:
            vals.insert(0, self._quant(source.variant_id, source.location_id or stock_id, source.id, 0))
        if vals:
            # without inventory_mode Odoo silently ignores inventory_quantity_auto_apply
            self._conn.call(
                "stock.quant",
                "create",
                [vals],
                {"context": {"inventory_mode": True}},
                what=f"put {record.serial} in its location",
            )

    @staticmethod
    def _quant(variant_id: int, location_id: int, lot_id: int, qty: int) -> dict:
        return {
            "product_id": variant_id,
            "location_id": location_id,
            "lot_id": lot_id,
            "inventory_quantity_auto_apply": qty,
        }
