"""The domain stays pure: no Qt, no I/O, no clock or randomness (DESIGN §2); the store and the scan buffer
import no Qt either."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[3] / "grading_station"
PURE = ["identifiers", "battery", "checklist", "checklist_template", "grade_scale", "grades", "placement"]
FORBIDDEN_IN_DOMAIN = {
    "PySide6",
    "sqlite3",
    "os",
    "pathlib",
    "io",
    "random",
    "time",
    "datetime",
    "uuid",
    "tomllib",
    "httpx",
    "grading_station.store",
    "grading_station.ui",
    "grading_station.services",
}


def imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def clashes(names: set[str], forbidden: set[str]) -> set[str]:
    return {n for n in names if any(n == f or n.startswith(f + ".") for f in forbidden)}


@pytest.mark.parametrize("module", PURE)
def test_domain_module_is_pure(module):
    assert clashes(imported(PACKAGE / "domain" / f"{module}.py"), FORBIDDEN_IN_DOMAIN) == set()


@pytest.mark.parametrize(
    "path",
    [*sorted((PACKAGE / "store").glob("*.py")), PACKAGE / "hardware" / "scanbuffer.py"],
    ids=lambda p: p.name,
)
def test_adapters_import_no_qt_and_no_upper_layer(path):
    assert clashes(imported(path), {"PySide6", "grading_station.ui", "grading_station.services"}) == set()
