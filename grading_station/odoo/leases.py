"""Bench leases kept in the lot's properties, so two stations never grade the same unit silently."""

from __future__ import annotations

from grading_station.domain.units import Lease, Unit

from grading_station.odoo.connection import OdooConnection
from grading_station.odoo.mappers import (
    iso_datetime,
    lease_expired,
    lease_from_properties,
    odoo_datetime,
    properties_dict,
    text,
)

from grading_station.i18n import N_


class LeaseKeeper:
    """take_lease / release_lease: read-modify-write of ALL lot properties (a write replaces the dict)."""

    def __init__(self, connection: OdooConnection) -> None:
        self._conn = connection

    def _properties(self, lot_id: int) -> dict[str, object]:
        rows = self._conn.call(
            "stock.lot", "read", [[lot_id], ["lot_properties"]], what=N_("read the unit's lease")
        )
        return properties_dict(rows[0]["lot_properties"]) if rows else {}

    def _write(self, lot_id: int, props: dict[str, object], what: str) -> None:
        self._conn.call("stock.lot", "write", [[lot_id], {"lot_properties": props}], what=what)

    def take_lease(self, unit: Unit, station: str, until: str, now: str) -> Lease:
        """Our lease (taken or extended), or another bench's unexpired lease, unchanged (2 RPCs at most)."""
        props = self._properties(unit.lot_id)
        current = lease_from_properties(props)
        if current and current.station != station and not lease_expired(current, now):
            return current
        props.update(lease_station=station, lease_until=odoo_datetime(until))
        self._write(unit.lot_id, props, "record that this bench grades the unit")
        return Lease(station=station, until=iso_datetime(odoo_datetime(until)))

    def release_lease(self, unit: Unit, station: str) -> None:
        """Drop our lease; another bench's lease is left alone."""
        props = self._properties(unit.lot_id)
        if text(props.get("lease_station")) != station:
            return
        props.update(lease_station=False, lease_until=False)
        self._write(unit.lot_id, props, "release the unit")
