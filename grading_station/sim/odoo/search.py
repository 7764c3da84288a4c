"""Search: domain evaluation over candidate records (indexed when possible) and Odoo-style ordering."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from grading_station.sim.odoo import domain as dom
from grading_station.sim.odoo.errors import type_error, value_error
from grading_station.sim.odoo.predicate import compile_domain

if TYPE_CHECKING:
    from grading_station.sim.odoo.orm import Env


class Searching:
    """The search half of the ORM (mixed into Orm, which provides db, fields, value, name_of, logic)."""

    # -- search ---------------------------------------------------------------------------------------------
    def search(
        self,
        env: Env,
        model: str,
        domain: Any,
        offset: int = 0,
        limit: int | None = None,
        order: str | None = None,
        active_test: bool = True,
    ) -> list[int]:
        for name, number in (("offset", offset), ("limit", limit)):
            if (
                number is not None
                and number is not False
                and (not isinstance(number, int) or isinstance(number, bool))
            ):
                raise type_error(f"'{name}' must be an integer, not {type(number).__name__}")
        norm = dom.normalize(domain if domain is not None else [], model, self)
        fields = self.fields(model)
        if (
            active_test
            and env.context.get("active_test", True)
            and "active" in fields
            and not _mentions(norm, "active")
        ):
            norm = ["&", ["active", "=", True], *norm] if norm else [["active", "=", True]]
        accept = compile_domain(norm, model, self)
        table = self.db.tables[model]
        ids = [rid for rid in self._candidates(model, norm) if (rec := table.get(rid)) is not None and accept(rec)]
        ids = self.sort_ids(model, ids, order)
        offset = offset or 0
        end = None if not limit else offset + limit
        return ids[offset:end]

    def _candidates(self, model: str, norm: list[Any]) -> list[int]:
        """The records the domain may accept, narrowed by an index when one of its top-level AND operands is
        `field = value` or `field child_of ids` on an indexed field (the predicate still decides each one)."""
        best: set[int] | None = None
        for leaf in _conjuncts(norm):
            if not isinstance(leaf, list) or not _indexable(self, model, leaf):
                continue
            hit = self._index_hits(model, leaf)
            if hit is not None and (best is None or len(hit) < len(best)):
                best = hit
        return sorted(best) if best is not None else list(self.db.tables[model])

    def _index_hits(self, model: str, leaf: list[Any]) -> set[int] | None:
        name, op, value = leaf
        if op == "=":
            return self.db.lookup(model, name, value)
        # child_of on a many2one: the records holding an id whose parent chain meets the targets
        targets = set(value) if isinstance(value, list | tuple) else {value}
        comodel = self.field_meta(model, name)["relation"]
        keys = self.db.keys(model, name)
        if keys is None:
            return None
        hits: set[int] = set()
        for key in keys:
            if key and targets & set(self.parent_path_ids(comodel, key)):
                hits |= self.db.peek(model, name, key)
        return hits

    def sort_ids(self, model: str, ids: list[int], order: str | None = None) -> list[int]:
        spec = order or self.logic(model).order
        recs = [self.db.tables[model][i] for i in ids]
        for part in reversed([p.strip() for p in spec.split(",") if p.strip()]):
            bits = part.split()
            name, desc = bits[0], len(bits) > 1 and bits[1].lower() == "desc"
            meta = self.field_meta(model, name)
            if meta is None:
                raise value_error(f"Invalid field {name!r} on model {model!r}")
            key = self._sort_key(model, name, meta)
            nulls = [r for r in recs if key(r) is None]
            present = sorted((r for r in recs if key(r) is not None), key=key, reverse=desc)
            recs = (nulls + present) if desc else (present + nulls)
        return [r["id"] for r in recs]

    def _sort_key(self, model: str, name: str, meta: dict[str, Any]) -> Callable[[dict[str, Any]], Any]:
        def key(rec: dict[str, Any]) -> Any:
            value = self.value(model, rec, name)
            if meta["type"] == "many2one":
                return self.name_of(meta["relation"], value) if value else None
            if value is False or value is None:
                return None if meta["type"] not in ("boolean", "integer", "float", "monetary") else 0
            return value

        return key


def _conjuncts(norm: list[Any]) -> list[Any]:
    """The top-level AND operands of a prefix-form domain (a leaf, or the first token of a sub-tree)."""
    found: list[Any] = []
    pos = 0

    def walk(in_and: bool) -> None:
        nonlocal pos
        token = norm[pos]
        pos += 1
        if token in ("&", "|"):
            walk(in_and and token == "&")
            walk(in_and and token == "&")
        elif token == "!":
            walk(False)
        elif in_and:
            found.append(token)

    while pos < len(norm):
        walk(True)
    return found


def _indexable(orm: Any, model: str, leaf: list[Any]) -> bool:
    """Whether an index lookup answers the leaf exactly (a many2one compared to an id or under ids, a char to
    a text)."""
    meta = orm.field_meta(model, leaf[0])
    op, value = leaf[1], leaf[2]
    if meta is None or isinstance(value, bool) or value is None:
        return False
    if op == "child_of":
        ids = value if isinstance(value, list | tuple) else [value]
        return meta["type"] == "many2one" and all(isinstance(i, int) and not isinstance(i, bool) for i in ids)
    if op != "=":
        return False
    if meta["type"] == "many2one":
        return isinstance(value, int)
    return isinstance(value, str) and meta["type"] == "char"


def _mentions(norm: list[Any], name: str) -> bool:
    return any(isinstance(t, list) and isinstance(t[0], str) and t[0].split(".")[0] == name for t in norm)
