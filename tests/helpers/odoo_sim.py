"""Fixture `odoo_sim`: a fresh simulated Odoo 18 (database `grading`, admin/admin) on a free port."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from grading_station.sim.odoo import OdooSimulator


@pytest.fixture
def odoo_sim() -> Iterator[OdooSimulator]:
    """Started before the test, stopped after; OdooSimulator documents the hooks (latency, down...)."""
    sim = OdooSimulator().start(port=0)
    try:
        yield sim
    finally:
        sim.stop()
