"""Composition root: builds config, store, adapters, services and windows once, and wires them together."""

from __future__ import annotations

import argparse
import concurrent.futures
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from grading_station.domain.identifiers import DEFAULT_SERIAL_PATTERNS, compile_serial_patterns
from grading_station.domain.pricing import PricingTable

from grading_station.backmarket.client import BackMarketClient
from grading_station.backmarket.factory import check_connection as check_backmarket
from grading_station.backmarket.factory import client_from_config
from grading_station.backmarket.factory import reconfigure as reconfigure_backmarket
from grading_station.backmarket.registry import ListingRegistry
from grading_station.hardware.demo_clip import DemoCamera
from grading_station.hardware.scanbuffer import ScanBuffer
from grading_station.odoo import OdooGateway, OdooSettings
from grading_station.odoo.gateway import check_connection, prepare_with
from grading_station.store.local import Store

from grading_station.services.bench_store import StationStore
from grading_station.services.delivery import KIND_GRADING, Backoff, Deliverer, GradingHandler
from grading_station.services.grading import BenchIdentity, GradingService
from grading_station.services.listing import ListingService
from grading_station.services.listing_facts import CatalogueFacts
from grading_station.services.listing_outbox import KIND_STOCK, ListingFeed

from grading_station.ui import crash, messages
from grading_station.ui.activity.bridge import OutboxBridge
from grading_station.ui.activity.panel import ActivityPanel
from grading_station.ui.bench.bench_view import BenchView
from grading_station.ui.camera import CameraPanel
from grading_station.ui.listing import settings_page as _listing_settings_page  # noqa: F401 (registers the page)
from grading_station.ui.listing.badge import ListingBadge
from grading_station.ui.listing.panel import ListingPanel
from grading_station.ui.main_window import MainWindow, Workspace
from grading_station.ui.scan_filter import ScanFilter
from grading_station.ui.scan_router import ScanRouter
from grading_station.ui.settings.pages import SettingsContext
from grading_station.ui.settings.screen import SettingsScreen
from grading_station.ui.worker import run_in_background

from grading_station import log
from grading_station.config import Config
from grading_station.demo_mode import DemoSimulators
from grading_station.paths import RESOURCES, Paths, TempBaseDir, paths_under, standard_paths
from grading_station.resources import checklist_categories, load_checklist, load_grade_scale
from grading_station.secrets import MemoryKeyring, Secret, SecretStore

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
    backmarket: BackMarketClient
    listings: ListingRegistry
    feed: ListingFeed
    demo: DemoSimulators | None = None
    pools: list[concurrent.futures.Executor] = field(default_factory=list)


def odoo_settings_from(config: Config, secrets: SecretStore) -> OdooSettings:
    api_key = config.get("odoo.auth") == "api_key"
    return OdooSettings(
        url=config.get("odoo.url"),
        database=config.get("odoo.database"),
        login=config.get("odoo.login"),
        secret=secrets.get(Secret.ODOO_API_KEY if api_key else Secret.ODOO_PASSWORD),
        secret_is_api_key=api_key,
        timeout=config.get("odoo.timeout_s"),
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


def build_core(args: argparse.Namespace, paths: Paths) -> Core:
    config = Config.load(None if args.demo else paths.config_file)
    secrets = SecretStore(MemoryKeyring() if args.demo else None)
    demo = None
    if args.demo:
        demo = DemoSimulators()
        demo.point_config_at_them(config, secrets)
    store = Store.open(paths, photo_quality=config.get("photos.jpeg_quality"))
    scale = load_grade_scale()
    gateway = OdooGateway(odoo_settings_from(config, secrets), grades=grade_names(scale))
    station = config.get("station.name")
    templates = {category: load_checklist(category) for category in checklist_categories()}
    patterns = compile_serial_patterns(config.get("scanner.serial_patterns")) + DEFAULT_SERIAL_PATTERNS
    grading = GradingService(
        gateway, StationStore(store, station), templates, scale,
        BenchIdentity(station, config.get("station.technician") or station), serial_patterns=patterns,
        scan_prefix=config.get("scanner.prefix"), scan_suffix=config.get("scanner.suffix"),
    )
    deliverer = Deliverer(
        store.outbox,
        backoff=Backoff(config.get("outbox.retry_initial_s"), maximum=config.get("outbox.retry_max_s")),
    )
    backmarket = client_from_config(config, secrets, budget_path=paths.data_dir / "backmarket-budget.json")
    listings = ListingRegistry(paths.data_dir / "backmarket.sqlite3")
    pricing = PricingTable.parse((RESOURCES / "pricing.toml").read_text(encoding="utf-8"))
    bm_grades = {g.key: g.backmarket or "" for g in scale.grades}
    facts = CatalogueFacts(gateway.catalogue, bm_grades, pricing.new_prices)
    feed = ListingFeed(ListingService(backmarket, gateway, facts, pricing, listings), store.outbox,
                       wake=deliverer.wake, auto_list=lambda: config.get("backmarket.auto_list"))
    # A grading delivered to Odoo queues the Back Market sync of the variants it changed.
    deliverer.register(KIND_GRADING, feed.after_grading(GradingHandler(gateway)))
    deliverer.register(KIND_STOCK, feed.handle)
    pools = [
        concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="bench-store"),
        concurrent.futures.ThreadPoolExecutor(3, thread_name_prefix="bench-net"),
    ]
    return Core(paths, config, secrets, store, gateway, grading, deliverer, backmarket, listings, feed, demo,
                pools)


class Station:
    """The windows of one running station and their start/stop; everything is built here, once."""

    def __init__(self, core: Core, args: argparse.Namespace) -> None:
        self.core, self.args = core, args
        config = core.config
        self.router = ScanRouter()
        self.scan_filter = ScanFilter(self.router, ScanBuffer(
            max_interval_ms=config.get("scanner.max_key_interval_ms"),
            prefix=config.get("scanner.prefix"), suffix=config.get("scanner.suffix"),
        ))
        self.bridge = OutboxBridge()
        # Every outbox change (commits, deliveries, retries), from whichever thread made it.
        core.store.outbox.listeners.append(lambda _item_id: self.bridge.notify(None))
        self.window = MainWindow(config.get("station.name"))
        messages.set_sink(self.window.message_bar.show_message)
        self.bench = BenchView(core.grading, self.router, core.pools[0], core.pools[1])
        camera_source = (lambda: DemoCamera(core.paths.data_dir / "demo-camera")) if core.demo else None
        self.camera = CameraPanel(config, self.router, camera_source)  # scans go where scanner bursts go
        self.camera.photo_did_capture.connect(self.bench.fill_photo_slot)
        self.bench.awaiting_photo_slot_did_change.connect(self.camera.set_awaiting_slot)
        self.camera.set_compact(True)
        self.bench.add_side_panel(self.camera)
        self.activity = ActivityPanel(
            core.store.outbox, self.bridge, core.store.executor,
            wake=core.deliverer.wake, actor=lambda: config.get("station.technician"),
        )
        self.settings = SettingsScreen(SettingsContext(core.config, core.secrets, services={
            "odoo.check": check_connection,
            "odoo.prepare": lambda settings: prepare_with(settings, grade_names()),
            "backmarket.check": check_backmarket,
        }))
        self.settings.settings_did_save.connect(self._settings_saved)
        self.listing = ListingPanel(core.listings, core.feed)
        self.bridge.outbox_did_change.connect(self.listing.schedule_refresh)
        self._wire_listing_badge()
        self.window.add_workspace(Workspace("bench", "Bench", self.bench, "F1"))
        self.window.add_workspace(Workspace("listing", "Listing", self.listing, "F2"))
        self.window.add_workspace(Workspace("activity", "Activity", self.activity, "F3"))
        self.window.add_workspace(Workspace("settings", "Settings", self.settings, "F4"))

    def _wire_listing_badge(self) -> None:
        """The unit card shows the scanned unit's Back Market state, refreshed as the outbox delivers."""
        badge = ListingBadge(self.core.listings)
        self.bench.card.add_detail(badge)
        shown = {"serial": ""}

        def show(serial: str) -> None:
            shown["serial"] = serial
            badge.show_serial(serial)

        # The unit the card shows (not every raw scan: a refused scan leaves the card, and so the badge, as is).
        self.bench.card.serial_did_show.connect(show)
        self.bench.grading_did_commit.connect(lambda summary: show(summary.serial))
        self.bridge.outbox_did_change.connect(lambda _item: shown["serial"] and badge.show_serial(shown["serial"]))

    def start(self) -> None:
        QApplication.instance().installEventFilter(self.scan_filter)
        self.window.resize(1366, 768)
        self.window.show()
        self.bench.scan_bar.focus_field()
        self.core.deliverer.start()
        self.listing.refresh()
        for problem in self.core.config.problems:
            messages.warning(f"Settings: {problem}", replace="config")
        run_in_background(self.window, self._connect, success=self._connected, failure=self._not_connected)

    def _connect(self) -> str:
        """Off the GUI thread: sign in to Odoo (in demo mode: prepare it and load the demo data first)."""
        gateway = self.core.gateway
        if self.core.demo is not None:
            from grading_station.demo import seed_demo

            seed_demo(gateway)
        gateway.connect()
        gateway.start_background_refresh(300)
        return self._connection_text()

    def _connected(self, text: str) -> None:
        self.window.set_connection_state(text, ok=True)
        log.app.info("ready to scan after %.0f ms", (time.monotonic() - STARTED) * 1000,
                     extra={"event": "ready"})
        if self.core.demo is not None:
            self.core.demo.start_backmarket()
        if self.args.quit_when_ready:
            QTimer.singleShot(0, QApplication.instance().quit)

    def _not_connected(self, exc: BaseException) -> None:
        text = getattr(exc, "user_message", str(exc))
        self.window.set_connection_state("Odoo: not connected", ok=False)
        messages.error(f"Cannot reach Odoo: {text} Check Settings → Odoo.", replace="odoo")
        log.app.info("not connected to Odoo: %s", text, extra={"event": "not-connected"})
        if self.args.quit_when_ready:
            QTimer.singleShot(0, QApplication.instance().quit)

    def _settings_saved(self) -> None:
        """Saved settings apply at once: Odoo signs in again and Back Market gets the new token/headers."""
        core = self.core
        run_in_background(  # the keyring read, like the sign-in, stays off the GUI thread
            self.window, lambda: core.gateway.reconfigure(odoo_settings_from(core.config, core.secrets)),
            success=lambda _: self.window.set_connection_state(self._connection_text(), ok=True),
            failure=self._not_connected,
        )
        run_in_background(
            self.window, lambda: reconfigure_backmarket(core.backmarket, core.config, core.secrets)
        )

    def _connection_text(self) -> str:
        return f"Odoo {self.core.gateway.odoo_major_version} · {self.core.config.get('odoo.database')}"

    def stop(self) -> None:
        QApplication.instance().removeEventFilter(self.scan_filter)
        self.camera.stop()
        self.bench.shutdown()
        self.core.deliverer.stop()
        for pool in self.core.pools:
            pool.shutdown(wait=True, cancel_futures=True)
        self.core.gateway.close()
        self.core.listings.close()
        self.core.store.close()
        if self.core.demo is not None:
            self.core.demo.stop()


def run(args: argparse.Namespace) -> int:
    qt_app = QApplication.instance() or QApplication(sys.argv[:1])
    qt_app.setApplicationName("Grading Station")
    font = QFont(qt_app.font())
    font.setPointSize(max(font.pointSize(), 11))
    qt_app.setFont(font)
    crash.install(show_dialog=not args.no_err_windows)
    paths, temp = _paths(args)
    core = build_core(args, paths)
    station = Station(core, args)
    station.start()
    log.app.info("window shown after %.0f ms (data in %s)", (time.monotonic() - STARTED) * 1000,
                 Path(paths.data_dir), extra={"event": "window-shown"})
    try:
        return qt_app.exec()
    finally:
        station.stop()
        if temp is not None:
            temp.close()
