"""Fixtures shared by every test layer: throw-away paths, the simulators on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import pytest

from grading_station.paths import Paths, paths_under


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    return paths_under(tmp_path / "base").ensure()
