"""`python -m grading_station.sim odoo` serves a fresh database until stopped."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request


def test_odoo_subcommand_serves_jsonrpc() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "grading_station.sim", "odoo", "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stdout.readline()
        url = line.split(" on ", 1)[1].split(" ", 1)[0]
        body = {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"service": "common", "method": "login", "args": ["grading", "admin", "admin"]},
            "id": 7,
        }
        request = urllib.request.Request(
            f"{url}/jsonrpc", json.dumps(body).encode(), {"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert json.loads(response.read()) == {"jsonrpc": "2.0", "id": 7, "result": 2}
    finally:
        proc.terminate()
        proc.wait(timeout=10)
