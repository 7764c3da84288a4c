"""The grade scale as data (resources/grades.toml parsed into a dict): grades best first with their criteria,
and the cosmetic condition scale. The rules that apply it live in grading_station.domain.grades."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from grading_station.domain.units import Placement

from grading_station.errors import InputError, KnownError


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
        conditions = tuple(
            Condition(
                str(c["key"]), str(c["title"]), rank, str(c.get("help", "")), bool(c.get("repair", False))
            )
            for rank, c in enumerate(data.get("conditions", ()))
        )
        grades = tuple(_grade(g) for g in data.get("grades", ()))
        scale = cls(grades, conditions, int(data.get("version", 1)))
        _validate(scale, source)
        return scale


def _per_category(value: object) -> dict[str, int]:
    if value is None:
        return {}
    if isinstance(value, int):
        return {"default": value}
    return {str(k): int(v) for k, v in dict(value).items()}


def _grade(raw: Mapping) -> Grade:
    sellable = bool(raw.get("sellable", True))
    return Grade(
        key=str(raw["key"]),
        title=str(raw["title"]),
        sellable=sellable,
        backmarket=raw.get("backmarket"),
        min_battery=_per_category(raw.get("min_battery")),
        max_cycles=_per_category(raw.get("max_cycles")),
        worst_condition=str(raw.get("worst_condition", "")),
        worst_condition_by_zone=dict(raw.get("worst_condition_by_zone", {})),
        noted_failures_allowed=bool(raw.get("noted_failures_allowed", True)),
        placement=Placement(raw.get("placement", "stock" if sellable else "repair")),
        description=str(raw.get("description", "")),
    )


def _validate(scale: GradeScale, source: str) -> None:
    if not scale.sellable or all(g.sellable for g in scale.grades):
        raise KnownError(f"{source}: the scale needs sellable grades and a non-sellable one (repair).")
    if len({g.key for g in scale.grades}) != len(scale.grades):
        raise KnownError(f"{source}: two grades share a key.")
    keys = {c.key for c in scale.conditions}
    for grade in scale.sellable:
        for condition in (grade.worst_condition, *grade.worst_condition_by_zone.values()):
            if condition not in keys:
                raise KnownError(f"{source}: grade {grade.key!r} refers to unknown condition {condition!r}.")
        if grade.placement != Placement.STOCK:
            raise KnownError(f"{source}: sellable grade {grade.key!r} must go to stock.")
