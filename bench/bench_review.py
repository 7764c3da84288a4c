"""Benchmark: the supervisor's queues over 5,000 units on hand (Odoo simulator on loopback): RPCs and time to open
each queue, the held/repair, battery re-test and override queues all read from the same reading. Openings: the
first one with an empty local store (every shown lot's properties read), later ones (write dates, changed lots),
one SETTLE_S later (the lots written in the newest second a reading saw are read once more: here the seeding's
last second, every lot), and the first one after a restart (the lots' properties from the local store).

Run: `.venv/bin/python bench/bench_review.py [--units 5000] [--worst-case]` (prints the figures; exits 1 when a
budget is missed: ≤ 3 RPCs and ≤ 300 ms per queue opening, each kind of opening).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from grading_station.domain.grade_scale import GradeScale  # noqa: E402
from grading_station.domain.units import Placement  # noqa: E402

from grading_station.odoo.connection import OdooSettings  # noqa: E402
from grading_station.odoo.gateway import OdooGateway  # noqa: E402
from grading_station.odoo.lot_properties import SETTLE_S  # noqa: E402
from grading_station.odoo.seeding import UnitSeed, receive_units  # noqa: E402
from grading_station.store.local import Store  # noqa: E402
from grading_station.store.lot_cache import LotCache  # noqa: E402
from grading_station.store.review import ReviewStore  # noqa: E402

from grading_station.services.review import ReviewService, value_by_pricing  # noqa: E402

from grading_station.paths import Paths, paths_under  # noqa: E402
from grading_station.resources import load_grade_scale, load_pricing  # noqa: E402
from grading_station.sim.odoo import OdooSimulator  # noqa: E402

MODELS = [("iPhone 13 128GB Midnight", "IP13-128-MID", 729.0), ("Google Pixel 7 128GB Obsidian", "PX7-128-OBS", 599.0),
          ("iPhone 14 Pro 256GB Deep Purple", "IP14P-256-PUR", 1099.0)]
GRADES = ("premium", "excellent", "good", "fair")
RPC_BUDGET, MS_BUDGET = 3, 300


class _OdooProcess:
    """The simulator in a process of its own, as a real Odoo is (an in-process one shares our GIL)."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "grading_station.sim", "odoo", "--port", "0"],
                                     stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        self.url = line.split(" on ", 1)[1].split(" ", 1)[0]
        self.db_name = "grading"

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


def _seed(n: int, worst_case: bool) -> tuple[Placement, bool, str]:
    """Unit n's placement, whether it was taken in long ago, and its suggested grade's index offset. A warehouse
    as a floor runs it: 4 % held, 2 % in repair, 1 in 10 taken in before the re-test delay, 1 in 12 overridden;
    `worst_case`: half held or in repair, two thirds old, most overridden (every queue's lots read)."""
    if worst_case:
        placement = (Placement.HOLD, Placement.REPAIR, Placement.STOCK, Placement.STOCK)[n % 4]
        return placement, bool(n % 3), GRADES[(n // 5) % 4]
    placement = Placement.HOLD if n % 50 < 2 else Placement.REPAIR if n % 50 == 2 else Placement.STOCK
    return placement, n % 10 == 0, GRADES[(n + (n % 12 == 5)) % 4]


def _station(odoo: object, paths: Paths, scale: GradeScale) -> tuple[Store, OdooGateway, ReviewService]:
    """The station's store, gateway and Review service as app.py builds them, signed in, catalogue loaded."""
    store = Store.open(paths)
    gateway = OdooGateway(OdooSettings(odoo.url, odoo.db_name, "admin", "admin"),
                          grades=[(g.key, g.title) for g in scale.grades], lot_archive=LotCache(store.executor))
    gateway.connect()
    gateway.catalogue.ensure_loaded()
    service = ReviewService(gateway, ReviewStore(store.executor, store.outbox), scale, "bench",
                            value_of=value_by_pricing(load_pricing),
                            retest_days=lambda: {"phone": 90}, clock=lambda: datetime(2026, 12, 1, tzinfo=UTC))
    return store, gateway, service


def _opening(gateway: OdooGateway, service: ReviewService) -> tuple[float, int]:
    """One opening of the queues: its milliseconds and RPCs."""
    before, t0 = gateway.rpc_count, time.perf_counter()
    service.load()
    return (time.perf_counter() - t0) * 1000, gateway.rpc_count - before


def run(units: int, rounds: int = 5, *, in_process: bool = False, worst_case: bool = False) -> dict:
    odoo = OdooSimulator().start(port=0) if in_process else _OdooProcess()
    try:
        scale = load_grade_scale()
        gateway = OdooGateway(OdooSettings(odoo.url, odoo.db_name, "admin", "admin"),
                              grades=[(g.key, g.title) for g in scale.grades])
        gateway.connect()
        gateway.prepare_odoo()
        variants = []
        for name, code, price in MODELS:
            model = gateway.catalogue.model(gateway.create_model(name, "phone", code, "", price))
            variants += [(model.variant_ids_by_grade[g], g) for g in GRADES]
        seeds = []
        for n in range(units):
            variant, grade = variants[n % len(variants)]
            placement, old, suggested = _seed(n, worst_case)
            day = "2026-03-01" if old else "2026-11-01"
            props = {"grade": grade, "battery_health": 80 + n % 20, "tested_at": f"{day} 10:00:00",
                     "intake_date": day, "technician": f"tech{n % 7}",
                     "checklist": "phone@1", "suggested_grade": suggested,
                     "hold_reason": "photo missing" if placement is Placement.HOLD else False}
            seeds.append(UnitSeed(f"RV{n:06}", variant, props, placement))
        started = time.perf_counter()
        receive_units(gateway.connection, gateway.locations, seeds)
        seeded_s = time.perf_counter() - started
        gateway.close()
        with tempfile.TemporaryDirectory() as tmp:
            paths = paths_under(Path(tmp)).ensure()
            store, gateway, service = _station(odoo, paths, scale)
            cold_ms, cold_rpcs = _opening(gateway, service)  # the lots' properties read (~2 KB each)
            t0 = time.perf_counter()
            service.units_for_figures(service.load())  # the figures' own reading, off the GUI thread
            figures_ms = (time.perf_counter() - t0) * 1000
            later = [_opening(gateway, service) for _ in range(rounds)]  # write dates, changed lots only
            # the lots written in the newest second a reading saw are read once more SETTLE_S after (a write
            # in that same second keeps its date): here the seeding's last second
            time.sleep(SETTLE_S)
            settle_ms, settle_rpcs = _opening(gateway, service)
            queues = service.load()
            gateway.close()
            store.close()
            store, gateway, service = _station(odoo, paths, scale)  # a restart: the local store kept the lots
            restart_ms, restart_rpcs = _opening(gateway, service)
            gateway.close()
            store.close()
        times = [ms for ms, _rpcs in later]
        return {"units": units, "seeded_s": seeded_s, "cold_ms": cold_ms, "cold_rpcs": cold_rpcs,
                "rpcs": max(rpcs for _ms, rpcs in later), "median_ms": statistics.median(times),
                "max_ms": max(times), "settle_ms": settle_ms, "settle_rpcs": settle_rpcs, "restart_ms": restart_ms,
                "restart_rpcs": restart_rpcs, "figures_ms": figures_ms, "held": len(queues.held),
                "retest": len(queues.retest), "overrides": len(queues.overrides)}
    finally:
        odoo.stop()


def sales_figures_ms(count: int = 20_000) -> float:
    """Commission, fulfilment and CO₂ over a year of sales (the computation the Figures tab runs)."""
    from datetime import date, timedelta
    from decimal import Decimal

    from grading_station.domain.sales_figures import SaleLine

    from grading_station.services.review_sales import figures_of, load_co2

    start = date(2025, 12, 1)
    lines = [SaleLine(n, f"SKU{n % 40}", GRADES[n % 4], ("phone", "tablet", "laptop")[n % 3], Decimal("300.00"),
                      Decimal("30.00"), f"{start + timedelta(days=n % 365)}T10:00:00Z",
                      f"{start + timedelta(days=n % 365 + 1)}T09:00:00Z",
                      f"{start + timedelta(days=n % 365 + 2)}T10:00:00Z") for n in range(count)]
    t0 = time.perf_counter()
    figures_of(lines, load_co2(), start, start + timedelta(days=366))
    return (time.perf_counter() - t0) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", type=int, default=5000)
    parser.add_argument("--in-process", action="store_true", help="the simulator in this process (shares the GIL)")
    parser.add_argument("--worst-case", action="store_true", help="half the units held, most overridden")
    args = parser.parse_args()
    figures = run(args.units, in_process=args.in_process, worst_case=args.worst_case)
    print(f"review queues over {figures['units']} units on hand (seeded in {figures['seeded_s']:.1f} s):")
    print(f"  held/repair {figures['held']}, battery re-test {figures['retest']}, override requests "
          f"{figures['overrides']}")
    print(f"  first opening, empty local store (the queues' lots' properties read): {figures['cold_rpcs']} RPCs, "
          f"{figures['cold_ms']:.0f} ms (budget {RPC_BUDGET} RPCs, {MS_BUDGET} ms)")
    print(f"  later openings (write dates, changed lots only): {figures['rpcs']} RPCs, "
          f"median {figures['median_ms']:.0f} ms, max {figures['max_ms']:.0f} ms")
    print(f"  opening {SETTLE_S:.0f} s later (the lots of the seeding's last second read once more): "
          f"{figures['settle_rpcs']} RPCs, {figures['settle_ms']:.0f} ms")
    print(f"  first opening after a restart (the local store's lots, write dates): {figures['restart_rpcs']} RPCs, "
          f"{figures['restart_ms']:.0f} ms")
    print(f"  figures' reading of every lot (off the GUI thread, after the queues show): "
          f"{figures['figures_ms']:.0f} ms")
    sales_ms = sales_figures_ms()
    print(f"  sales figures of a year of 20,000 sales: {sales_ms:.0f} ms (budget 2000 ms, off the GUI thread)")
    openings = ("cold", "settle", "restart")
    ok = (max(figures["rpcs"], *(figures[f"{o}_rpcs"] for o in openings)) <= RPC_BUDGET
          and max(figures["median_ms"], *(figures[f"{o}_ms"] for o in openings)) <= MS_BUDGET and sales_ms <= 2000)
    print("  within budget" if ok else "  OVER BUDGET")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
