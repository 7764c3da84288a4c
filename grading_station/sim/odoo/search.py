"""Search: domain evaluation over candidate records (indexed when possible) and Odoo-style ordering."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from grading_station.sim.odoo import domain as dom
from grading_station.sim.odoo.errors import type_error, value_error

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
        candidates = self._candidates(model, norm)
        ids = [
            rid
            for rid in candidates
            if (rec := self.db.tables[model].get(rid)) is not None and dom.evaluate(norm, model, rec, self)
        ]
        ids = self.sort_ids(model, ids, order)
        offset = offset or 0
        end = None if not limit else offset + limit
        return ids[offset:end]

    def _candidates(self, model: str, norm: list[Any]) -> list[int]:
        # Fast path: a top-level AND leaf `field = value` on an indexed field narrows the scan.
        best: set[int] | None = None
        if all(t == "&" or isinstance(t, list) for t in norm):
            for leaf in norm:
                if not isinstance(leaf, list) or leaf[1] != "=" or not _indexable(self, model, leaf):
                    continue
                hit = self.db.lookup(model, leaf[0], leaf[2])
                if hit is not None and (best is None or len(hit) < len(best)):
                    best = hit
        return sorted(best) if best is not None else list(self.db.tables[model])

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


def _indexable(orm: Any, model: str, leaf: list[Any]) -> bool:
    """Whether an index lookup answers the leaf exactly (a many2one compared to an id, a char to a text)."""
    meta = orm.field_meta(model, leaf[0])
    value = leaf[2]
    if meta is None or isinstance(value, bool) or value is None:
        return False
    if meta["type"] == "many2one":
        return isinstance(value, int)
    return isinstance(value, str) and meta["type"] == "char"


def _mentions(norm: list[Any], name: str) -> bool:
    return any(isinstance(t, list) and isinstance(t[0], str) and t[0].split(".")[0] == name for t in norm)
