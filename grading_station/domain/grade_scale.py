"""The grade scale as data (resources/grades.toml parsed into a dict): grades best first with their criteria,
and the cosmetic condition scale. The rules that apply it live in grading_station.domain.grades."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from grading_station.domain.resource_fields import Fields
from grading_station.domain.units import Placement

from grading_station.errors import InputError


@dataclass(frozen=True)
class Condition:
    """A step of the cosmetic scale, `rank` 0 the best; a `repair` condition (cracks) means repair."""

    key: str
    title: str
    rank: int
    help: str = ""
    repair: bool = False


@dataclass(frozen=True)
class Grade:
    """A grade and its criteria. Non-sellable grades (repair, parts) have no criteria and a `placement`."""

    key: str
    title: str
    sellable: bool
    backmarket: str | None = None  # Back Market API value (PREMIUM, EXCELLENT, GOOD, FAIR)
    min_battery: Mapping[str, int] = field(default_factory=dict)  # category or "default" -> %
    max_cycles: Mapping[str, int] = field(default_factory=dict)  # category or "default" -> cycles
    worst_condition: str = ""
    worst_condition_by_zone: Mapping[str, str] = field(default_factory=dict)
    noted_failures_allowed: bool = (
        True  # False: a failed test that needs no repair (unknown part) rules it out
    )
    placement: Placement = Placement.STOCK
    description: str = ""

    def min_battery_for(self, category: str) -> int | None:
        return self.min_battery.get(category, self.min_battery.get("default"))

    def max_cycles_for(self, category: str) -> int | None:
        return self.max_cycles.get(category, self.max_cycles.get("default"))

    def worst_condition_for(self, zone: str) -> str:
        return self.worst_condition_by_zone.get(zone, self.worst_condition)


@dataclass(frozen=True)
class GradeScale:
    """Grades best first, the cosmetic conditions best first."""

    grades: tuple[Grade, ...]
    conditions: tuple[Condition, ...]
    version: int = 1

    @property
    def sellable(self) -> tuple[Grade, ...]:
        return tuple(g for g in self.grades if g.sellable)

    @property
    def repair(self) -> Grade:
        """The grade a failed test, a worn battery or a crack leads to (the first non-sellable grade)."""
        return next(g for g in self.grades if not g.sellable)

    def grade(self, key: str) -> Grade:
        for grade in self.grades:
            if grade.key == key:
                return grade
        raise InputError(f"There is no grade '{key}' in the grade scale.")

    def condition(self, key: str) -> Condition:
        for condition in self.conditions:
            if condition.key == key:
                return condition
        raise InputError(f"'{key}' is not a cosmetic condition of the grade scale.")

    def by_backmarket(self, value: str) -> Grade | None:
        return next((g for g in self.grades if g.backmarket == value), None)

    @classmethod
    def from_dict(cls, data: Mapping, source: str = "grades.toml") -> GradeScale:
        """Build and validate the scale from parsed TOML; ResourceError names the file and the key."""
        top = Fields(data, source)
        top.only(frozenset({"version", "conditions", "grades"}))
        conditions = tuple(_condition(raw, rank) for rank, raw in enumerate(top.tables("conditions")))
        raws = top.tables("grades")
        grades = tuple(_grade(raw) for raw in raws)
        scale = cls(grades, conditions, top.whole("version", 1, minimum=1))
        _validate(scale, top, raws)
        return scale


_CONDITION_FIELDS = frozenset({"key", "title", "help", "repair"})
_GRADE_FIELDS = frozenset({
    "key", "title", "sellable", "backmarket", "min_battery", "max_cycles", "worst_condition",
    "worst_condition_by_zone", "noted_failures_allowed", "placement", "description",
})  # fmt: skip


def _condition(raw: Fields, rank: int) -> Condition:
    raw.only(_CONDITION_FIELDS)
    return Condition(raw.text("key"), raw.text("title"), rank, raw.text("help", ""), raw.flag("repair", False))


def _per_category(raw: Fields, key: str) -> dict[str, int]:
    """A whole number for every category, or a table of them per category (with "default")."""
    if not raw.has(key):
        return {}
    if not isinstance(raw.data[key], Mapping):
        return {"default": raw.whole(key, minimum=0)}
    table = raw.table(key)
    return {category: table.whole(category, minimum=0) for category in table.keys()}


def _grade(raw: Fields) -> Grade:
    raw.only(_GRADE_FIELDS)
    sellable = raw.flag("sellable", True)
    zones = raw.table("worst_condition_by_zone", {})
    placement = raw.text("placement", "stock" if sellable else "repair")
    try:
        place = Placement(placement)
    except ValueError:
        raise raw.fail(f"placement {placement!r} must be one of {', '.join(p.value for p in Placement)}",
                       "placement") from None
    return Grade(
        key=raw.text("key"),
        title=raw.text("title"),
        sellable=sellable,
        backmarket=raw.text("backmarket") if raw.has("backmarket") else None,
        min_battery=_per_category(raw, "min_battery"),
        max_cycles=_per_category(raw, "max_cycles"),
        worst_condition=raw.text("worst_condition", ""),
        worst_condition_by_zone={zone: zones.text(zone) for zone in zones.keys()},
        noted_failures_allowed=raw.flag("noted_failures_allowed", True),
        placement=place,
        description=raw.text("description", ""),
    )


def _validate(scale: GradeScale, top: Fields, raws: list[Fields]) -> None:
    if not scale.sellable or all(g.sellable for g in scale.grades):
        raise top.fail("the scale needs sellable grades and a non-sellable one (repair)", "grades")
    keys = {c.key for c in scale.conditions}
    seen: set[str] = set()
    for grade, raw in zip(scale.grades, raws, strict=True):
        if grade.key in seen:
            raise raw.fail(f"two grades share a key: {grade.key!r}", "key")
        seen.add(grade.key)
        if not grade.sellable:
            continue
        if grade.worst_condition not in keys:
            raise raw.fail(f"grade {grade.key!r} refers to unknown condition {grade.worst_condition!r}",
                           "worst_condition")
        for zone, condition in grade.worst_condition_by_zone.items():
            if condition not in keys:
                raise raw.table("worst_condition_by_zone").fail(
                    f"grade {grade.key!r} refers to unknown condition {condition!r}", zone)
        if grade.placement != Placement.STOCK:
            raise raw.fail(f"sellable grade {grade.key!r} must go to stock", "placement")
