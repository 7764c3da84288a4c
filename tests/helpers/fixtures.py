"""Fixtures shared by every test layer: throw-away paths, the simulators on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import pytest

from grading_station.paths import Paths, paths_under


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    return paths_under(tmp_path / "base").ensure()


@pytest.fixture
def demo_station(qtbot, tmp_path: Path):
    """The whole station as `grading-station --demo --temp-basedir` builds it (both simulators in-process),
    started; stopped after the test."""
    from grading_station import app, cli
    from grading_station.station import Station

    args = cli.build_parser().parse_args(["--demo", "--temp-basedir", "--no-err-windows"])
    station = Station(app.build_core(args, paths_under(tmp_path / "base").ensure()), args)
    qtbot.add_widget(station.window)
    station.start()
    yield station
    station.stop()
