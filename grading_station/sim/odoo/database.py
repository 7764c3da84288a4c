"""In-memory tables, per-call transactions (undo log), PostgreSQL-like sequences that never roll back."""

from __future__ import annotations

import threading
from collections import defaultdict
from typing import Any

Record = dict[str, Any]

# (model, field) pairs kept in a value → ids index, so lookups by serial number stay O(1) with many lots, and
# a search of the quants under a few locations reads only theirs.
INDEXED = {
    ("stock.lot", "name"),
    ("stock.lot", "product_id"),
    ("stock.quant", "lot_id"),
    ("stock.quant", "location_id"),
    ("stock.move.line", "lot_id"),
    ("mail.message", "res_id"),
}


class Database:
    """One Odoo database: `tables[model][id]` are raw records (many2one = id or False, many2many = id list).

    Every mutation goes through insert/set/delete so that a failing RPC call can be rolled back as a whole
    (a list `create` is one transaction). Sequences are not rolled back, exactly like PostgreSQL's.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self.tables: dict[str, dict[int, Record]] = defaultdict(dict)
        self.sequences: dict[str, int] = defaultdict(int)
        self.lock = threading.RLock()
        self._undo: list[tuple[Any, ...]] | None = None
        self._index: dict[tuple[str, str], dict[Any, set[int]]] = {key: defaultdict(set) for key in INDEXED}

    # -- sequences ------------------------------------------------------------------------------------------
    def next_id(self, model: str) -> int:
        self.sequences[model] += 1
        return self.sequences[model]

    def bump(self, model: str, at_least: int) -> None:
        """Make the next id of `model` at least `at_least` (ids used by records the seed does not hold)."""
        self.sequences[model] = max(self.sequences[model], at_least - 1)

    # -- transactions ---------------------------------------------------------------------------------------
    def begin(self) -> None:
        self._undo = []

    def commit(self) -> None:
        self._undo = None

    def rollback(self) -> None:
        undo, self._undo = self._undo or [], None
        for entry in reversed(undo):
            kind, model, rid = entry[0], entry[1], entry[2]
            if kind == "ins":
                self._unindex(model, self.tables[model].pop(rid))
            elif kind == "del":
                self.tables[model][rid] = entry[3]
                self._reindex(model, entry[3])
            else:
                rec = self.tables[model][rid]
                self._unindex(model, rec)
                if entry[4]:
                    rec[entry[3]] = entry[5]
                else:
                    rec.pop(entry[3], None)
                self._reindex(model, rec)

    # -- mutations ------------------------------------------------------------------------------------------
    def insert(self, model: str, rec: Record) -> None:
        self.tables[model][rec["id"]] = rec
        self._reindex(model, rec)
        if self._undo is not None:
            self._undo.append(("ins", model, rec["id"]))

    def set(self, model: str, rid: int, field: str, value: Any) -> None:
        rec = self.tables[model][rid]
        if self._undo is not None:
            self._undo.append(("set", model, rid, field, field in rec, rec.get(field)))
        indexed = (model, field) in self._index
        if indexed:
            self._unindex(model, rec)
        rec[field] = value
        if indexed:
            self._reindex(model, rec)

    def delete(self, model: str, rid: int) -> None:
        rec = self.tables[model].pop(rid)
        self._unindex(model, rec)
        if self._undo is not None:
            self._undo.append(("del", model, rid, rec))

    # -- index ----------------------------------------------------------------------------------------------
    def lookup(self, model: str, field: str, value: Any) -> set[int] | None:
        """Ids whose `field` equals `value`, or None when the field is not indexed."""
        index = self._index.get((model, field))
        if index is None:
            return None
        return set(index.get(value, ()))

    def keys(self, model: str, field: str) -> list[Any] | None:
        """The values an indexed field holds (some may no longer have records), or None when not indexed."""
        index = self._index.get((model, field))
        return None if index is None else list(index)

    def peek(self, model: str, field: str, value: Any) -> set[int]:
        """The live index entry (read-only, no copy) for hot paths; empty when absent."""
        return self._index[(model, field)].get(value) or set()

    def _reindex(self, model: str, rec: Record) -> None:
        for (m, f), index in self._index.items():
            if m == model:
                index[rec.get(f, False)].add(rec["id"])

    def _unindex(self, model: str, rec: Record) -> None:
        for (m, f), index in self._index.items():
            if m == model:
                index.get(rec.get(f, False), set()).discard(rec["id"])
