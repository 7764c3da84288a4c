"""Odoo domains: validation with Odoo's error messages, and evaluation against in-memory records."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Protocol

from grading_station.sim.odoo.errors import assertion_error, value_error

OPERATORS = {
    "=", "!=", "<", ">", "<=", ">=", "in", "not in", "like", "not like", "ilike", "not ilike",
    "=like", "=ilike", "child_of", "parent_of", "any", "not any",
}  # fmt: skip


class Resolver(Protocol):
    def field_meta(self, model: str, field: str) -> dict[str, Any] | None: ...
    def value(self, model: str, rec: dict[str, Any], field: str) -> Any: ...
    def record(self, model: str, rid: int) -> dict[str, Any] | None: ...
    def display_name(self, model: str, rec: dict[str, Any]) -> str: ...
    def search_ids(self, model: str, domain: list[Any]) -> list[int]: ...
    def parent_path_ids(self, model: str, rid: int) -> list[int]: ...


def _leaf_repr(leaf: Any) -> str:
    return repr(tuple(leaf))


class _Members(list):
    """The value list of an "in" leaf, looked up by hash (as Postgres does with an index): a search of 5,000
    records with 5,000 ids would otherwise scan the list for every record."""

    def __init__(self, values: list | tuple) -> None:
        super().__init__(values)
        try:
            self._set: frozenset | None = frozenset(values)
        except TypeError:  # unhashable values: the list's own scan
            self._set = None

    def __contains__(self, value: object) -> bool:
        if self._set is not None:
            try:
                return value in self._set
            except TypeError:
                pass
        return super().__contains__(value)


def normalize(domain: Any, model: str, resolver: Resolver) -> list[Any]:
    """Check the domain like Odoo does and return it with implicit '&' made explicit (prefix form)."""
    if not isinstance(domain, list | tuple):
        raise assertion_error(
            "Domains to normalize must have a 'domain' form: a list or tuple of domain components"
        )
    result: list[Any] = []
    expected = 1
    for token in domain:
        if expected == 0:
            result[0:0] = ["&"]
            expected = 1
        if isinstance(token, list | tuple):
            if len(token) != 3:
                raise value_error(
                    f"not enough values to unpack (expected 3, got {len(token)})"
                    if len(token) < 3
                    else f"too many values to unpack (expected 3, got {len(token)})"
                )
            _check_leaf(token, model, resolver)
            expected -= 1
            left, op, right = token
            if isinstance(op, str) and op.lower() in ("in", "not in") and isinstance(right, list | tuple):
                right = _Members(right)
            result.append([left, op, right])
        elif token in ("&", "|"):
            expected += 1
            result.append(token)
        elif token == "!":
            result.append(token)
        else:
            raise value_error(f"Invalid leaf {token!r}")
    if expected != 0 and domain:
        raise value_error(f"Domain {list(domain)!r} is syntactically not correct.")
    return result


def _check_leaf(leaf: Any, model: str, resolver: Resolver) -> None:
    left, op, _right = leaf
    if left in (0, 1) and op == "=":
        return
    if not isinstance(op, str) or op.lower() not in OPERATORS:
        raise value_error(f"Invalid leaf {_leaf_repr(leaf)}")
    if not isinstance(left, str):
        raise value_error(f"Invalid leaf {_leaf_repr(leaf)}")
    first = left.split(".", 1)[0]
    if resolver.field_meta(model, first) is None:
        raise value_error(f"Invalid field {model}.{first} in leaf {_leaf_repr(leaf)}")


def evaluate(domain: list[Any], model: str, rec: dict[str, Any], resolver: Resolver) -> bool:
    """Evaluate a normalized (prefix-form) domain on one record."""
    if not domain:
        return True
    pos = 0

    def skip() -> None:
        nonlocal pos
        token = domain[pos]
        pos += 1
        if token in ("&", "|"):
            skip()
            skip()
        elif token == "!":
            skip()

    def walk() -> bool:
        nonlocal pos
        token = domain[pos]
        pos += 1
        if token in ("&", "|"):
            first = walk()
            if first == (token == "|"):  # short-circuit: the second operand cannot change the outcome
                skip()
                return first
            return walk()
        if token == "!":
            return not walk()
        return eval_leaf(token, model, rec, resolver)

    ok = walk()
    while pos < len(domain):  # a normalized domain is one tree; stay safe with trailing leaves
        ok = ok and walk()
    return ok


def eval_leaf(leaf: list[Any], model: str, rec: dict[str, Any], resolver: Resolver) -> bool:
    left, op, right = leaf
    if left in (0, 1):
        return bool(left == right) if op == "=" else True
    op = op.lower()
    path = left.split(".")
    return _eval_path(path, op, right, model, rec, resolver)


def _eval_path(
    path: list[str], op: str, right: Any, model: str, rec: dict[str, Any], resolver: Resolver
) -> bool:
    field = path[0]
    meta = resolver.field_meta(model, field)
    if meta is None:
        return False
    ftype = meta["type"]
    value = resolver.value(model, rec, field)
    if field == "id" and op in ("child_of", "parent_of"):
        return _eval_many2one(value, op, right, model, resolver)
    if ftype == "properties" and len(path) > 1:
        props = value if isinstance(value, dict) else {}
        if path[1] not in props:
            return _compare(False, op, right) if right is False and op == "=" else False
        return _compare(props[path[1]], op, right)
    if ftype in ("many2one", "one2many", "many2many") and len(path) > 1:
        ids = _as_ids(value)
        comodel = meta["relation"]
        for rid in ids:
            sub = resolver.record(comodel, rid)
            if sub is not None and _eval_path(path[1:], op, right, comodel, sub, resolver):
                return True
        return False
    if ftype == "many2one":
        return _eval_many2one(value, op, right, meta["relation"], resolver)
    if ftype in ("one2many", "many2many"):
        ids = _as_ids(value)
        if op in ("=", "in") and (right is False or right == []):
            return not ids
        if op in ("!=", "not in") and (right is False or right == []):
            return bool(ids)
        if op in ("=", "in"):
            wanted = set(right) if isinstance(right, list | tuple) else {right}
            return (
                bool(wanted & set(ids))
                if all(isinstance(w, int) for w in wanted)
                else any(
                    _compare(resolver.display_name(meta["relation"], r), "=", w)
                    for i in ids
                    if (r := resolver.record(meta["relation"], i))
                    for w in wanted
                )
            )
        if op in ("!=", "not in"):
            wanted = set(right) if isinstance(right, list | tuple) else {right}
            return not (wanted & set(ids))
        return any(
            _compare(resolver.display_name(meta["relation"], r), op, right)
            for i in ids
            if (r := resolver.record(meta["relation"], i))
        )
    return _compare(value, op, right)


def _as_ids(value: Any) -> list[int]:
    if not value:
        return []
    if isinstance(value, int):
        return [value]
    return list(value)


def _eval_many2one(value: Any, op: str, right: Any, comodel: str, resolver: Resolver) -> bool:
    if op in ("child_of", "parent_of"):
        if not value:
            return False
        targets = set(right) if isinstance(right, list | tuple) else {right}
        if op == "child_of":
            return bool(targets & set(resolver.parent_path_ids(comodel, value)))
        return any(value in resolver.parent_path_ids(comodel, t) for t in targets)
    if isinstance(right, str) or (isinstance(right, list | tuple) and any(isinstance(r, str) for r in right)):
        if not value:
            return op in ("!=", "not in", "not like", "not ilike")
        sub = resolver.record(comodel, value)
        name = resolver.display_name(comodel, sub) if sub else ""
        return _compare(name, op, right)
    return _compare(value, op, right)


def _like(pattern: str, value: str, *, anchored: bool, insensitive: bool) -> bool:
    rx = "".join(".*" if c == "%" else "." if c == "_" else re.escape(c) for c in pattern)
    if not anchored:
        rx = f".*{rx}.*"
    return re.fullmatch(rx, value, re.S | (re.I if insensitive else 0)) is not None


_ORDER: dict[str, Callable[[Any, Any], bool]] = {
    "<": lambda a, b: a < b,
    ">": lambda a, b: a > b,
    "<=": lambda a, b: a <= b,
    ">=": lambda a, b: a >= b,
}


def _compare(value: Any, op: str, right: Any) -> bool:
    if op == "=":
        if right is False or right is None:
            return value is False or value is None or value == ""
        return value == right and value is not False
    if op == "!=":
        if right is False or right is None:
            return not (value is False or value is None or value == "")
        return value != right
    if op in ("in", "not in"):
        values = right if isinstance(right, list | tuple) else [right]
        hit = value in values or (value in (False, None) and False in values)
        return hit if op == "in" else not hit
    if op in _ORDER:
        if value is False or value is None or right is False or right is None:
            return False
        try:
            return _ORDER[op](value, right)
        except TypeError:
            return False
    if op in ("like", "ilike", "=like", "=ilike", "not like", "not ilike"):
        if value is False or value is None:
            return op.startswith("not")
        hit = _like(str(right), str(value), anchored=op.startswith("="), insensitive="ilike" in op)
        return hit if not op.startswith("not") else not hit
    return False
