"""Odoo domains: validation with Odoo's error messages and normal (prefix) form; predicate.py evaluates them."""

from __future__ import annotations

from typing import Any, Protocol

from grading_station.sim.odoo.errors import assertion_error, value_error

OPERATORS = {
    "=", "!=", "<", ">", "<=", ">=", "in", "not in", "like", "not like", "ilike", "not ilike",
    "=like", "=ilike", "child_of", "parent_of", "any", "not any",
}  # fmt: skip


class Resolver(Protocol):
    def field_meta(self, model: str, field: str) -> dict[str, Any] | None: ...


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
