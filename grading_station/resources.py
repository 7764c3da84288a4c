"""Loads the declarative resources (checklists, grade scale) from resources/ into domain objects."""

from __future__ import annotations

import tomllib
from pathlib import Path

from grading_station.domain.checklist import ChecklistError, ChecklistTemplate
from grading_station.domain.grades import GradeScale

from grading_station.errors import KnownError
from grading_station.paths import RESOURCES


def _read_toml(path: Path) -> dict:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise KnownError(f"The file {path.name} is missing from {path.parent}.") from None
    except tomllib.TOMLDecodeError as exc:
        raise KnownError(f"{path.name} cannot be read: {exc}.") from exc


def checklist_categories(resources: Path = RESOURCES) -> list[str]:
    """The categories that have a checklist ("laptop", "phone", "tablet"), sorted."""
    return sorted(p.stem for p in (resources / "checklists").glob("*.toml"))


def load_checklist(category: str, resources: Path = RESOURCES) -> ChecklistTemplate:
    """The checklist template of a category (resources/checklists/<category>.toml)."""
    path = resources / "checklists" / f"{category}.toml"
    if not path.is_file():
        known = ", ".join(checklist_categories(resources)) or "none"
        raise KnownError(f"There is no checklist for the category '{category}' (known: {known}).")
    template = ChecklistTemplate.from_dict(_read_toml(path), source=path.name)
    if template.category != category:
        raise ChecklistError(f"{path.name}: its category is '{template.category}', expected '{category}'.")
    return template


def load_grade_scale(path: Path | None = None) -> GradeScale:
    """The grade scale (resources/grades.toml unless another file is given)."""
    path = path or RESOURCES / "grades.toml"
    return GradeScale.from_dict(_read_toml(path), source=path.name)
