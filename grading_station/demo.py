"""Demo data: the catalogue and graded units of resources/demo/catalogue.toml, created in Odoo over RPC."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from grading_station.domain.units import Placement

from grading_station.odoo.gateway import OdooGateway
from grading_station.odoo.mappers import odoo_datetime
from grading_station.odoo.seeding import UnitSeed, receive_units

from grading_station.paths import RESOURCES

DEMO_CATALOGUE = RESOURCES / "demo" / "catalogue.toml"


@dataclass(frozen=True)
class DemoReport:
    """What seeding created: model template ids by code, and the lots made this time (empty on a re-run)."""

    templates: dict[str, int]
    lots_created: list[int]


def load_demo(path: Path = DEMO_CATALOGUE) -> dict:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def seed_demo(gateway: OdooGateway, path: Path = DEMO_CATALOGUE) -> DemoReport:
    """Prepare Odoo, create the demo models and stock the demo units; idempotent and batched."""
    data = load_demo(path)
    gateway.prepare_odoo()
    templates = {}
    for model in data.get("model", []):
        templates[model["code"]] = gateway.create_model(
            model["name"],
            model["category"],
            model["code"],
            model.get("ean", ""),
            float(model.get("new_price", 0)),
            refresh=False,
        )
    gateway.catalogue.refresh()
    seeds = []
    for unit in data.get("unit", []):
        catalogue_model = gateway.catalogue.model(templates[unit["model"]])
        assert catalogue_model is not None, unit["model"]
        placement = Placement(unit.get("placement", "stock"))
        props = {
            "grade": unit["grade"],
            "battery_health": unit.get("battery_health", False),
            "battery_cycles": unit.get("battery_cycles", False),
            "tested_at": odoo_datetime(unit.get("tested_at", data["tested_at"])),
            "technician": unit.get("technician", data["technician"]),
            "station": data["station"],
            "checklist": f"{catalogue_model.category}@1",
            "outcome": placement.value,
            "hold_reason": unit.get("hold_reason") or False,
            "source": unit.get("source", False),
            "intake_date": unit.get("intake_date", data.get("intake_date", False)),
            "suggested_grade": unit.get("suggested_grade", unit["grade"]),
            "override_reason": unit.get("override_reason", False),
        }
        seeds.append(
            UnitSeed(unit["serial"], catalogue_model.variant_ids_by_grade[unit["grade"]], props, placement)
        )
    return DemoReport(templates, receive_units(gateway.connection, gateway.locations, seeds))
