"""The Protocols services use to talk to adapters; the composition root (app.py) plugs real adapters in."""

from __future__ import annotations

from typing import Protocol

from grading_station.domain.grading import DeliveryReport, GradingRecord
from grading_station.domain.units import CatalogueModel, Lease, Unit


class UnitDirectory(Protocol):
    """Odoo as the bench sees it: find units, search models, hold leases."""

    def find_unit(self, serial: str) -> Unit | None:
        """The live lot with that serial (product_qty > 0, any variant), in ONE RPC; None if there is none."""

    def unit_history(self, lot_id: int) -> list[dict]:
        """Chatter messages of the lot, newest first: [{"date", "author", "body"}]; may take more RPCs."""

    def search_models(self, text: str, limit: int = 20) -> list[CatalogueModel]:
        """Managed models matching a name, internal reference or EAN."""

    def last_test_report(self, lot_id: int) -> dict | None:
        """The lot's newest JSON test report (a GradingRecord's JSON), in one RPC; None if it has none."""

    def take_lease(self, unit: Unit, station: str, until: str, now: str) -> Lease:
        """Record that `station` grades this unit until `until`; returns the lease that holds after the call
        (another bench's unexpired lease is returned unchanged and must be shown to the technician)."""

    def release_lease(self, unit: Unit, station: str) -> None: ...


class GradingSink(Protocol):
    """Where a committed grading is delivered (the Odoo gateway). Idempotent per `grading_id`."""

    def deliver_grading(self, record: GradingRecord, attachments: dict[str, bytes]) -> DeliveryReport:
        """Apply the grading; a retry after a crash or timeout must not duplicate anything.

        `attachments` maps file name -> content (JSON report, photos). Raises KnownError subclasses:
        RemoteUnavailable (retry later) or RemoteRefused (Odoo's reason, shown to the user)."""


class StockCounter(Protocol):
    """Sellable quantities for Back Market listings, read from Odoo in one grouped call."""

    def sellable_quantities(self, variant_ids: list[int]) -> dict[int, int]:
        """Units in WH/Stock per variant (0 for a variant with none), one read_group RPC."""

    def variant_skus(self, variant_ids: list[int]) -> dict[int, str]:
        """default_code (the Back Market SKU) per variant."""
