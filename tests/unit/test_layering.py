"""Every module of the package sits in a layer of DESIGN §2 and imports only what its layer may: the domain stays
pure, adapters and services never import Qt, the UI never imports the simulators. A new top-level module that
belongs to no layer fails here until it is placed."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "grading_station"

ADAPTERS = {"store", "odoo", "backmarket", "hardware"}
# Qt-free modules beside the layers that every layer may use (settings, errors, words, paths, logs).
UTILITIES = {"config", "errors", "i18n", "log", "paths", "resources", "secrets", "reachability", "wording"}
# Composition roots: they build everything, so they may import anything.
ROOTS = {"__init__", "__main__", "app", "station", "cli", "demo", "demo_mode"}

# layer -> the package parts it may import (besides the standard library and third-party packages)
ALLOWED: dict[str, set[str]] = {
    "domain": {"domain", "errors"},
    **{adapter: {adapter, "domain"} | UTILITIES for adapter in ADAPTERS},
    "services": {"services", "domain"} | ADAPTERS | UTILITIES,
    "ui": {"ui", "services", "domain"} | ADAPTERS | UTILITIES,
    "sim": {"sim", "domain", "paths"},
    "utility": {"domain"} | UTILITIES,
}
QT_ALLOWED = {"ui"}
# No I/O, clock or randomness in the domain: they are passed in (DESIGN §2). (tomllib.loads parses text: pure.)
DOMAIN_FORBIDDEN_STDLIB = {"sqlite3", "os", "pathlib", "io", "random", "time", "uuid", "httpx", "socket",
                           "threading", "subprocess"}


def layer_of(path: Path) -> str:
    parts = path.relative_to(PACKAGE).parts
    if len(parts) > 1:
        return parts[0]
    stem = path.stem
    if stem in ROOTS:
        return "root"
    if stem in UTILITIES:
        return "utility"
    return "unplaced"


def imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def violations(path: Path) -> list[str]:
    layer = layer_of(path)
    if layer == "root":
        return []
    if layer == "unplaced" or layer not in ALLOWED:
        return [f"{path.name} belongs to no layer: place it in tests/unit/test_layering.py"]
    found = []
    for name in imports(path):
        top = name.split(".")[0]
        if top == "PySide6" and layer not in QT_ALLOWED:
            found.append(f"imports {name} (no Qt outside ui/)")
        elif top == "grading_station":
            part = name.split(".")[1] if "." in name else ""
            if part and part not in ALLOWED[layer]:
                found.append(f"imports {name} ({layer} may import {sorted(ALLOWED[layer])})")
        elif layer == "domain" and top in DOMAIN_FORBIDDEN_STDLIB:
            found.append(f"imports {name} (the domain does no I/O and reads no clock)")
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_module_imports_only_what_its_layer_may(path):
    assert violations(path) == []


def test_the_rules_catch_a_violation(tmp_path, monkeypatch):
    """The checker itself: a domain module importing Qt and sqlite3, a service importing the UI."""
    fake = tmp_path / "grading_station"
    (fake / "domain").mkdir(parents=True)
    (fake / "services").mkdir()
    (fake / "domain" / "bad.py").write_text("import sqlite3\nfrom PySide6.QtCore import QObject\n")
    (fake / "services" / "bad.py").write_text("from grading_station.ui.kit import background\n")
    (fake / "stray.py").write_text("")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", fake)
    assert len(violations(fake / "domain" / "bad.py")) == 2
    assert violations(fake / "services" / "bad.py") != []
    assert "no layer" in violations(fake / "stray.py")[0]
