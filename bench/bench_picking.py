"""Benchmark: the picker's path on loopback simulators (Odoo and Back Market over real HTTP).

Figures: Odoo RPCs and latency of a scan → verdict (p50/p95 over 200 scans); 50 orders imported (Odoo RPCs per
10 orders, seconds end to end: poll + the outbox delivering); RPCs of a pick-and-validate; the longest stall
of the GUI thread while the Picking workspace loads, judges scans and picks in the background.

Odoo runs as its own process (`python -m grading_station.sim odoo`), as a real server would: in-process, its
threads would take the GIL from the GUI thread being measured. RPCs are counted by the gateway.

Run: `.venv/bin/python bench/bench_picking.py` (prints the figures; exits 1 when a budget is missed).
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from grading_station.odoo.seeding import UnitSeed, receive_units  # noqa: E402

from grading_station.paths import paths_under  # noqa: E402
from grading_station.sim.backmarket.server import BackMarketSimulator  # noqa: E402
from tests.helpers.picking_world import build_world  # noqa: E402

BUDGETS = {"verdict_rpcs": 1, "verdict_p95_ms": 60.0, "import_rpcs_per_10": 10, "import_s": 5.0,
           "pick_rpcs": 5, "gui_stall_ms": 50.0}


def _stock(world, count: int) -> list[str]:
    model = next(m for m in world.gateway.models() if m.default_code == "IP13-128-MID")
    variant = model.variant_ids_by_grade["good"]
    serials = [f"BENCH{n:04d}" for n in range(count)]
    receive_units(world.gateway.connection, world.gateway.locations,
                  [UnitSeed(s, variant, {"grade": "good", "tested_at": "2026-11-20 09:30:00"}) for s in serials])
    return serials


def bench_import(world, orders: int = 50) -> dict:
    for n in range(orders):
        world.place(("IP13-128-MID", "good", 1), order_id=80000 + n, expected_dispatch="2026-12-03T12:00:00Z")
    before = world.gateway.rpc_count
    started = time.perf_counter()
    report = world.importer.poll()
    world.deliver()
    elapsed = time.perf_counter() - started
    rpcs = world.gateway.rpc_count - before
    created = world.gateway.connection.call("sale.order", "search_count", [[["origin", "=like", "Back Market %"]]])
    assert created == orders and len(report.queued) == orders, (created, report)
    return {"orders": orders, "import_rpcs": rpcs, "import_rpcs_per_10": rpcs / (orders / 10), "import_s": elapsed}


def bench_verdicts(world, scans: int = 200) -> dict:
    board = world.picking.board()
    order = board.orders[0]
    reserved = next(s for s, o in board.reserved.items() if o == order.order_id)
    other = next(s for s, o in board.reserved.items() if o != order.order_id)
    before = world.gateway.rpc_count
    times = []
    for n in range(scans):
        started = time.perf_counter()
        verdict = world.picking.judge(board, order.order_id, reserved if n % 2 else other)
        times.append((time.perf_counter() - started) * 1000)
        assert verdict.accepted == bool(n % 2), verdict
    rpcs = (world.gateway.rpc_count - before) / scans
    times.sort()
    return {"verdict_rpcs": rpcs, "verdict_p50_ms": statistics.median(times),
            "verdict_p95_ms": times[int(len(times) * 0.95) - 1]}


def bench_pick(world) -> dict:
    board = world.picking.board()
    order = board.orders[1]
    serial = next(s for s, o in board.reserved.items() if o == order.order_id)
    world.picking.pick(order, world.picking.judge(board, order.order_id, serial))
    pick = next(i for i in world.items("odoo.pick") if i.state == "pending")
    before = world.gateway.rpc_count
    world.deliverer.attempt(pick)
    assert world.store.outbox.get(pick.id).state == "delivered"
    return {"pick_rpcs": world.gateway.rpc_count - before}


def bench_gui(world) -> dict:
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication

    from grading_station.ui.picking.panel import PickingPanel

    app = QApplication.instance() or QApplication([])
    panel = PickingPanel(world.picking, world.importer, world.config, poll=False)
    panel.resize(1366, 768)
    panel.show()
    gaps, clock = [], QElapsedTimer()
    clock.start()
    last = [clock.elapsed()]

    def beat() -> None:
        now = clock.elapsed()
        gaps.append(now - last[0])
        last[0] = now

    heartbeat = QTimer()
    heartbeat.setInterval(5)
    heartbeat.timeout.connect(beat)
    heartbeat.start()
    deadline = time.perf_counter() + 4.0
    panel.refresh()
    scans = 0
    while time.perf_counter() < deadline:
        app.processEvents()
        if panel.board.orders and scans < 40 and not panel._loading:
            panel.table.selectRow(scans % len(panel.board.orders))
            panel.on_scan("BENCH9999", "scanner")  # refused (not known): a full verdict round trip
            if scans % 10 == 0:
                panel.refresh()
            scans += 1
        time.sleep(0.002)
    heartbeat.stop()
    panel.stop()
    panel.deleteLater()
    app.processEvents()
    stall = max(gaps[1:]) - 5 if len(gaps) > 1 else 0.0
    return {"gui_stall_ms": float(stall), "gui_scans": scans}


def odoo_process() -> tuple[subprocess.Popen, SimpleNamespace]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-m", "grading_station.sim", "odoo", "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               cwd=Path(__file__).resolve().parent.parent)
    url = f"http://127.0.0.1:{port}"
    for _attempt in range(100):
        try:
            request = urllib.request.Request(f"{url}/web/webclient/version_info", data=b'{"params": {}}',
                                             headers={"Content-Type": "application/json"})
            urllib.request.urlopen(request, timeout=1).read()
            break
        except OSError:
            time.sleep(0.1)
    return process, SimpleNamespace(url=url, db_name="grading")


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        process, odoo = odoo_process()
        bm = BackMarketSimulator(block_seconds=0.2, task_delay=0.02).start()
        world = build_world(odoo, bm, paths_under(Path(tmp) / "base").ensure())
        try:
            _stock(world, 60)
            figures = {**bench_import(world), **bench_verdicts(world), **bench_pick(world), **bench_gui(world)}
        finally:
            world.gateway.close()
            world.store.close()
            process.terminate()
            process.wait(10)
            bm.stop()
    missed = []
    for name, value in figures.items():
        budget = BUDGETS.get(name)
        mark = "" if budget is None else (" ok" if value <= budget else f" OVER budget {budget}")
        if budget is not None and value > budget:
            missed.append(name)
        print(f"{name:>20}: {value:8.2f}{mark}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
