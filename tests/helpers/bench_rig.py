"""Fixture `bench`: the technician's bench wired like app.py does it, against the Odoo simulator (real HTTP),
a real local store, the app-wide scan filter; plus keyboard helpers that act like a technician."""

from __future__ import annotations

import concurrent.futures
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from grading_station.domain.checklist import ChecklistTemplate

from grading_station.hardware.scanbuffer import ScanBuffer
from grading_station.odoo import OdooGateway, OdooSettings
from grading_station.odoo.connection import OdooConnection
from grading_station.store.local import Store
from grading_station.store.unit_cache import UnitCache

from grading_station.services.bench_store import StationStore
from grading_station.services.delivery import KIND_GRADING, Deliverer, GradingHandler
from grading_station.services.grading import BenchIdentity, GradingService

from grading_station.ui.bench.bench_view import BenchView
from grading_station.ui.scan_filter import ScanFilter
from grading_station.ui.scan_router import ScanRouter

from grading_station.demo import seed_demo
from grading_station.paths import Paths, paths_under
from grading_station.resources import checklist_categories, load_checklist, load_grade_scale

SCAN_INTERVAL_MS = 25  # keys closer than this are a scanner burst; qtbot sends a burst in well under 1 ms
NOW = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)


def jpeg_bytes(color: tuple[int, int, int] = (90, 140, 200), size: tuple[int, int] = (640, 480)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG")
    return out.getvalue()


@dataclass
class Bench:
    """One bench station: its service, view and store, plus an admin connection to read Odoo back."""

    qtbot: object
    sim: object
    paths: Paths
    station: str
    gateway: OdooGateway
    store: Store
    service: GradingService
    router: ScanRouter
    view: BenchView
    scan_filter: ScanFilter
    admin: OdooConnection
    pools: list = field(default_factory=list)
    chosen_files: list[str] = field(default_factory=list)  # what the injected "file dialog" returns next
    killed: bool = False
    others: list = field(default_factory=list)  # every bench of the test (activate() silences the others)

    def kill(self) -> None:
        _kill(self)

    def activate(self) -> None:
        """Make this bench the one whose keyboard and scanner the test drives (each bench is a computer)."""
        app = QApplication.instance()
        for other in self.others:
            app.removeEventFilter(other.scan_filter)
        app.installEventFilter(self.scan_filter)
        self.view.window().activateWindow()
        self.qtbot.waitUntil(self.view.window().isActiveWindow)

    def wait_page(self, page: QWidget, timeout: int = 5000) -> None:
        self.qtbot.waitUntil(lambda: self.view.pages.currentWidget() is page, timeout=timeout)

    def start_grading(self, key: str | Qt.Key = Qt.Key.Key_Return) -> None:
        """After a scan of a unit in stock: its look-up page shows; Enter (or G) starts the grading."""
        self.wait_page(self.view.lookup)
        self.press(key)
        self.wait_page(self.view.checklist)

    # -- a technician's hands ----------------------------------------------------------------------
    def focused(self) -> QWidget:
        return QApplication.focusWidget() or self.view

    def settle(self) -> None:
        """Wait until held keys were re-delivered (the scan filter holds a key ~SCAN_INTERVAL_MS)."""
        self.qtbot.waitUntil(lambda: not self.scan_filter._buffer.holding, timeout=2000)

    def scan(self, text: str) -> None:
        """A USB scanner: a burst of keys ended by Enter, into whatever has the focus."""
        target = self.focused()
        self.qtbot.keyClicks(target, text)
        self.qtbot.keyClick(target, Qt.Key.Key_Return)

    def press(self, *keys: str | Qt.Key) -> None:
        """Keys typed by a person, one at a time, to the focused widget."""
        for key in keys:
            target = self.focused()
            if isinstance(key, str):
                self.qtbot.keyClicks(target, key)
            else:
                self.qtbot.keyClick(target, key)
            self.settle()

    def type_text(self, text: str) -> None:
        """Typing a short value (battery %, a reason) into the focused field, then waiting for it to land."""
        target = self.focused()
        self.qtbot.keyClicks(target, text)
        self.settle()

    def answer_checklist(
        self,
        folder: Path,
        *,
        zone_key: str = "1",
        health: str = "93",
        cycles: str = "210",
        fail: tuple[str, ...] = (),
        skip_slots: tuple[str, ...] = (),
        battery_from_device: bool = False,
    ) -> None:
        """Walk every step like a technician: P for tests (F for the `fail` ones), Y for confirmations, a number
        for zones, the battery typed, photos chosen in the file dialog with their number key (none for
        `skip_slots`), Enter at the end. With a slot skipped the photo step stays open: G goes to the grade.
        `battery_from_device`: R reads the battery from the unit on the cable, Enter confirms what it read."""
        view = self.view
        panel = view.checklist
        photos_seen = False
        while view.pages.currentWidget() is panel:
            step = panel.current_step()
            index = panel.index
            if step.kind == "check":
                self.press("F" if step.id in fail else "P")
            elif step.kind == "confirm":
                self.press("Y")
            elif step.kind == "choice":
                self.press(zone_key)
            elif step.kind == "accessories":
                self.press("1", Qt.Key.Key_Return)
            elif step.kind == "battery" and battery_from_device:
                editor = panel.editors["battery"]
                self.press("R")
                self.qtbot.waitUntil(lambda e=editor: "Read from" in e.error.text(), timeout=5000)
                self.press(Qt.Key.Key_Return)
            elif step.kind == "battery":
                assert self.focused() is panel.editors["battery"].health
                self.type_text(health)
                self.press(Qt.Key.Key_Return)
                assert self.focused() is panel.editors["battery"].cycles
                self.type_text(cycles)
                self.press(Qt.Key.Key_Return)
            elif step.kind == "photos" and photos_seen:
                self.press("G")  # every other step answered, Enter came back to the open photos: grade now
                self.qtbot.waitUntil(lambda: view.pages.currentWidget() is not panel, timeout=5000)
                return
            elif step.kind == "photos":
                for number, (slot, _, _) in enumerate(step.slots, start=1):
                    if slot in skip_slots:
                        continue
                    self.chosen_files.append(
                        write_file(folder, f"{slot}.jpg", jpeg_bytes((number * 30, 90, 120)))
                    )
                    self.press(str(number))
                    self.qtbot.waitUntil(lambda s=slot: s in panel.session.photos, timeout=5000)
                if skip_slots:
                    self.press(Qt.Key.Key_Return)  # refused: "Photos still missing"
                    assert "Photos still missing" in panel.error.text()
                    photos_seen = True
                    self.press(Qt.Key.Key_Down)
                    continue
                self.press(Qt.Key.Key_Return)
            if panel.index == index and view.pages.currentWidget() is panel:
                if panel.index == len(panel.session.steps) - 1 and panel.session.step_done(
                    panel.current_step()
                ):
                    self.press(Qt.Key.Key_Return)  # the last step answered: Enter goes to the grade
                else:
                    self.qtbot.waitUntil(
                        lambda i=index: panel.index != i or view.pages.currentWidget() is not panel,
                        timeout=5000,
                    )

    # -- reading Odoo back through its RPC ---------------------------------------------------------
    def lots(self, serial: str) -> list[dict]:
        return self.admin.call(
            "stock.lot",
            "search_read",
            [[["name", "=", serial]]],
            {"fields": ["name", "product_id", "product_qty", "location_id", "lot_properties"], "order": "id"},
        )

    def deliver(self) -> int:
        """Run the outbox deliverer once (what the app's deliverer thread does in the background)."""
        deliverer = Deliverer(self.store.outbox, clock=lambda: datetime.now(UTC))
        deliverer.register(KIND_GRADING, GradingHandler(self.gateway))
        return deliverer.deliver_due()


@pytest.fixture
def seeded_sim(odoo_sim):
    gateway = OdooGateway(odoo_settings(odoo_sim), grades=grades())
    seed_demo(gateway)
    gateway.close()
    return odoo_sim


def odoo_settings(sim) -> OdooSettings:
    return OdooSettings(url=sim.url, database="grading", login="admin", secret="admin", timeout=5.0)


def grades() -> list[tuple[str, str]]:
    return [(g.key, g.title) for g in load_grade_scale().grades]


@pytest.fixture(scope="session")
def templates() -> dict[str, ChecklistTemplate]:
    return {category: load_checklist(category) for category in checklist_categories()}


@pytest.fixture
def make_bench(qtbot, seeded_sim, tmp_path, templates) -> Iterator:
    """`make_bench(station="Bench 1", base="b1", resume=True, labels=None, battery_reader=None)`: a bench; the
    same `base` reuses the same local store (a restart of that bench); `labels(store, service)` builds its
    LabelService; with a BatteryReader the battery step reads devices."""
    opened: list[tuple[Bench, list]] = []
    everyone: list[Bench] = []

    def make(station: str = "Bench 1", base: str = "b1", resume: bool = True, labels=None,
             battery_reader=None) -> Bench:
        # Each bench is its own computer: only the newest one hears the keyboard.
        for earlier, _ in opened:
            QApplication.instance().removeEventFilter(earlier.scan_filter)

        paths = paths_under(tmp_path / base).ensure()
        gateway = OdooGateway(odoo_settings(seeded_sim), grades=grades())
        store = Store.open(paths)
        scale = load_grade_scale()
        service = GradingService(
            gateway,
            StationStore(store, station),
            templates,
            scale,
            BenchIdentity(station, "Ana"),
            clock=lambda: NOW,
            cache=UnitCache(store.executor, clock=lambda: NOW),
        )
        router = ScanRouter()
        scan_filter = ScanFilter(router, ScanBuffer(max_interval_ms=SCAN_INTERVAL_MS, min_length=6))
        QApplication.instance().installEventFilter(scan_filter)
        pools = [
            concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="bench-store"),
            concurrent.futures.ThreadPoolExecutor(2, thread_name_prefix="bench-net"),
            concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="battery-device"),
        ]
        bench = None

        def choose_file(parent, title):
            return bench.chosen_files.pop(0) if bench.chosen_files else ""

        view = BenchView(
            service,
            router,
            pools[0],
            pools[1],
            flash_ms=300,
            search_debounce_ms=10,
            delivery_poll_ms=50,
            resume=resume,
            file_chooser=choose_file,
            labels=labels(store, service) if labels else None,
            battery_reader=battery_reader,
            device_executor=pools[2],
        )
        router.scan_did_arrive.connect(view.on_scan)  # what the main window's route_scan does for the shown bench
        qtbot.add_widget(view)
        view.resize(1366, 768)
        view.show()
        qtbot.waitExposed(view)
        view.activateWindow()
        qtbot.waitUntil(view.isActiveWindow)
        view.scan_bar.focus_field()
        qtbot.waitUntil(view.scan_bar.field.hasFocus)
        admin = OdooConnection(odoo_settings(seeded_sim))
        bench = Bench(
            qtbot,
            seeded_sim,
            paths,
            station,
            gateway,
            store,
            service,
            router,
            view,
            scan_filter,
            admin,
            pools=pools,
        )
        opened.append((bench, pools))
        everyone.append(bench)
        bench.others = everyone
        return bench

    yield make
    for bench, _ in opened:
        bench.kill()


def _kill(bench: Bench) -> None:
    """The bench's process dies: no lease released, nothing flushed beyond what was already saved."""
    if bench.killed:
        return
    bench.killed = True
    QApplication.instance().removeEventFilter(bench.scan_filter)
    bench.view.shutdown()
    for pool in bench.pools:
        pool.shutdown(wait=True)
    bench.view.hide()
    bench.gateway.close()
    bench.admin.close()
    bench.store.close()


def lot_property(lot: dict, name: str):
    """A lot property from a stock.lot read (Odoo reads properties as a list of {name, value, ...})."""
    props = lot["lot_properties"]
    if isinstance(props, list):
        return next((p.get("value") for p in props if p.get("name") == name), None)
    return (props or {}).get(name)


def write_file(folder: Path, name: str, data: bytes) -> str:
    path = folder / name
    path.write_bytes(data)
    return str(path)
