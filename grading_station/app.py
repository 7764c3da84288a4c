"""Composition root: builds config, store, adapters, services and windows once, and wires them together."""

from __future__ import annotations

import argparse
import concurrent.futures
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import QApplication

from grading_station.backmarket.registry import ListingRegistry
from grading_station.hardware.battery_reader import BatteryReader
from grading_station.odoo import OdooGateway, OdooSettings
from grading_station.store.local import Store
from grading_station.store.lot_cache import LotCache
from grading_station.store.unit_cache import UnitCache

from grading_station.services.bench_store import StationStore
from grading_station.services.delivery import KIND_GRADING, Backoff, Deliverer, GradingHandler
from grading_station.services.events import (
    ListingDidChange,
    OutboxDidChange,
    SettingsDidChange,
    StationEvents,
    announcing,
)
from grading_station.services.grading import BenchIdentity, GradingService
from grading_station.services.labels import KIND_LABEL, LabelService
from grading_station.services.live_settings import serial_patterns

from grading_station.ui import crash, messages

from grading_station import i18n, log
from grading_station.config import Config
from grading_station.errors import DamagedDatabase, KnownError
from grading_station.i18n import _
from grading_station.paths import RESOURCES, Paths, TempBaseDir, paths_under, standard_paths
from grading_station.resources import checklist_categories, load_checklist, load_grade_scale, load_pricing
from grading_station.secrets import MemoryKeyring, Secret, SecretStore

if TYPE_CHECKING:  # built after the bench is ready to scan, or on a demo or failed start only: off the start-up path
    from grading_station.services.certificate import CertificateFeed
    from grading_station.services.review import ReviewService
    from grading_station.services.review_care import CareService
    from grading_station.services.review_sales import SalesService

    from grading_station.ui.startup_problem import StartupProblemWindow

    from grading_station.demo_mode import DemoSimulators

STARTED = time.monotonic()


@dataclass
class Core:
    """The Qt-free objects of one running station (what the windows are given)."""

    paths: Paths
    config: Config
    secrets: SecretStore
    store: Store
    gateway: OdooGateway
    grading: GradingService
    deliverer: Deliverer
    listings: ListingRegistry
    events: StationEvents
    demo: DemoSimulators | None = None
    pools: list[concurrent.futures.Executor] = field(default_factory=list)
    certificates: CertificateFeed | None = None  # built with the listing channel, before the deliverer starts
    channel: ListingChannel | None = None  # built after the window shows (build_listing_channel)
    labels: LabelService | None = None
    battery: BatteryReader | None = None  # reads the unit's battery over adb / usbmux / sysfs (pools[2])

    @property
    def set_up(self) -> bool:
        """Odoo has been configured (in demo mode: always): else the station opens on its set-up page."""
        return self.demo is not None or bool(self.config.get("odoo.url"))


def odoo_settings_from(config: Config, secrets: SecretStore | None) -> OdooSettings:
    """The Odoo settings in force; reads the keyring when `secrets` is given: call that off the GUI thread."""
    api_key = config.get("odoo.auth") == "api_key"
    secret = secrets.get(Secret.ODOO_API_KEY if api_key else Secret.ODOO_PASSWORD) if secrets else ""
    return OdooSettings(
        url=config.get("odoo.url"),
        database=config.get("odoo.database"),
        login=config.get("odoo.login"),
        secret=secret,
        secret_is_api_key=api_key,
        timeout=config.get("odoo.timeout_s"),
        allow_insecure_http=config.get("odoo.allow_insecure_http"),
    )


def grade_names(scale=None) -> list[tuple[str, str]]:
    return [(g.key, g.title) for g in (scale or load_grade_scale()).grades]


def _paths(args: argparse.Namespace) -> tuple[Paths, TempBaseDir | None]:
    if args.temp_basedir:
        temp = TempBaseDir()
        return temp.paths, temp
    base = standard_paths()
    if args.demo:  # demo data and settings never mix with the station's real ones
        return paths_under(base.data_dir / "demo").ensure(), None
    return base.ensure(), None


def load_config(args: argparse.Namespace, paths: Paths) -> Config:
    """The settings; a settings file that cannot be read is set aside (kept beside, never deleted) and the
    station starts on defaults, saying so in `config.problems` (Settings is where the user fixes it)."""
    if args.demo:
        return Config.load(None)
    try:
        return Config.load(paths.config_file)
    except KnownError as exc:
        kept = paths.config_file.with_name(f"{paths.config_file.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
        try:
            paths.config_file.replace(kept)
        except OSError:
            kept = paths.config_file
        config = Config(paths.config_file)
        config.problems.append(
            _("The settings file could not be read ({reason}). It was kept as {kept}; the station starts with "
              "default settings: check them in Settings (F4) and save.").format(reason=exc.detail or exc,
                                                                                 kept=kept))
        log.app.warning("settings file unreadable, kept as %s: %s", kept, exc.detail or exc)
        return config


def open_store(paths: Paths, config: Config) -> Store:
    """The local database; a KnownError (damaged, locked by another station, no space) stops the start-up
    with the startup-problem window instead of the crash dialog."""
    return Store.open(paths, photo_quality=config.get("photos.jpeg_quality"))


def build_core(args: argparse.Namespace, paths: Paths) -> Core:
    config = load_config(args, paths)
    secrets = SecretStore(MemoryKeyring() if args.demo else None)
    demo = None
    if args.demo:
        from grading_station.demo_mode import DemoSimulators  # the simulators: only a demo start needs them

        demo = DemoSimulators()
        demo.point_config_at_them(config, secrets)
    store = open_store(paths, config)
    events = StationEvents()
    scale = load_grade_scale()
    # No keyring read here (GUI thread, and a missing keyring must not stop the start): the secret comes with
    # the sign-in, off the GUI thread (Station._connect).
    gateway = OdooGateway(odoo_settings_from(config, None), grades=grade_names(scale),
                          lot_archive=LotCache(store.executor))  # the Review queues read only changed lots
    station = config.get("station.name")
    templates = {category: load_checklist(category) for category in checklist_categories()}
    grading = GradingService(
        gateway, StationStore(store, station), templates, scale,
        BenchIdentity(station, config.get("station.technician") or station), serial_patterns=serial_patterns(config),
        scan_prefix=config.get("scanner.prefix"), scan_suffix=config.get("scanner.suffix"),
        cache=UnitCache(store.executor),  # the bench goes on looking units up while Odoo is down
    )
    deliverer = Deliverer(
        store.outbox,
        backoff=Backoff(config.get("outbox.retry_initial_s"), maximum=config.get("outbox.retry_max_s")),
    )
    listings = ListingRegistry(paths.data_dir / "backmarket.sqlite3")
    labels = LabelService(config, store.outbox, grading.grade_title, lambda: config.get("station.name"),
                          wake=deliverer.wake)
    deliverer.register(KIND_LABEL, labels.handle)  # printed through the outbox: waits while the printer is off
    # Every outbox change (commits, deliveries, retries), from whichever thread made it, and every setting.
    store.outbox.listeners.append(lambda item_id: events.publish(OutboxDidChange(item_id)))
    listings.listeners.append(lambda sku: events.publish(ListingDidChange((sku,))))
    config.on_change(lambda key, _value: events.publish(SettingsDidChange(frozenset({key}))))
    pools = [
        concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="bench-store"),
        concurrent.futures.ThreadPoolExecutor(3, thread_name_prefix="bench-net"),
        concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="battery-device"),
    ]
    # The demo never starts an adb server (a real one already running is still read).
    battery = BatteryReader.for_station(start_adb=not args.demo)
    return Core(paths, config, secrets, store, gateway, grading, deliverer, listings, events, demo, pools,
                labels=labels, battery=battery)


def build_review(core: Core) -> ReviewService:
    """The supervisor's Review use case (its actions share the station's store and outbox)."""
    from grading_station.store.review import ReviewStore

    from grading_station.services.review import CATEGORIES, ReviewService, value_by_pricing

    config = core.config
    return ReviewService(
        core.gateway, ReviewStore(core.store.executor, core.store.outbox), core.grading.scale,
        config.get("station.name"), value_of=value_by_pricing(load_pricing),
        retest_days=lambda: {c: config.get(f"review.retest_days_{c}") for c in CATEGORIES},
        listed_at=core.listings.listed_at,  # when each unit's listing went live (time from intake to listing)
    )


@dataclass(frozen=True)
class ListingChannel:
    """The Back Market side of the station: its client and the listing feed the outbox delivers through."""

    backmarket: object  # BackMarketClient
    feed: object  # ListingFeed
    picking: object = None  # PickingService (the Picking workspace)
    importer: object = None  # OrderImporter


def build_listing_channel(core: Core) -> ListingChannel:
    """Off the GUI thread, once the window shows (httpx and the pricing rules are not needed to scan): the Back
    Market client and listing feed, and the outbox handlers that use them (start the deliverer after this)."""
    from grading_station.backmarket.factory import unconfigured_client

    from grading_station.services.certificate import KIND_CERTIFICATE, CertificateFeed, market_language
    from grading_station.services.listing import ListingService
    from grading_station.services.listing_facts import CatalogueFacts
    from grading_station.services.listing_outbox import KIND_STOCK, ListingFeed
    from grading_station.services.review import KIND_REVIEW, ReviewHandler
    from grading_station.services.review_care import KIND_CARE_REPLY, CareReplyHandler

    config, scale = core.config, core.grading.scale
    backmarket = unconfigured_client(budget_path=core.paths.data_dir / "backmarket-budget.json")
    pricing = load_pricing()
    bm_grades = {g.key: g.backmarket or "" for g in scale.grades}
    facts = CatalogueFacts(core.gateway.catalogue, bm_grades, pricing.new_prices)
    feed = ListingFeed(ListingService(backmarket, core.gateway, facts, pricing, core.listings), core.store.outbox,
                       wake=core.deliverer.wake, auto_list=lambda: config.get("backmarket.auto_list"))
    # The buyer's certificate, in the main market's language (backmarket.markets: declared by the import above).
    core.certificates = certificates = CertificateFeed(
        core.store.outbox, core.gateway, scale, core.grading.templates, wake=core.deliverer.wake,
        language=lambda: market_language(config.get("backmarket.markets")),
        verify_url=lambda: config.get("certificate.verify_url"),
    )
    core.deliverer.register(KIND_CERTIFICATE, certificates.handle)
    # A grading delivered to Odoo queues the Back Market sync of the variants it changed, and its certificate.
    core.deliverer.register(KIND_GRADING, announcing(
        certificates.after_grading(feed.after_grading(GradingHandler(core.gateway))), core.events))
    core.deliverer.register(KIND_STOCK, feed.handle)
    core.deliverer.register(KIND_CARE_REPLY, CareReplyHandler(backmarket, core.gateway))  # the supervisor's replies
    core.deliverer.register(KIND_REVIEW, announcing(ReviewHandler(core.gateway), core.events))  # repair, release
    picking, importer = build_picking(core, backmarket)
    return ListingChannel(backmarket, feed, picking, importer)


def build_picking(core: Core, backmarket: object) -> tuple[object, object]:
    """The picker's services over the Back Market client, and their outbox kinds (import, cancel, pick,
    warranty, shipment: all keyed per order)."""
    from grading_station.services.picking import KIND_PICK, KIND_SHIP, KIND_WARRANTY, PickingService
    from grading_station.services.picking_import import KIND_CANCEL, KIND_IMPORT, OrderImporter

    outbox, publish, wake = core.store.outbox, core.events.publish, core.deliverer.wake
    picking = PickingService(core.gateway, backmarket, outbox, core.config, publish=publish, wake=wake)
    importer = OrderImporter(backmarket, core.gateway, outbox, publish=publish, wake=wake)
    for kind, handler in ((KIND_IMPORT, importer.handle_import), (KIND_CANCEL, importer.handle_cancel),
                          (KIND_PICK, picking.handle_pick), (KIND_WARRANTY, picking.handle_warranty),
                          (KIND_SHIP, picking.handle_ship)):
        core.deliverer.register(kind, handler)
    return picking, importer


def build_sales(core: Core, channel: ListingChannel) -> SalesService:
    """The sales figures of the Review workspace: Back Market's sold lines, grade and category by SKU from the
    Odoo catalogue cache."""
    from grading_station.services.review_sales import SalesService

    catalogue = core.gateway.catalogue

    def skus() -> dict[str, tuple[str, str]]:
        infos = (catalogue.variant(v) for v in catalogue.variant_ids())
        return {i.sku.casefold(): (i.grade or "", i.category) for i in infos if i is not None and i.sku}

    return SalesService(channel.backmarket, skus)


def build_care(core: Core, channel: ListingChannel) -> CareService:
    """Returns and disputes from Back Market's care folders (needs the Back Market client)."""
    from grading_station.store.review import ReviewStore

    from grading_station.services.review_care import CareService

    keys = {g.key for g in core.grading.scale.grades}
    return CareService(channel.backmarket, core.gateway, ReviewStore(core.store.executor, core.store.outbox),
                       grade_of_sku=lambda sku: next((k for k in keys if sku.upper().endswith("-" + k.upper())), ""))


def _setup_qt(args: argparse.Namespace, language: str) -> QApplication:
    qt_app = QApplication.instance() or QApplication(sys.argv[:1])
    qt_app.setApplicationName("Grading Station")
    qt_app.setDesktopFileName("grading-station")
    qt_app.setWindowIcon(QIcon(str(RESOURCES / "icons" / "grading-station.svg")))
    font = QFont(qt_app.font())
    font.setPointSize(max(font.pointSize(), 11))
    qt_app.setFont(font)
    from grading_station.ui.qt_translations import install_qt_translations

    install_qt_translations(qt_app, language)  # Qt's own words (Cancel, context menus) in the same language
    crash.install(show_dialog=not args.no_err_windows)
    return qt_app


class Launcher:
    """Builds the station, or the startup-problem window when it cannot start, and retries on request."""

    def __init__(self, args: argparse.Namespace, paths: Paths) -> None:
        self.args, self.paths = args, paths
        self.station = None
        self.problem_window: StartupProblemWindow | None = None

    def launch(self) -> None:
        from grading_station.station import Station  # the windows: imported once the start-up can go on

        try:
            core = build_core(self.args, self.paths)
        except KnownError as exc:
            self._show_problem(exc)
            return
        if self.problem_window is not None:
            self.problem_window.close()
            self.problem_window = None
        self.station = Station(core, self.args)
        self.station.start()
        log.app.info("window shown after %.0f ms (data in %s)", (time.monotonic() - STARTED) * 1000,
                     Path(self.paths.data_dir), extra={"event": "window-shown"})

    def _show_problem(self, exc: KnownError) -> None:
        from grading_station.ui.startup_problem import StartupProblem, StartupProblemWindow  # (a failed start only)

        log.app.error("cannot start: %s", exc.detail or exc.user_message, extra={"event": "startup-problem"})
        problem = StartupProblem(exc.user_message, self.paths.database,
                                 can_set_aside=isinstance(exc, DamagedDatabase))
        window = StartupProblemWindow(problem)
        window.retry_did_request.connect(lambda: QTimer.singleShot(0, self.launch))
        window.set_aside_did_request.connect(self._set_aside_and_retry)
        if self.problem_window is not None:
            self.problem_window.close()
        self.problem_window = window
        window.show()
        if self.args.quit_when_ready:
            QTimer.singleShot(0, QApplication.instance().quit)

    def _set_aside_and_retry(self) -> None:
        database = self.paths.database
        kept = database.with_name(f"{database.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
        for suffix in ("", "-wal", "-shm"):
            source = Path(f"{database}{suffix}")
            if source.exists():
                source.replace(Path(f"{kept}{suffix}"))
        log.app.warning("damaged database set aside as %s", kept)
        messages.warning(_("The damaged database was kept as {kept} (for support); the station starts with an "
                           "empty one.").format(kept=kept), replace="startup")
        QTimer.singleShot(0, self.launch)

    def stop(self) -> None:
        if self.station is not None:
            self.station.stop()


def run(args: argparse.Namespace) -> int:
    paths, temp = _paths(args)
    # The language is read before any widget exists (every screen is built in it): a change needs a restart.
    language = i18n.install(Config.peek(None if args.demo else paths.config_file, "station.language"))
    qt_app = _setup_qt(args, language)
    log.add_log_file(paths.log_dir, json_lines=bool(Config.peek(paths.config_file, "logging.json_lines")))
    launcher = Launcher(args, paths)
    launcher.launch()
    try:
        return qt_app.exec()
    finally:
        launcher.stop()
        log.remove_log_file()
        if temp is not None:
            temp.close()

