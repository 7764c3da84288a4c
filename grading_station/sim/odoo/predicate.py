"""Domain evaluation: a normalized domain compiled once per search into a predicate on raw records.

Compiling resolves each leaf's field, path and comparison once, instead of for every record; a leaf on a
many2one (a path through it, `child_of`, a name comparison) depends only on the id it holds, so its answer is
kept per id for the search (the database does not change while a search runs: the call holds its lock).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Protocol

Predicate = Callable[[dict[str, Any]], bool]


class Resolver(Protocol):
    def field_meta(self, model: str, field: str) -> dict[str, Any] | None: ...
    def getter(self, model: str, field: str) -> Callable[[dict[str, Any]], Any]: ...
    def record(self, model: str, rid: int) -> dict[str, Any] | None: ...
    def display_name(self, model: str, rec: dict[str, Any]) -> str: ...
    def parent_path_ids(self, model: str, rid: int) -> list[int]: ...


def compile_domain(domain: list[Any], model: str, resolver: Resolver) -> Predicate:
    """The predicate of a normalized (prefix-form) domain; the empty domain accepts every record."""
    if not domain:
        return lambda rec: True
    pos = 0

    def tree() -> Predicate:
        nonlocal pos
        token = domain[pos]
        pos += 1
        if token == "&":
            first, second = tree(), tree()
            return lambda rec: first(rec) and second(rec)
        if token == "|":
            first, second = tree(), tree()
            return lambda rec: first(rec) or second(rec)
        if token == "!":
            inner = tree()
            return lambda rec: not inner(rec)
        return _leaf(token, model, resolver)

    parts = [tree()]
    while pos < len(domain):  # a normalized domain is one tree; stay safe with trailing leaves
        parts.append(tree())
    if len(parts) == 1:
        return parts[0]
    return lambda rec: all(part(rec) for part in parts)


def _leaf(leaf: list[Any], model: str, resolver: Resolver) -> Predicate:
    left, op, right = leaf
    if left in (0, 1):
        constant = bool(left == right) if op == "=" else True
        return lambda rec: constant
    return _path(left.split("."), op.lower(), right, model, resolver)


def _path(path: list[str], op: str, right: Any, model: str, resolver: Resolver) -> Predicate:
    field = path[0]
    meta = resolver.field_meta(model, field)
    if meta is None:
        return lambda rec: False
    ftype = meta["type"]
    get = resolver.getter(model, field)
    if field == "id" and op in ("child_of", "parent_of"):
        return _by_value(get, lambda value: _many2one(value, op, right, model, resolver))
    if ftype == "properties" and len(path) > 1:
        return _property(get, path[1], op, right)
    if ftype in ("many2one", "one2many", "many2many") and len(path) > 1:
        comodel = meta["relation"]
        rest = _path(path[1:], op, right, comodel, resolver)

        def through(rid: Any) -> bool:
            sub = resolver.record(comodel, rid)
            return sub is not None and rest(sub)

        if ftype == "many2one":  # one id (the memo's case), or whatever a malformed record holds
            return _by_value(get, lambda value: through(value) if type(value) is int else
                             any(through(rid) for rid in _as_ids(value)))
        return lambda rec: any(through(rid) for rid in _as_ids(get(rec)))
    if ftype == "many2one":
        return _by_value(get, lambda value: _many2one(value, op, right, meta["relation"], resolver))
    if ftype in ("one2many", "many2many"):
        return lambda rec: _x2many(_as_ids(get(rec)), op, right, meta["relation"], resolver)
    return lambda rec: _compare(get(rec), op, right)


def _by_value(get: Callable[[dict[str, Any]], Any], decide: Callable[[Any], bool]) -> Predicate:
    """A leaf whose answer depends only on the record id it reads: decided once per id (False, and any
    malformed stored value, each time: 0 and False are one dict key but not one value)."""
    known: dict[int, bool] = {}

    def predicate(rec: dict[str, Any]) -> bool:
        value = get(rec)
        if type(value) is not int:
            return decide(value)
        answer = known.get(value)
        if answer is None:
            answer = known[value] = decide(value)
        return answer

    return predicate


def _property(get: Callable[[dict[str, Any]], Any], name: str, op: str, right: Any) -> Predicate:
    """`<properties field>.<name> <op> <right>`: a name the record does not hold matches `= False` only."""
    missing = _compare(False, op, right) if right is False and op == "=" else False

    def predicate(rec: dict[str, Any]) -> bool:
        props = get(rec)
        if not isinstance(props, dict) or name not in props:
            return missing
        return _compare(props[name], op, right)

    return predicate


def _as_ids(value: Any) -> list[int]:
    if not value:
        return []
    if isinstance(value, int):
        return [value]
    return list(value)


def _x2many(ids: list[int], op: str, right: Any, comodel: str, resolver: Resolver) -> bool:
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
                _compare(resolver.display_name(comodel, r), "=", w)
                for i in ids
                if (r := resolver.record(comodel, i))
                for w in wanted
            )
        )
    if op in ("!=", "not in"):
        wanted = set(right) if isinstance(right, list | tuple) else {right}
        return not (wanted & set(ids))
    return any(
        _compare(resolver.display_name(comodel, r), op, right) for i in ids if (r := resolver.record(comodel, i))
    )


def _many2one(value: Any, op: str, right: Any, comodel: str, resolver: Resolver) -> bool:
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
