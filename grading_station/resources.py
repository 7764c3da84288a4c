"""Loads the declarative resources (checklists, grade scale, pricing rules) from resources/ into domain objects.

The domain checks every value's type (grading_station.domain.resource_fields) and names the faulty key; this
module reads the files and points at the line of that key, so whoever edits a file knows where to look.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from grading_station.domain.checklist import ChecklistError, ChecklistTemplate
from grading_station.domain.grades import GradeScale
from grading_station.domain.pricing import PricingTable
from grading_station.domain.resource_fields import ResourceError, Where

from grading_station.errors import KnownError
from grading_station.i18n import _
from grading_station.paths import RESOURCES

T = TypeVar("T")


def _read_toml(path: Path) -> tuple[dict, str]:
    """The parsed file and its text; KnownError naming the file (and the line, when known) otherwise."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise KnownError(_("The file {file} is missing from {folder}.").format(
            file=path.name, folder=path.parent)) from None
    except OSError as exc:
        raise KnownError(_("{file} cannot be opened: {reason}.").format(
            file=path.name, reason=exc.strerror or exc), detail=str(exc)) from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise KnownError(_("{file}, line {line}: this is not UTF-8 text. Save the file as UTF-8.").format(
            file=path.name, line=data.count(b"\n", 0, exc.start) + 1), detail=str(exc)) from exc
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as exc:
        reason = str(exc) if len(str(exc)) <= 200 else str(exc)[:139] + "…" + str(exc)[-60:]
        raise KnownError(_("{file} cannot be read: {reason}.").format(file=path.name, reason=reason),
                         detail=str(exc)) from exc
    except RecursionError as exc:
        raise KnownError(_("{file} cannot be read: it is nested far too deep.").format(file=path.name)) from exc


def _load(path: Path, build: Callable[[dict], T]) -> T:
    data, text = _read_toml(path)
    try:
        return build(data)
    except ResourceError as exc:
        line = line_of(text, exc.where) if exc.where else None
        if line is None:
            raise
        message = _("{file}, line {line}: {problem}.").format(file=path.name, line=line, problem=exc.problem)
        raise type(exc)(message, where=exc.where, problem=exc.problem, detail=exc.user_message) from exc


def checklist_categories(resources: Path = RESOURCES) -> list[str]:
    """The categories that have a checklist ("laptop", "phone", "tablet"), sorted."""
    return sorted(p.stem for p in (resources / "checklists").glob("*.toml"))


def load_checklist(category: str, resources: Path = RESOURCES) -> ChecklistTemplate:
    """The checklist template of a category (resources/checklists/<category>.toml)."""
    path = resources / "checklists" / f"{category}.toml"
    if not path.is_file():
        known = ", ".join(checklist_categories(resources)) or _("none")
        raise KnownError(_("There is no checklist for the category '{category}' (known: {known}).").format(
            category=category, known=known))
    template = _load(path, lambda data: ChecklistTemplate.from_dict(data, source=path.name))
    if template.category != category:
        raise ChecklistError(_("{file}: its category is '{found}', expected '{category}'.").format(
            file=path.name, found=template.category, category=category))
    return template


def load_grade_scale(path: Path | None = None) -> GradeScale:
    """The grade scale (resources/grades.toml unless another file is given)."""
    path = path or RESOURCES / "grades.toml"
    return _load(path, lambda data: GradeScale.from_dict(data, source=path.name))


def load_pricing(path: Path | None = None) -> PricingTable:
    """The listing price rules (resources/pricing.toml unless another file is given)."""
    path = path or RESOURCES / "pricing.toml"
    return _load(path, lambda data: PricingTable.from_dict(data, source=path.name))


# -- finding a key's line ------------------------------------------------------------------------------------
_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]*?)\s*\]\]?\s*(#.*)?$")
_KEY = r"""(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')"""
_ASSIGNMENT = re.compile(rf"^\s*({_KEY}(?:\s*\.\s*{_KEY})*)\s*=")
_KEY_PART = re.compile(r"""[A-Za-z0-9_-]+|"([^"]*)"|'([^']*)'""")


def _parts(dotted: str) -> list[str]:
    return [m.group(1) if m.group(1) is not None else m.group(2) if m.group(2) is not None else m.group(0)
            for m in _KEY_PART.finditer(dotted)]


def line_of(text: str, where: Where) -> int | None:
    """The 1-based line of the key at `where` (("grades", 2, "sellable")) in TOML `text`, or of the nearest
    enclosing key or table header that is written in the file; None when nothing of it is found.

    A line scanner, not a parser: it follows [table] and [[array]] headers, `key = ` lines and the entries of
    a multi-line array (one per line), which is how these files are written."""
    arrays: dict[tuple, int] = {}  # resolved path of a [[header]] -> index of its current entry
    table: tuple = ()
    listing: tuple | None = None  # inside a multi-line `key = [`: its path, the current entry, the depth
    entry = depth = 0
    best, best_length = None, 0
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if listing is not None:
            starts_entry = depth == 1 and stripped and not stripped.startswith(("]", "#"))
            depth += _nesting(line)
            if depth <= 0:
                listing = None
                continue
            if not starts_entry:
                continue
            entry += 1
            path = listing + (entry,)
        elif (header := _HEADER.match(line)) and not _ASSIGNMENT.match(line):
            resolved: tuple = ()
            names = _parts(header.group(2))
            for i, name in enumerate(names):
                resolved += (name,)
                if i == len(names) - 1 and header.group(1) == "[[":
                    arrays[resolved] = arrays.get(resolved, -1) + 1
                if resolved in arrays:
                    resolved += (arrays[resolved],)
            table, path = resolved, resolved
        elif assignment := _ASSIGNMENT.match(line):
            path = table + tuple(_parts(assignment.group(1)))
            if _nesting(line) > 0:  # a multi-line array (or inline table) starts here
                listing, entry, depth = path, -1, _nesting(line)
        else:
            continue
        length = _common(path, where)
        if length == len(where):
            return number
        if length > best_length and length == len(path):  # an enclosing table or key, not a sibling
            best, best_length = number, length
    return best


_STRING = re.compile(r""""(?:\\.|[^"\\])*"|'[^']*'|#.*$""")


def _nesting(line: str) -> int:
    """How many brackets and braces `line` leaves open (strings and comments aside)."""
    bare = _STRING.sub("", line)
    return bare.count("[") + bare.count("{") - bare.count("]") - bare.count("}")


def _common(path: tuple, where: Where) -> int:
    n = 0
    for a, b in zip(path, where, strict=False):
        if a != b:
            break
        n += 1
    return n
