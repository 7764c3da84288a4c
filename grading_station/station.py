"""The windows of one running station: workspaces built in one place, scans routed, events and settings wired."""

from __future__ import annotations

import argparse
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication

from grading_station.hardware.scanbuffer import ScanBuffer
from grading_station.odoo.gateway import check_connection, prepare_with

from grading_station.services.certificate import save_certificate
from grading_station.services.events import ConnectionDidChange, SettingsDidChange
from grading_station.services.live_settings import RESTART_KEYS, LiveSettings

from grading_station.ui import crash, messages
from grading_station.ui.bench.bench_view import BenchView
from grading_station.ui.kit.background import run_in_background
from grading_station.ui.kit.deferred import DeferredWorkspace, load_in_turn
from grading_station.ui.kit.events import EventSignals
from grading_station.ui.kit.workspace import Workspace
from grading_station.ui.listing import settings_page as _listing_settings_page  # noqa: F401 (registers the page)
from grading_station.ui.listing.badge import ListingBadge
from grading_station.ui.main_window import MainWindow
from grading_station.ui.scan_filter import ScanFilter, looks_like_scan
from grading_station.ui.scan_router import ScanRouter
from grading_station.ui.settings import labels_page as _labels_page  # noqa: F401 (registers the page)
from grading_station.ui.settings.pages import SettingsContext
from grading_station.ui.settings.screen import SettingsScreen
from grading_station.ui.window_state import remember_window

from grading_station import log
from grading_station.app import (
    STARTED,
    Core,
    ListingChannel,
    build_care,
    build_listing_channel,
    build_review,
    build_sales,
    grade_names,
    odoo_settings_from,
)
from grading_station.errors import KnownError
from grading_station.i18n import _
from grading_station.secrets import KeyringUnavailable

if TYPE_CHECKING:  # loaded after the bench is ready to scan (_load_review)
    from grading_station.services.review import ReviewService


class Station:
    """The windows of one running station and their start/stop; every workspace is built here, once."""

    def __init__(self, core: Core, args: argparse.Namespace) -> None:
        self.core, self.args = core, args
        config = core.config
        self.events = EventSignals(core.events)
        self.router = ScanRouter()
        self.scan_buffer = ScanBuffer(
            max_interval_ms=config.get("scanner.max_key_interval_ms"),
            prefix=config.get("scanner.prefix"), suffix=config.get("scanner.suffix"),
        )
        # A fast burst in a text field is a scan only if it reads as one with this station's serial patterns.
        self.scan_filter = ScanFilter(self.router, self.scan_buffer,
                                      is_scan=lambda value: looks_like_scan(value, core.grading.serial_patterns))
        self.live = LiveSettings(config, core.grading, core.deliverer, self.scan_buffer, core.store.photos)
        self.window = MainWindow(config.get("station.name"))
        remember_window(self.window, core.paths.config_dir)  # size, position, maximised: as the user left them
        messages.set_sink(self.window.message_bar.show_message)
        self._build_workspaces()
        self.router.scan_did_arrive.connect(self.window.route_scan)  # a scan goes to the workspace shown
        self.events.settings_did_change.connect(self._setting_changed)
        self._signed_in = False
        self._loaded_the_rest = False
        self._stopped = False
        self.demo_camera = None  # --demo: the virtual camera F9 puts a box under
        self._demo_box_shown = False
        self._wire_connection_state()
        if core.demo is not None:
            self.window.set_mode_banner(_("DEMO — simulated Odoo and Back Market (sandbox): nothing here is real · "
                                          "F9 puts a boxed unit under the camera"))

    # -- the workspaces ----------------------------------------------------------------------------
    def _build_workspaces(self) -> None:
        core = self.core
        self.bench = BenchView(core.grading, self.router, core.pools[0], core.pools[1], labels=core.labels,
                               battery_reader=core.battery, device_executor=core.pools[2])
        self.camera = None  # loaded once the window is up (_load_camera): OpenCV is the slowest import
        self.activity = None  # the ActivityPanel, built once the bench is ready to scan (_add_activity)
        self.activity_slot = DeferredWorkspace(_("Loading the activity…"))
        self.settings = SettingsScreen(SettingsContext(core.config, core.secrets, services={
            "odoo.check": check_connection,
            "odoo.prepare": lambda settings: prepare_with(settings, grade_names()),
            "backmarket.check": _check_backmarket,
            **self._label_services(),
        }), first_run=not core.set_up)
        self.settings.settings_did_save.connect(self._settings_saved)
        self.listing = None  # the ListingPanel, built with the Back Market channel (_add_listing_channel)
        self.listing_slot = DeferredWorkspace(_("Connecting to Back Market…"))
        self.picking = None  # the PickingPanel, built with the Back Market channel too
        self.review = None  # the ReviewPanel, built once the bench is ready to scan (_add_review)
        self.review_slot = DeferredWorkspace(_("Loading the review queues…"))
        self.picking_slot = DeferredWorkspace(_("Connecting to Back Market…"))
        self._wire_listing_badge()
        self.bench.enable_certificates(lambda serial: save_certificate(core.gateway, serial))  # C on the look-up
        for workspace in (
            Workspace("bench", _("Bench"), self.bench, "F1"),
            Workspace("listing", _("Listing"), self.listing_slot, "F2"),
            Workspace("activity", _("Activity"), self.activity_slot, "F3"),
            Workspace("settings", _("Settings"), self.settings, "F4"),
            Workspace("picking", _("Picking"), self.picking_slot, "F5"),
            Workspace("review", _("Review"), self.review_slot, "F6"),
        ):
            self.window.add_workspace(workspace)

    def _label_services(self) -> dict:
        labels = self.core.labels
        if labels is None:
            return {}
        return {"labels.test": labels.print_test,
                "labels.preview": lambda size: labels.preview_png(labels.test_fields(), size, scale=1)}

    def _add_activity(self) -> None:
        """The outbox and the log tail; failing deliveries show on the side bar wherever the user is."""
        from grading_station.ui.activity.panel import ActivityPanel  # (after ready: see start-up)

        core = self.core
        self.activity = ActivityPanel(
            core.store.outbox, self.events, core.store.executor,
            wake=core.deliverer.wake, actor=lambda: core.config.get("station.technician"),
            log_file=core.paths.log_dir / log.LOG_FILE_NAME,
        )
        self.activity.failing_count_did_change.connect(lambda count: self.window.set_badge("activity", count))
        self.activity_slot.set_widget(self.activity)

    def _load_review(self) -> tuple[type, ReviewService]:
        """Off the GUI thread: the review panel's modules and the review service."""
        from grading_station.ui.review.panel import ReviewPanel

        return ReviewPanel, build_review(self.core)

    def _add_review(self, loaded: tuple[type, ReviewService]) -> None:
        """The supervisor's queues; "Re-inspect" shows the unit at the bench with its checklist open, filled in
        with the earlier answers (the re-grade is committed through the outbox like any grading)."""
        review_panel, service = loaded
        core = self.core
        self.review = review_panel(service, identify=core.grading.identify,
                                   supervisor=core.config.get("station.technician"))
        # Its queues follow the units (a delivered grading or action) and the outbox (actions waiting).
        self.events.unit_did_change.connect(self.review.schedule_refresh)
        self.events.outbox_did_change.connect(self.review.schedule_refresh)

        pending = {"serial": ""}

        def reinspect(serial: str) -> None:
            pending["serial"] = serial
            self.window.show_workspace("bench")
            self.bench.on_scan(serial, "keyboard")

        def looked_up(serial: str) -> None:  # the bench found the unit: its checklist opens with the earlier answers
            if serial and serial == pending["serial"]:
                pending["serial"] = ""
                QTimer.singleShot(0, lambda: self.bench.flow.start_grading(complete_only=True))

        self.review.reinspect_did_request.connect(reinspect)
        self.bench.card.serial_did_show.connect(looked_up)
        self.review_slot.set_widget(self.review)

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
        self.events.listing_did_change.connect(lambda _e: shown["serial"] and badge.show_serial(shown["serial"]))

    def _add_listing_channel(self, channel: ListingChannel) -> None:
        """Back Market's client and the listing feed (built off the GUI thread: build_listing_channel) bring the
        Listing and Picking workspaces and the review's Back Market part; the deliverer starts now that every
        outbox kind has its handler."""
        from grading_station.services.listing_overview import overview_from  # (after ready: see start-up)

        from grading_station.ui.listing.panel import ListingPanel

        core = self.core
        core.channel = channel
        overview = overview_from(core.config, core.gateway, core.listings, dict(grade_names()))
        self.listing = ListingPanel(overview, channel.feed, demo=core.demo is not None,
                                    identify=core.grading.identify)
        self.events.listing_did_change.connect(self.listing.schedule_refresh)  # quantity, price, state pushed
        self.events.unit_did_change.connect(self.listing.schedule_refresh)  # a unit graded, moved or re-graded
        self.listing_slot.set_widget(self.listing)
        from grading_station.ui.picking.panel import PickingPanel

        self.picking = PickingPanel(channel.picking, channel.importer, core.config)
        self.events.orders_did_change.connect(self.picking.schedule_refresh)
        self.picking_slot.set_widget(self.picking)
        if self.review is not None:  # (None: its load failed, and said so)
            self.review.set_care(build_care(core, channel))  # returns and disputes: Back Market's care folders
            self.review.set_sales(build_sales(core, channel))
        core.deliverer.start()
        run_in_background(self.window, lambda: _reconfigure_backmarket(channel.backmarket, core.config, core.secrets),
                          failure=lambda exc: log.backmarket.info("Back Market not configured: %s", exc))

    @staticmethod
    def _load_camera() -> tuple[type, type]:
        """Off the GUI thread: the camera panel's modules (OpenCV, numpy, the decoders)."""
        from grading_station.hardware.demo_clip import DemoCamera

        from grading_station.ui.camera import CameraPanel  # also declares camera.* and its Settings page

        return CameraPanel, DemoCamera

    def _add_camera(self, loaded: tuple[type, type]) -> None:
        camera_panel, demo_camera = loaded
        core = self.core
        source = None
        if core.demo is not None:  # one demo camera: F9 puts a boxed unit under it, F9 again takes it away
            self.demo_camera = demo_camera(core.paths.data_dir / "demo-camera")
            source = lambda: self.demo_camera  # noqa: E731
            QShortcut(QKeySequence("F9"), self.window, self._toggle_demo_box)
        self.camera = camera_panel(core.config, self.router, source)  # scans go where scanner bursts go
        self.camera.photo_did_capture.connect(self.bench.fill_photo_slot)
        self.bench.awaiting_photo_slot_did_change.connect(self.camera.set_awaiting_slot)
        self.camera.set_compact(True)
        self.bench.add_side_panel(self.camera)
        self.camera.set_awaiting_slot(self.bench.awaiting_photo_slot)
        self.settings.add_registered_pages()
        log.hardware.info("camera panel loaded", extra={"event": "camera-loaded"})

    def _toggle_demo_box(self) -> None:
        camera = self.demo_camera
        self._demo_box_shown = not self._demo_box_shown
        (camera.show_label if self._demo_box_shown else camera.hide_label)()

    # -- connection state: the status bar and the banner follow what Odoo last did ------------------
    def _wire_connection_state(self) -> None:
        hub = self.core.events

        def odoo_changed(reachable: bool, detail: str) -> None:
            hub.publish(ConnectionDidChange("odoo", reachable, detail))

        self.core.gateway.connection.reachability.listen(odoo_changed)
        self.events.connection_did_change.connect(self._connection_changed)

    def _connection_changed(self, event: ConnectionDidChange) -> None:
        if event.system != "odoo":
            return
        if event.reachable:
            messages.clear("odoo")
            if self._signed_in:  # else the sign-in in progress says when it is done
                self.window.set_connection_state(self._connection_text(), ok=True)
        else:
            self.window.set_connection_state(_("Odoo: not reachable"), ok=False)

    # -- start and stop ----------------------------------------------------------------------------
    def start(self) -> None:
        QApplication.instance().installEventFilter(self.scan_filter)
        self.window.show()
        for problem in self.core.config.problems:
            messages.warning(_("Settings: {problem}").format(problem=problem), replace="config")
        if not self.core.set_up:
            self.window.show_workspace("settings")
            self.settings.show_setup()
            log.app.info("not set up yet: settings shown", extra={"event": "setup-needed"})
            self._report_ready(connected=False)
            return
        self.bench.scan_bar.focus_field()
        run_in_background(self.window, self._connect, success=self._connected, failure=self._not_connected)

    def _connect(self) -> str:
        """Off the GUI thread: sign in to Odoo (in demo mode: prepare it and load the demo data first)."""
        gateway = self.core.gateway
        gateway.connection.reconfigure(odoo_settings_from(self.core.config, self.core.secrets))
        if self.core.demo is not None:
            from grading_station.demo import seed_demo

            seed_demo(gateway)
        gateway.connect()
        gateway.start_background_refresh(300)
        return self._connection_text()

    def _connected(self, text: str) -> None:
        self._signed_in = True
        self.window.set_connection_state(text, ok=True)
        messages.clear("odoo")
        self._report_ready(connected=True)

    def _not_connected(self, exc: BaseException) -> None:
        if not isinstance(exc, KnownError):
            crash.report_bug(exc)
            return
        self.window.set_connection_state(_("Odoo: not connected"), ok=False)
        if isinstance(exc, KeyringUnavailable):  # the fix is on this computer, not in Odoo: say that
            messages.error(exc.user_message, replace="odoo")
            self.window.show_workspace("settings")
            log.app.warning("no keyring: %s", exc.detail, extra={"event": "no-keyring"})
            self._report_ready(connected=False)
            return
        messages.error(_("Cannot reach Odoo: {reason} Check Settings → Odoo (F4).").format(
            reason=exc.user_message), replace="odoo")
        log.app.info("not connected to Odoo: %s", exc.user_message, extra={"event": "not-connected"})
        self._report_ready(connected=False)

    def _report_ready(self, connected: bool) -> None:
        if connected:
            log.app.info("ready to scan after %.0f ms", (time.monotonic() - STARTED) * 1000,
                         extra={"event": "ready"})
        if self._loaded_the_rest:  # signed in again (settings saved)
            return
        # What the first scan does not need loads once the bench is ready, not before (these imports hold the
        # GIL and would slow the sign-in on a busy two-core bench PC), from the next turn of the event loop and
        # one part at a time: a scan arriving meanwhile is the bench's alone, and the bench is complete.
        self._loaded_the_rest = True
        QTimer.singleShot(0, self._load_the_rest)
        if self.args.scan_when_ready and connected:
            self._scan_when_ready(self.args.scan_when_ready)
        elif self.args.quit_when_ready or self.args.scan_when_ready:
            QTimer.singleShot(0, QApplication.instance().quit)

    def _load_the_rest(self) -> None:
        if self._stopped:
            return
        self._add_activity()
        steps = [
            (self._load_review, self._add_review),  # before the channel: its answer completes the review
            (lambda: build_listing_channel(self.core), self._add_listing_channel),
            (self._load_camera, self._add_camera),
        ]
        if self.core.demo is not None:  # last, the Back Market simulator (~0.5 s of CPU) on a thread of its own
            steps.append((lambda: None, lambda _nothing: self.core.demo.start_backmarket()))
        load_in_turn(self.window, steps, going_on=lambda: not self._stopped)

    def _scan_when_ready(self, serial: str) -> None:
        """`--scan-when-ready`: the serial is scanned the moment the bench is ready; quit once the card shows it."""

        def shown(shown_serial: str) -> None:
            log.app.info("scanned unit %s shown after %.0f ms", shown_serial, (time.monotonic() - STARTED) * 1000,
                         extra={"event": "scan-shown"})
            QTimer.singleShot(0, QApplication.instance().quit)

        self.bench.card.serial_did_show.connect(shown)
        self.router.submit(serial, "scanner")

    # -- settings ----------------------------------------------------------------------------------
    def _setting_changed(self, event: SettingsDidChange) -> None:
        """Settings the user changed take effect now; those read at start-up say so."""
        for key in event.keys:
            self.live.apply(key)
            if key == "station.name":
                self.window.set_station_name(self.core.config.get(key))
            elif key in RESTART_KEYS:
                messages.info(_("The language changes the next time Grading Station starts."), replace="restart")

    def _settings_saved(self) -> None:
        """Saved settings apply at once: Odoo signs in again and Back Market gets the new token/headers."""
        core = self.core
        run_in_background(  # the keyring read, like the sign-in, stays off the GUI thread
            self.window, self._reconnect, success=self._connected, failure=self._not_connected,
        )
        if core.channel is not None:  # else it reads the saved settings when it is built
            run_in_background(
                self.window, lambda: _reconfigure_backmarket(core.channel.backmarket, core.config, core.secrets)
            )

    def _reconnect(self) -> str:
        self.core.gateway.reconfigure(odoo_settings_from(self.core.config, self.core.secrets))
        return self._connection_text()

    def _connection_text(self) -> str:
        return _("Odoo {version} · {database}").format(version=self.core.gateway.odoo_major_version,
                                                       database=self.core.config.get("odoo.database"))

    def stop(self) -> None:
        self._stopped = True
        self.events.detach()
        messages.set_sink(None)  # later messages wait for the next window instead of reaching a closed one
        QApplication.instance().removeEventFilter(self.scan_filter)
        if self.camera is not None:
            self.camera.stop()
        if self.listing is not None:
            self.listing.shutdown()
        if self.picking is not None:
            self.picking.stop()
        if self.review is not None:
            self.review.shutdown()
        self.bench.shutdown()
        self.core.deliverer.stop()
        for pool in self.core.pools:
            pool.shutdown(wait=True, cancel_futures=True)
        self.core.gateway.close()
        self.core.listings.close()
        self.core.store.close()
        if self.core.demo is not None:
            self.core.demo.stop()


# The Back Market client (httpx) loads after the bench is ready to scan; these reach it on first use.
def _check_backmarket(*args, **kwargs):
    from grading_station.backmarket.factory import check_connection

    return check_connection(*args, **kwargs)


def _reconfigure_backmarket(*args, **kwargs):
    from grading_station.backmarket.factory import reconfigure

    return reconfigure(*args, **kwargs)
