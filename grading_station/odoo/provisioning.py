"""Prepare Odoo: the Grade attribute, lot-property definitions on every managed variant, WH/Hold, WH/Repair.

Idempotent: every step reads first and creates only what is missing, so a second run creates nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from grading_station.odoo.catalogue import Catalogue
from grading_station.odoo.connection import OdooConnection
from grading_station.odoo.locations import Locations
from grading_station.odoo.mappers import text
from grading_station.odoo.schema import (
    GRADE_ATTRIBUTE,
    HOLD_LOCATION,
    REPAIR_LOCATION,
    GradeScale,
    definitions_match,
    lot_property_definitions,
    merged_definitions,
)

from grading_station import log
from grading_station.errors import RemoteRefused
from grading_station.i18n import N_, _


@dataclass
class ProvisionReport:
    """What a "Prepare Odoo" run changed; `created` is empty on a second run."""

    created: list[str] = field(default_factory=list)
    variants_updated: int = 0
    managed_models: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.variants_updated)

    def __str__(self) -> str:
        lines = [f"Created: {item}" for item in self.created] or [
            "Nothing to create: Odoo was already prepared."
        ]
        lines.append(
            f"Managed models: {self.managed_models}; variants given the lot properties: "
            f"{self.variants_updated}."
        )
        return "\n".join(lines)


class Provisioner:
    """Sets Odoo up for the station and creates catalogue models ("Prepare Odoo", the demo data)."""

    def __init__(
        self, connection: OdooConnection, catalogue: Catalogue, locations: Locations, scale: GradeScale
    ) -> None:
        self._conn = connection
        self._catalogue = catalogue
        self._locations = locations
        self._scale = scale
        self._grades: tuple[int, dict[str, int]] | None = None  # known to exist in Odoo (this session)

    def prepare(self) -> ProvisionReport:
        report = ProvisionReport()
        self.grade_values(report)
        self._ensure_locations(report)
        self._catalogue.refresh()
        report.managed_models = len(self._catalogue.models())
        report.variants_updated = self.define_lot_properties(self._catalogue.variant_ids())
        log.odoo.info(
            "Odoo prepared: created %s, %d variants got the lot properties",
            report.created or "nothing",
            report.variants_updated,
        )
        return report

    # -- Grade attribute -------------------------------------------------------------------------------------
    def grade_values(self, report: ProvisionReport | None = None) -> tuple[int, dict[str, int]]:
        """The Grade attribute id and its value id per grade key, creating whatever is missing."""
        report = report or ProvisionReport()
        call = self._conn.call
        found = call(
            "product.attribute",
            "search_read",
            [[["name", "=", GRADE_ATTRIBUTE]]],
            {"fields": ["create_variant"], "limit": 1},
            what=N_("read the Grade attribute"),
        )
        if not found:
            attr_id = call(
                "product.attribute",
                "create",
                [
                    {
                        "name": GRADE_ATTRIBUTE,
                        "create_variant": "always",
                        "display_type": "radio",
                        "value_ids": [
                            [0, 0, {"name": name, "sequence": i}]
                            for i, (_, name) in enumerate(self._scale.grades)
                        ],
                    }
                ],
                what=N_("create the Grade attribute"),
            )
            report.created.append(f"attribute {GRADE_ATTRIBUTE}")
        else:
            attr_id = found[0]["id"]
            if found[0].get("create_variant") != "always":
                raise RemoteRefused(
                    _("The Odoo attribute '{attribute}' exists but does not create variants; rename it or set "
                      "'Variants creation mode' to 'Instantly' in Odoo.").format(attribute=GRADE_ATTRIBUTE)
                )
        values = call(
            "product.attribute.value",
            "search_read",
            [[["attribute_id", "=", attr_id]]],
            {"fields": ["name"]},
            what=N_("read the grade values"),
        )
        by_key = {self._scale.key_for_value(text(v["name"])): v["id"] for v in values}
        missing = [(i, k, n) for i, (k, n) in enumerate(self._scale.grades) if k not in by_key]
        if missing:
            ids = call(
                "product.attribute.value",
                "create",
                [[{"attribute_id": attr_id, "name": n, "sequence": i} for i, _, n in missing]],
                what=N_("create the grade values"),
            )
            by_key.update({k: vid for (_, k, _), vid in zip(missing, ids, strict=True)})
            report.created += [f"grade {n}" for _, _, n in missing]
        self._grades = (attr_id, {k: by_key[k] for k in self._scale.keys})
        return self._grades

    def known_grade_values(self) -> tuple[int, dict[str, int]]:
        """grade_values(), read once per session."""
        return self._grades or self.grade_values()

    # -- locations -------------------------------------------------------------------------------------------
    def _ensure_locations(self, report: ProvisionReport) -> None:
        view_id = self._locations.load(self._conn, create_missing=False)
        missing = [n for n in (HOLD_LOCATION, REPAIR_LOCATION) if not self._locations.has(n)]
        if missing:
            self._conn.call(
                "stock.location",
                "create",
                [[{"name": n, "usage": "internal", "location_id": view_id} for n in missing]],
                what=N_("create the Hold and Repair locations"),
            )
            report.created += [f"location {self._locations.warehouse_code}/{n}" for n in missing]
            self._locations.load(self._conn, create_missing=False)

    # -- lot properties --------------------------------------------------------------------------------------
    def define_lot_properties(self, variant_ids: list[int]) -> int:
        """Write the definition on each variant lacking part of it (one write per distinct current shape)."""
        if not variant_ids:
            return 0
        wanted = lot_property_definitions(self._scale)
        rows = self._conn.call(
            "product.product",
            "read",
            [variant_ids, ["lot_properties_definition"]],
            what=N_("read the lot-property definitions"),
        )
        groups: dict[str, tuple[list, list[int]]] = {}
        for row in rows:
            current = row.get("lot_properties_definition") or []
            if definitions_match(current, wanted):
                continue
            groups.setdefault(repr(current), (current, []))[1].append(row["id"])
        for current, ids in groups.values():
            self._conn.call(
                "product.product",
                "write",
                [ids, {"lot_properties_definition": merged_definitions(current, wanted)}],
                what=N_("define the lot properties on the variants"),
            )
        return sum(len(ids) for _, ids in groups.values())
