"""Test configuration: offscreen Qt, GUI tests auto-marked, strict logs, shared fixtures from tests/helpers."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")

pytest_plugins = [
    "tests.helpers.logfail",
    "tests.helpers.fixtures",
    "tests.helpers.odoo_sim",
    "tests.helpers.local_store",
    "tests.helpers.messages",
    "tests.helpers.bm_sim",
    "tests.helpers.bench_rig",
    "tests.helpers.review_rig",
    "tests.helpers.camera",
    "tests.helpers.adb_server",
]

_HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        path = Path(str(item.fspath))
        if _HERE / "ui" in path.parents:
            item.add_marker(pytest.mark.gui)
        if _HERE / "e2e" in path.parents:
            item.add_marker(pytest.mark.e2e)
