"""Benchmark: start-up to ready-to-scan of `grading-station --demo --temp-basedir` (process spawn to the "ready"
log event), idle and with the other core kept busy by a spinning process (issue 12: ≤ 1.5 s busy).

Run: `.venv/bin/python bench/bench_startup.py [--runs 5]` (prints both figures; exits 1 when the busy median
misses 1.5 s). The demo start includes starting the Odoo simulator and seeding it (~120 RPCs).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _spin(stop_at: float) -> None:
    while time.monotonic() < stop_at:  # bounded: it stops by itself
        pass


def one_start() -> tuple[float, float]:
    """(window shown, ready to scan) in ms after spawning the process."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "grading_station", "--demo", "--temp-basedir", "--json-logging",
                             "--quit-when-ready"], cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)
    shown = ready = float("nan")
    for line in proc.stderr:
        if not line.startswith("{"):
            continue
        event = json.loads(line).get("event")
        if event == "window-shown":
            shown = (time.perf_counter() - start) * 1000
        elif event == "ready":
            ready = (time.perf_counter() - start) * 1000
    proc.wait()
    return shown, ready


def series(runs: int) -> list[tuple[float, float]]:
    one_start()  # warm the file cache, as a bench PC that started the app before
    return [one_start() for _ in range(runs)]


def report(label: str, results: list[tuple[float, float]]) -> float:
    ready = [r for _, r in results]
    shown = [s for s, _ in results]
    print(f"{label}: ready to scan median {statistics.median(ready):.0f} ms, max {max(ready):.0f} ms; "
          f"window shown median {statistics.median(shown):.0f} ms ({len(results)} runs)")
    return statistics.median(ready)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    report("idle", series(args.runs))
    spinner = multiprocessing.Process(target=_spin, args=(time.monotonic() + 600,), daemon=True)
    spinner.start()
    try:
        busy = report("other core busy", series(args.runs))
    finally:
        spinner.terminate()
    ok = busy <= 1500
    print("OK" if ok else "BUDGET MISSED (≤ 1500 ms with the other core busy)")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
