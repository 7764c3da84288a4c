"""OdooGateway: the one object app.py builds; it implements UnitDirectory, GradingSink and StockCounter."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import date

from grading_station.domain.certificate import CertificateFile
from grading_station.domain.grading import DeliveryReport, GradingRecord
from grading_station.domain.review import ReviewUnit
from grading_station.domain.units import CatalogueModel, Lease, Unit

from grading_station.odoo.catalogue import Catalogue
from grading_station.odoo.certificates import Certificates
from grading_station.odoo.commit import GradingCommitter
from grading_station.odoo.connection import OdooConnection, OdooSettings
from grading_station.odoo.leases import LeaseKeeper
from grading_station.odoo.locations import Locations
from grading_station.odoo.lot_properties import LotArchive, LotPropertiesCache
from grading_station.odoo.model_maker import ModelMaker
from grading_station.odoo.picking import DeliveryDesk
from grading_station.odoo.provisioning import Provisioner, ProvisionReport
from grading_station.odoo.review_actions import ActionDone, ReviewAction, ReviewActions, ReviewEvidence
from grading_station.odoo.review_queries import ReviewQueries
from grading_station.odoo.review_returns import ReturnReceived, ReturnsReader
from grading_station.odoo.sales import SalesDesk
from grading_station.odoo.schema import GradeScale
from grading_station.odoo.stock import StockReader
from grading_station.odoo.stock_overview import StockOverview, StockUnit
from grading_station.odoo.units import UnitFinder

from grading_station import log
from grading_station.errors import KnownError, RemoteRefused


class OdooGateway:
    """Every business operation on Odoo, one named method each; safe to call from several worker threads.

    Nothing here runs on construction: the first call (or `connect()`) logs in. `grades` are the
    (key, name) pairs of resources/grades.toml, best first; `category_map` maps Odoo category names to
    checklist categories when they differ from Phones/Tablets/Laptops; `lot_archive` keeps the lots' properties
    the Review queues read across restarts (the local store); `clock` is the station's, in seconds (that cache
    compares it with Odoo's write dates).
    """

    def __init__(
        self,
        settings: OdooSettings,
        grades: Sequence[tuple[str, str]] | None = None,
        category_map: dict[str, str] | None = None,
        lot_archive: LotArchive | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.scale = GradeScale.of(grades)
        self.connection = OdooConnection(settings)
        self.locations = Locations()
        self.catalogue = Catalogue(self.connection, self.scale, category_map)
        self._finder = UnitFinder(self.connection, self.catalogue)
        self._leases = LeaseKeeper(self.connection)
        self._committer = GradingCommitter(self.connection, self.locations, self.catalogue, self.scale)
        self._define_refused: set[int] = set()
        self._stock = StockReader(self.connection, self.locations)
        self._overview = StockOverview(self.connection, self.catalogue)
        self.provisioner = Provisioner(self.connection, self.catalogue, self.locations, self.scale)
        self._maker = ModelMaker(self.connection, self.provisioner, self.catalogue, self.scale)
        self._certificates = Certificates(self.connection)
        # The picker's operations (Picking workspace): sale orders, and deliveries with their serials.
        self.sales = SalesDesk(self.connection, self.catalogue, self.locations, self.scale)
        self.deliveries = DeliveryDesk(self.connection, self.catalogue, self.locations, self.scale)
        self._review = ReviewQueries(self.connection, self.catalogue, self.locations,
                                     LotPropertiesCache(self.connection, lot_archive, clock))
        self._returns = ReturnsReader(self.connection, self.catalogue, self.locations)
        self._review_actions = ReviewActions(self.connection, self.locations)
        self.review_evidence = ReviewEvidence(self.connection, self._review_actions)

    # -- session ---------------------------------------------------------------------------------------------
    def connect(self) -> None:
        """Log in, check version and rights, load locations and catalogue (raises KnownError subclasses)."""
        self.connection.ensure_connected()
        self.locations.load(self.connection)
        self.catalogue.refresh()
        self.define_new_variants()

    def define_new_variants(self) -> int:
        """Give variants made in Odoo since "Prepare Odoo" the lot-property definition, when this user may
        (a technician may not: then the commit refuses them until an administrator prepares Odoo again)."""
        todo = [v for v in self.catalogue.undefined_variant_ids() if v not in self._define_refused]
        if not todo:
            return 0
        try:
            count = self.provisioner.define_lot_properties(todo)
        except RemoteRefused as exc:
            self._define_refused.update(todo)
            log.odoo.info("cannot define lot properties on new variants %s: %s", todo, exc.user_message)
            return 0
        self.catalogue.refresh()
        return count

    def reconfigure(self, settings: OdooSettings) -> None:
        """Switch to new connection settings and sign in with them (raises KnownError subclasses)."""
        self.connection.reconfigure(settings)
        self.connect()

    def start_background_refresh(
        self, interval_s: float = 300.0, on_error: Callable[[KnownError], None] | None = None
    ) -> None:
        self.catalogue.start_auto_refresh(interval_s, on_error, after_refresh=self.define_new_variants)

    def close(self) -> None:
        self.catalogue.stop()
        self.connection.close()

    @property
    def rpc_count(self) -> int:
        return self.connection.rpc_count

    @property
    def odoo_major_version(self) -> int:
        return self.connection.flavour.major

    # -- set-up ----------------------------------------------------------------------------------------------
    def prepare_odoo(self) -> ProvisionReport:
        return self.provisioner.prepare()

    def create_model(
        self,
        name: str,
        category: str,
        default_code: str,
        barcode: str = "",
        new_price: float = 0.0,
        *,
        refresh: bool = True,
    ) -> int:
        return self._maker.create_model(name, category, default_code, barcode, new_price, refresh=refresh)

    def models(self) -> list[CatalogueModel]:
        self.catalogue.ensure_loaded()
        return self.catalogue.models()

    # -- UnitDirectory ---------------------------------------------------------------------------------------
    def find_unit(self, serial: str) -> Unit | None:
        return self._finder.find_unit(serial)

    def unit_history(self, lot_id: int) -> list[dict]:
        return self._finder.unit_history(lot_id)

    def last_test_report(self, lot_id: int) -> dict | None:
        return self._finder.last_test_report(lot_id)

    def search_models(self, text: str, limit: int = 20) -> list[CatalogueModel]:
        return self._finder.search_models(text, limit)

    def take_lease(self, unit: Unit, station: str, until: str, now: str) -> Lease:
        return self._leases.take_lease(unit, station, until, now)

    def release_lease(self, unit: Unit, station: str) -> None:
        self._leases.release_lease(unit, station)

    # -- GradingSink -----------------------------------------------------------------------------------------
    def deliver_grading(self, record: GradingRecord, attachments: dict[str, bytes]) -> DeliveryReport:
        return self._committer.deliver(record, attachments)

    # -- CertificateSink (services/certificate.py) ------------------------------------------------------------
    def lot_warranty_end(self, lot_id: int) -> str | None:
        return self._certificates.warranty_end(lot_id)

    def attach_certificate(self, lot_id: int, serial: str, fingerprint: str, render: Callable[[], bytes]) -> int:
        return self._certificates.attach(lot_id, serial, fingerprint, render)

    def certificate_for(self, serial: str) -> CertificateFile | None:
        """The buyer's certificate of a serial (the picker prints it for the parcel), in 2 RPCs."""
        return self._certificates.certificate_for(serial)

    # -- StockCounter ----------------------------------------------------------------------------------------
    def sellable_quantities(self, variant_ids: list[int]) -> dict[int, int]:
        return self._stock.sellable_quantities(variant_ids)

    def variant_skus(self, variant_ids: list[int]) -> dict[int, str]:
        return self._stock.variant_skus(variant_ids)

    # -- Listing workspace -----------------------------------------------------------------------------------
    def graded_units_in_stock(self, limit: int = 500) -> list[StockUnit]:
        return self._overview.graded_units_in_stock(limit)

    # -- Review workspace ------------------------------------------------------------------------------------
    def units_on_hand(self, retest_before: date | None = None) -> list[ReviewUnit]:
        """With `retest_before`, only the properties of the lots a queue shows (see ReviewQueries)."""
        return self._review.units_on_hand(retest_before, self.scale.keys)

    def units_by_serial(self, serials: list[str]) -> dict[str, ReviewUnit]:
        return self._review.units_by_serial(serials)

    def returns_received(self, limit: int = 200) -> list[ReturnReceived]:
        """The newest returns received into WH/Hold (1 RPC)."""
        return self._returns.returns_received(limit)

    def apply_review_action(self, action: ReviewAction) -> ActionDone:
        return self._review_actions.apply(action)

    def variant_for(self, template_id: int, grade: str) -> int | None:
        """The product.product of a model at a grade (from the catalogue cache)."""
        self.catalogue.ensure_loaded()
        model = self.catalogue.model(template_id)
        return model.variant_ids_by_grade.get(grade) if model else None


def check_connection(settings: OdooSettings) -> str:
    """Settings screen "Test connection": log in with these settings; returns the server version string."""
    connection = OdooConnection(settings)
    try:
        connection.ensure_connected()
        return connection.flavour.server_version or str(connection.flavour.major)
    finally:
        connection.close()


def prepare_with(settings: OdooSettings, grades: Sequence[tuple[str, str]] | None = None) -> ProvisionReport:
    """Settings screen "Prepare Odoo" with the settings being edited (not yet saved)."""
    gateway = OdooGateway(settings, grades)
    try:
        return gateway.prepare_odoo()
    finally:
        gateway.close()
