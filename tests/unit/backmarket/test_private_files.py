"""The Back Market budget file and listing registry are for the station's user only (0600)."""

from __future__ import annotations

import os
import stat
import sys

import pytest

from grading_station.backmarket.budget import ListingBudget
from grading_station.backmarket.registry import ListingRegistry

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes; Windows relies on profile ACLs")


@pytest.fixture(autouse=True)
def open_umask():
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_the_budget_file_is_private(tmp_path):
    path = tmp_path / "data" / "backmarket-budget.json"
    ListingBudget(path, clock=lambda: 1000.0).spend(3)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700
    assert ListingBudget(path, clock=lambda: 1001.0).remaining() == 1997


def test_the_listing_registry_is_private(tmp_path):
    path = tmp_path / "data" / "backmarket.sqlite3"
    registry = ListingRegistry(path)
    registry.set_listing("IP13-128-MID-GOOD", "live")
    registry.close()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
