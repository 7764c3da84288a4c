"""What the station keeps in Odoo: the Grade attribute, the lot-property definitions, the extra locations."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from grading_station.domain.units import IntakeSource, Placement

GRADE_ATTRIBUTE = "Grade"
# Used when the caller passes no grades: Back Market's scale plus the non-sellable outcomes.
DEFAULT_GRADES: tuple[tuple[str, str], ...] = (
    ("premium", "Premium"),
    ("excellent", "Excellent"),
    ("good", "Good"),
    ("fair", "Fair"),
    ("repair", "Repair"),
    ("parts", "Parts / recycle"),
)
HOLD_LOCATION = "Hold"
REPAIR_LOCATION = "Repair"
# checklist category -> product.category name created for it (and read back, case-insensitively)
CATEGORY_NAMES = {"phone": "Phones", "tablet": "Tablets", "laptop": "Laptops"}


@dataclass(frozen=True)
class GradeScale:
    """The grades as (key, display name) pairs, best first; the display name is the attribute value."""

    grades: tuple[tuple[str, str], ...] = DEFAULT_GRADES

    @classmethod
    def of(cls, grades: Sequence[tuple[str, str]] | None) -> GradeScale:
        return cls(tuple((str(k), str(n)) for k, n in grades)) if grades else cls()

    @property
    def keys(self) -> list[str]:
        return [k for k, _ in self.grades]

    def key_for_value(self, value_name: str) -> str | None:
        """The grade key of an attribute value name ("Good" -> "good"), None if it is not one of ours."""
        wanted = value_name.strip().casefold()
        for key, name in self.grades:
            if wanted in (name.casefold(), key.casefold()):
                return key
        return None

    def name(self, key: str) -> str:
        return dict(self.grades).get(key, key.title())

    def sku_suffix(self, key: str) -> str:
        return key.upper()


def lot_property_definitions(scale: GradeScale) -> list[dict]:
    """The lot_properties definition written on every managed variant. Only types Odoo accepts (no text/json):
    checklist results travel in the JSON report attachment; here `checklist` is "id@version"."""

    def sel(name: str, string: str, options: list[tuple[str, str]]) -> dict:
        return {"name": name, "string": string, "type": "selection", "selection": [list(o) for o in options]}

    def field(name: str, string: str, kind: str) -> dict:
        return {"name": name, "string": string, "type": kind}

    return [
        sel("grade", "Grade", list(scale.grades)),
        field("battery_health", "Battery Health (%)", "integer"),
        field("battery_cycles", "Battery Cycles", "integer"),
        field("battery_source", "Battery Source", "char"),  # "manual", "device (adb)", "device (ios)"...
        field("tested_at", "Tested At", "datetime"),
        field("technician", "Technician", "char"),
        field("station", "Station", "char"),
        field("checklist", "Checklist", "char"),
        sel("outcome", "Outcome", [(p.value, p.value.title()) for p in Placement]),
        field("hold_reason", "Hold Reason", "char"),
        field("warranty_end", "Warranty End", "date"),
        field("sale_order", "Sale Order", "char"),
        sel("source", "Source", [(s.value, s.value.replace("_", " ").title()) for s in IntakeSource]),
        field("grading_id", "Grading ID", "char"),
        field("lease_station", "Being Graded At", "char"),
        field("lease_until", "Lease Until", "datetime"),
        field("listing_state", "Listing State", "char"),
        # the supervisor's queues: aged stock counts from the first intake (a quant's in_date restarts at every
        # re-grade), override requests compare the grade with the one the checklist suggested
        field("intake_date", "Intake Date", "date"),
        sel("suggested_grade", "Suggested Grade", list(scale.grades)),
        field("override_reason", "Override Reason", "char"),
    ]


def definitions_match(current: list | bool, wanted: list[dict]) -> bool:
    """True when a variant's definition already holds every wanted property with the same type and options."""
    by_name = {d.get("name"): d for d in (current or []) if isinstance(d, dict)}
    for want in wanted:
        have = by_name.get(want["name"])
        if not have or have.get("type") != want["type"]:
            return False
        if (
            want["type"] == "selection"
            and [list(o) for o in have.get("selection") or []] != want["selection"]
        ):
            return False
    return True


def merged_definitions(current: list | bool, wanted: list[dict]) -> list[dict]:
    """Ours (in our order) followed by any property someone else defined on the variant, which we keep."""
    ours = {w["name"] for w in wanted}
    extra = [d for d in (current or []) if isinstance(d, dict) and d.get("name") not in ours]
    cleaned = [{k: v for k, v in d.items() if k != "value"} for d in extra]
    return [*wanted, *cleaned]
