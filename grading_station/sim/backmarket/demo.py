"""Demo data for the Back Market simulator: a product for every model of resources/demo/catalogue.toml."""

from __future__ import annotations

import tomllib
from pathlib import Path

from grading_station.paths import RESOURCES
from grading_station.sim.backmarket.server import BackMarketSimulator

DEMO_CATALOGUE = RESOURCES / "demo" / "catalogue.toml"
DEMO_TOKEN = "demo-token"


def seed_products(sim: BackMarketSimulator, path: Path = DEMO_CATALOGUE) -> int:
    """Register the demo models' EANs as Back Market products (so their listings can be created)."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    models = data.get("model", [])
    for model in models:
        if model.get("ean"):
            sim.catalogue.add_product(str(model["ean"]), str(model["name"]))
    return len(models)


def demo_simulator(token: str = DEMO_TOKEN, **options) -> BackMarketSimulator:
    """A simulator (not started) knowing the demo products; `--demo` starts it with `.start(port=0)`."""
    sim = BackMarketSimulator(token, **options)
    seed_products(sim)
    return sim
