"""The app as a user starts it: `grading-station --demo` in a subprocess, judged by its JSON log events."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_app(*args: str, timeout: float = 60, python: tuple[str, ...] = ()) -> tuple[int, list[dict], str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run(
        [sys.executable, *python, "-m", "grading_station", "--json-logging", "--no-err-windows", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout,
    )
    events = []
    for line in proc.stderr.splitlines():
        if line.startswith("{"):
            events.append(json.loads(line))
    return proc.returncode, events, proc.stderr


def test_demo_starts_seeds_odoo_and_is_ready_to_scan():
    code, events, stderr = run_app("--demo", "--temp-basedir", "--quit-when-ready")
    assert code == 0, stderr
    names = [e.get("event") for e in events]
    assert "window-shown" in names and "ready" in names, stderr
    assert names.index("window-shown") < names.index("ready")  # the window does not wait for Odoo
    messages = [e["message"] for e in events]
    assert any("catalogue loaded: 8 managed models" in m for m in messages), messages
    problems = [e for e in events if e["levelname"] in ("WARNING", "ERROR", "CRITICAL")]
    assert problems == []


def test_a_unit_scanned_the_moment_the_bench_is_ready_is_shown():
    serial = "353918111045122"  # a demo unit in WH/Stock
    code, events, stderr = run_app("--demo", "--temp-basedir", "--scan-when-ready", serial)
    assert code == 0, stderr
    names = [e.get("event") for e in events]
    assert "ready" in names and "scan-shown" in names, stderr
    assert names.index("ready") < names.index("scan-shown")
    assert serial in next(e["message"] for e in events if e.get("event") == "scan-shown")
    assert [e for e in events if e["levelname"] in ("WARNING", "ERROR", "CRITICAL")] == []


# What the first scan does not need (DESIGN: Back Market client, camera, the other workspaces, Pillow for photos).
AFTER_READY = ("httpx", "grading_station.backmarket.client", "cv2", "numpy", "grading_station.ui.camera", "PIL",
               "grading_station.ui.activity.panel", "grading_station.ui.listing.panel",
               "grading_station.ui.picking.panel", "grading_station.ui.review.panel", "grading_station.sim.backmarket")


def test_what_the_first_scan_does_not_need_is_imported_after_ready():
    # -X importtime writes a line per import on stderr, in order with the JSON log lines.
    code, _events, stderr = run_app("--demo", "--temp-basedir", "--quit-when-ready", python=("-X", "importtime"))
    assert code == 0, stderr
    lines = stderr.splitlines()
    ready = next(i for i, line in enumerate(lines) if line.startswith("{") and '"event": "ready"' in line)
    imported = {m.group(1) for line in lines[:ready] if (m := re.match(r"import time:.*\| +(\S+)$", line))}
    assert "grading_station.ui.bench.bench_view" in imported  # the parse sees the imports that happened
    assert sorted(imported.intersection(AFTER_READY)) == []


def test_help_lists_the_demo_and_temp_basedir_flags():
    proc = subprocess.run([sys.executable, "-m", "grading_station", "--help"], cwd=ROOT, capture_output=True,
                          text=True, timeout=30)
    assert proc.returncode == 0
    assert "--demo" in proc.stdout and "--temp-basedir" in proc.stdout
