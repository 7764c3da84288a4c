"""Demo data for the Back Market simulator: a product for every model of resources/demo/catalogue.toml."""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime, timedelta
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


# Orders a demo buyer placed (model code, grade, quantity; hours until the expected dispatch; buyer; market):
# the Picking workspace imports them. The demo units (catalogue.toml) serve all but the last line.
DEMO_ORDERS = (
    ((("IP14P-256-PUR", "good", 1),), -3, ("Jeanne", "Martin"), "fr-fr"),
    ((("PX7-128-OBS", "good", 1), ("IP13-128-MID", "excellent", 1)), 5, ("Lukas", "Schmidt"), "de-de"),
    ((("MBA-M1-8-256-GRY", "good", 1),), 26, ("Camille", "Durand"), "fr-fr"),
    ((("IP14P-256-PUR", "excellent", 1),), 30, ("Paul", "Bernard"), "fr-fr"),
)


def seed_orders(sim: BackMarketSimulator, now: datetime | None = None) -> list[int]:
    """Place the demo orders (SKU = model code + grade, as the station names its variants)."""
    now = now or datetime.now(UTC)
    placed = []
    for lines, hours, buyer, market in DEMO_ORDERS:
        due = (now + timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%SZ")
        skus = [(f"{code}-{grade.upper()}", quantity) for code, grade, quantity in lines]
        placed.append(sim.orders.place(skus, country_code=market, expected_dispatch=due, customer=buyer))
    return placed


def demo_simulator(token: str = DEMO_TOKEN, **options) -> BackMarketSimulator:
    """A simulator (not started) knowing the demo products and a few orders; `--demo` starts it with
    `.start(port=0)`."""
    sim = BackMarketSimulator(token, **options)
    seed_products(sim)
    seed_orders(sim)
    return sim
