"""Typed reads of a parsed resource file (TOML as dicts): a missing or wrong value is a ResourceError naming its key.

❌ `bool(raw.get("sellable", True))`: `sellable = 0` or `"no"` quietly becomes a grade rule.
✅ `Fields(raw, source, ("grades", 2)).flag("sellable", True)`: true/false or a ResourceError at
   ("grades", 2, "sellable"), which the loader (grading_station.resources) turns into a line of the file.
Texts here are plain English; they are not translated in the domain.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

from grading_station.errors import KnownError

Where = tuple[str | int, ...]
_REQUIRED: Any = object()


class ResourceError(KnownError):
    """A resource file (checklist, grade scale, pricing rules) that cannot be used.

    `where` is the key path of the faulty value (("grades", 2, "sellable"); empty when the file as a whole is
    wrong) and `problem` the message without the file name, so the loader can say which line to fix."""

    def __init__(self, user_message: str, *, where: Where = (), problem: str = "", detail: str = "") -> None:
        super().__init__(user_message, detail=detail)
        self.where = tuple(where)
        self.problem = problem or user_message


def key_text(where: Where) -> str:
    """("grades", 2, "sellable") -> "grades[3].sellable" (entries counted from 1, as a person counts them)."""
    out = ""
    for part in where:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def is_number(value: object) -> bool:
    """An int or a finite float (TOML has nan and inf; bool is an int in Python, not in a resource file)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def shown(value: object, limit: int = 40) -> str:
    """A value as the file has it, cut short."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Fields:
    """One table of a resource file, read key by key with its type checked. `source` names the file in
    messages, `where` is the table's key path, `error` the ResourceError subclass to raise."""

    def __init__(self, data: object, source: str, where: Where = (), error: type[ResourceError] = ResourceError):
        self.source, self.where, self.error = source, tuple(where), error
        if not isinstance(data, Mapping):
            raise self.fail(f"{key_text(self.where) or 'the file'} must be a table, not {shown(data)}")
        self.data: Mapping[str, Any] = data

    def fail(self, problem: str, key: str | int | None = None) -> ResourceError:
        where = self.where + ((key,) if key is not None else ())
        return self.error(f"{self.source}: {problem}.", where=where, problem=problem)

    def _get(self, key: str, default: Any) -> Any:
        if key in self.data:
            return self.data[key]
        if default is _REQUIRED:
            raise self.fail(f"{key_text(self.where + (key,))} is missing", key)
        return default

    def _wrong(self, key: str | int, value: object, wanted: str) -> ResourceError:
        return self.fail(f"{key_text(self.where + (key,))} must be {wanted}, not {shown(value)}", key)

    def has(self, key: str) -> bool:
        return key in self.data

    def keys(self) -> list[str]:
        return list(self.data)

    def text(self, key: str, default: Any = _REQUIRED) -> str:
        value = self._get(key, default)
        if not isinstance(value, str):
            raise self._wrong(key, value, "text")
        return value

    def flag(self, key: str, default: Any = _REQUIRED) -> bool:
        value = self._get(key, default)
        if not isinstance(value, bool):
            raise self._wrong(key, value, "true or false")
        return value

    def whole(self, key: str, default: Any = _REQUIRED, minimum: int | None = None) -> int:
        value = self._get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self._wrong(key, value, "a whole number")
        if minimum is not None and value < minimum:
            raise self._wrong(key, value, f"a whole number of at least {minimum}")
        return value

    def number(self, key: str, default: Any = _REQUIRED) -> Decimal:
        """An int or a finite float, as a Decimal of its written value (0.1 stays 0.1)."""
        value = self._get(key, default)
        if not is_number(value):
            raise self._wrong(key, value, "a number")
        return Decimal(str(value))

    def table(self, key: str, default: Any = _REQUIRED) -> Fields:
        value = self._get(key, default)
        if not isinstance(value, Mapping):
            raise self._wrong(key, value, "a table")
        return Fields(value, self.source, self.where + (key,), self.error)

    def tables(self, key: str) -> list[Fields]:
        """An array of tables ([[key]] sections, or a list of inline tables); missing = none."""
        value = self._get(key, [])
        if not isinstance(value, list):
            raise self._wrong(key, value, "a list of tables")
        return [Fields(item, self.source, self.where + (key, i), self.error) for i, item in enumerate(value)]

    def subtables(self) -> Iterator[tuple[str, Fields]]:
        """Every value of this table, each a table itself (e.g. [markets.fr-fr], [markets.de-de])."""
        for key in self.data:
            yield key, self.table(key)

    def only(self, allowed: set[str] | frozenset[str]) -> None:
        """Refuse keys nobody reads: a typo (`min_batery`) must not become a silent default."""
        unknown = sorted(set(self.data) - set(allowed))
        if unknown:
            raise self.fail(f"{key_text(self.where + (unknown[0],))} is not a known setting here "
                            f"(known: {', '.join(sorted(allowed))})", unknown[0])
