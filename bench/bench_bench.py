"""Grading-bench figures against the Odoo simulator on loopback (issue: the grading bench).

    .venv/bin/python bench/bench_bench.py [--scans 60] [--startups 5]

Prints: scan → unit shown (p50/p95 ms, RPCs per scan until shown), RPCs per delivered commit (intake and
re-grade), start-up to ready-to-scan of `grading-station --demo` (wall time from process spawn), and the GUI
thread's longest event-loop stall while scanning and committing with 500 ms injected into every RPC.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import statistics
import subprocess
import sys
import time
import tomllib
import uuid
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QElapsedTimer, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from grading_station.domain.grading import GradingRecord  # noqa: E402
from grading_station.domain.units import IntakeSource, Placement  # noqa: E402

from grading_station.odoo import OdooGateway, OdooSettings  # noqa: E402
from grading_station.store.local import Store  # noqa: E402

from grading_station.services.bench_store import StationStore  # noqa: E402
from grading_station.services.grading import BenchIdentity, GradingService  # noqa: E402

from grading_station.ui.bench.bench_view import BenchView  # noqa: E402
from grading_station.ui.scan_router import ScanRouter  # noqa: E402

from grading_station.demo import seed_demo  # noqa: E402
from grading_station.paths import paths_under  # noqa: E402
from grading_station.resources import checklist_categories, load_checklist, load_grade_scale  # noqa: E402
from grading_station.sim.odoo import OdooSimulator  # noqa: E402


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def demo_serials() -> list[str]:
    data = tomllib.loads((ROOT / "resources/demo/catalogue.toml").read_text())
    return [u["serial"] for u in data["unit"] if u.get("placement", "stock") == "stock"]


class Rig:
    """A bench view wired as app.py does, on a seeded simulator."""

    def __init__(self, sim: OdooSimulator, base: Path, station: str) -> None:
        self.sim = sim
        self.rpcs_when_shown = 0
        scale = load_grade_scale()
        self.gateway = OdooGateway(OdooSettings(sim.url, "grading", "admin", "admin"),
                                   grades=[(g.key, g.title) for g in scale.grades])
        self.gateway.connect()
        self.store = Store.open(paths_under(base).ensure())
        templates = {c: load_checklist(c) for c in checklist_categories()}
        self.service = GradingService(self.gateway, StationStore(self.store, station), templates, scale,
                                      BenchIdentity(station, "bench"))
        self.router = ScanRouter()
        self.pools = [concurrent.futures.ThreadPoolExecutor(1), concurrent.futures.ThreadPoolExecutor(3)]
        self.view = BenchView(self.service, self.router, self.pools[0], self.pools[1], resume=False)
        self.view.resize(1366, 768)
        self.view.show()
        self.shown_at: float | None = None
        original = self.view.card.show_unit

        def show_unit(*a, **k):  # the moment model, grade and location reach the screen
            if self.shown_at is None:
                self.shown_at = time.perf_counter()
                self.rpcs_when_shown = self.sim.rpc_count()
            return original(*a, **k)

        self.view.card.show_unit = show_unit

    def close(self) -> None:
        self.view.shutdown()
        for pool in self.pools:
            pool.shutdown(wait=True)
        self.view.close()
        self.gateway.close()
        self.store.close()


def wait_until(app: QApplication, predicate, timeout: float = 30.0) -> None:
    end = time.perf_counter() + timeout
    while not predicate():
        if time.perf_counter() > end:
            raise TimeoutError
        app.processEvents()
        time.sleep(0.0005)


def settle(app: QApplication, sim: OdooSimulator, quiet_s: float = 0.15) -> None:
    """Wait until the previous unit's background work (history, lease, draft) has stopped calling Odoo."""
    count, since = sim.rpc_count(), time.perf_counter()
    while time.perf_counter() - since < quiet_s:
        app.processEvents()
        time.sleep(0.002)
        if sim.rpc_count() != count:
            count, since = sim.rpc_count(), time.perf_counter()


def scan_latency(app: QApplication, sim: OdooSimulator, rig: Rig, serials: list[str], scans: int) -> None:
    latencies, rpcs = [], []
    for i in range(scans):
        serial = serials[i % len(serials)]
        wait_until(app, lambda: not rig.view.flow.busy)
        settle(app, sim)
        rig.shown_at = None
        before = sim.rpc_count()
        start = time.perf_counter()
        rig.router.submit(serial, "scanner")
        wait_until(app, lambda: rig.shown_at is not None)
        rpcs.append(rig.rpcs_when_shown - before)
        latencies.append((rig.shown_at - start) * 1000)
        wait_until(app, lambda: not rig.view.flow.busy)
    print(f"scan → unit shown: p50 {statistics.median(latencies):.1f} ms, p95 {pct(latencies, 0.95):.1f} ms, "
          f"max {max(latencies):.1f} ms over {scans} scans; RPCs by the time it is shown: "
          f"min {min(rpcs)}, max {max(rpcs)} (target p95 ≤ 60 ms, 1 RPC)")


def commit_rpcs(gateway: OdooGateway) -> None:
    model = next(m for m in gateway.models() if m.category == "phone")
    serial = f"BENCH{uuid.uuid4().hex[:8].upper()}"
    record = GradingRecord(
        grading_id=str(uuid.uuid4()), serial=serial, template_id=model.template_id,
        variant_id=model.variant_ids_by_grade["good"], model_name=model.name, category="phone", grade="good",
        suggested_grade="good", override_reason="", placement=Placement.STOCK, hold_reason="", battery_health=91,
        battery_cycles=120, technician="bench", station="bench", tested_at=datetime.now(UTC).isoformat(),
        checklist_id="phone", checklist_version=1, results={"display": "pass"}, source=IntakeSource.TRADE_IN)
    photos = {"report.json": b"{}", "front.jpg": b"\xff\xd8\xff\xe0" + b"0" * 2000 + b"\xff\xd9"}
    intake = gateway.deliver_grading(record, photos)
    regrade = replace(record, grading_id=str(uuid.uuid4()), grade="fair", variant_id=model.variant_ids_by_grade["fair"],
                      existing_lot_id=intake.lot_id, existing_variant_id=intake.variant_id, source=None)
    moved = gateway.deliver_grading(regrade, photos)
    again = gateway.deliver_grading(regrade, photos)  # a retry after a crash: checks, creates nothing
    print(f"commit delivered: intake {intake.rpc_calls} RPCs, re-grade {moved.rpc_calls} RPCs, "
          f"retry of a delivered one {again.rpc_calls} RPCs (target ≤ 6)")


def gui_stall(app: QApplication, sim: OdooSimulator, rig: Rig, serials: list[str]) -> None:
    sim.latency = 0.5
    timer, clock, worst = QTimer(), QElapsedTimer(), [0]
    clock.start()
    last = [clock.elapsed()]

    def tick() -> None:
        now = clock.elapsed()
        worst[0] = max(worst[0], now - last[0])
        last[0] = now

    timer.timeout.connect(tick)
    timer.start(2)
    for serial in serials[:4]:
        wait_until(app, lambda: not rig.view.flow.busy, timeout=60)
        rig.shown_at = None
        rig.router.submit(serial, "scanner")
        wait_until(app, lambda: rig.shown_at is not None, timeout=60)
    wait_until(app, lambda: not rig.view.flow.busy, timeout=60)
    rig.router.submit("BENCH" + uuid.uuid4().hex[:8].upper(), "scanner")  # a new intake: model search path
    end = time.perf_counter() + 3
    wait_until(app, lambda: time.perf_counter() > end, timeout=10)
    timer.stop()
    sim.latency = 0.0
    print(f"GUI thread with 500 ms per RPC: longest event-loop stall {worst[0]} ms (target ≤ 50 ms)")


def startup(runs: int) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "grading_station", "--demo", "--temp-basedir",
                                 "--json-logging", "--quit-when-ready"], cwd=ROOT, env=env,
                                stderr=subprocess.PIPE, text=True)
        ready = None
        for line in proc.stderr:
            if line.startswith("{") and json.loads(line).get("event") == "ready":
                ready = time.perf_counter() - start
        proc.wait()
        times.append(ready * 1000)
    print(f"start-up to ready-to-scan (--demo, includes starting the simulator and seeding it): "
          f"median {statistics.median(times):.0f} ms, max {max(times):.0f} ms over {runs} runs (target ≤ 1500 ms)")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scans", type=int, default=60)
    parser.add_argument("--startups", type=int, default=5)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    import tempfile

    with tempfile.TemporaryDirectory() as tmp, OdooSimulator("grading").start(port=0) as sim:
        seeder = OdooGateway(OdooSettings(sim.url, "grading", "admin", "admin"),
                             grades=[(g.key, g.title) for g in load_grade_scale().grades])
        seed_demo(seeder)
        commit_rpcs(seeder)
        seeder.close()
        rig = Rig(sim, Path(tmp) / "b1", "Bench 1")
        serials = demo_serials()
        scan_latency(app, sim, rig, serials, args.scans)
        gui_stall(app, sim, rig, serials)
        rig.close()
    startup(args.startups)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
