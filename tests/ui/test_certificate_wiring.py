"""The composition root wires the certificate: its outbox kind, the grading follow-up, the bench's C action."""

from __future__ import annotations

import argparse

import pytest

from grading_station.services.certificate import KIND_CERTIFICATE

from grading_station import app, cli
from grading_station.paths import paths_under
from grading_station.station import Station


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_the_demo_station_delivers_certificates_in_the_main_markets_language(qtbot, tmp_path):
    args: argparse.Namespace = cli.build_parser().parse_args(["--demo", "--temp-basedir", "--no-err-windows"])
    station = Station(app.build_core(args, paths_under(tmp_path / "base").ensure()), args)
    qtbot.add_widget(station.window)
    station.start()
    try:
        qtbot.waitUntil(lambda: station.core.channel is not None, timeout=15000)
        core = station.core
        assert KIND_CERTIFICATE in core.deliverer.kinds
        assert core.certificates.language() == "fr-fr"  # backmarket.markets defaults to ["fr-fr"]
        core.config.set("backmarket.markets", ["de-de", "fr-fr"])
        assert core.certificates.language() == "de-de"
        assert not station.bench.lookup.certificate.isHidden()  # Certificate [C] is offered on the look-up page
    finally:
        station.stop()
