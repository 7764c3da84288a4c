"""The generic ORM over the in-memory tables: create/read/write/unlink/search with Odoo's errors."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from grading_station.sim.odoo import schema
from grading_station.sim.odoo.database import Database
from grading_station.sim.odoo.errors import (
    OdooError,
    access_error,
    mandatory_field_error,
    missing_error,
    value_error,
)
from grading_station.sim.odoo.logic import ModelLogic, Registry
from grading_station.sim.odoo.search import Searching

_DATETIME_RX = re.compile(r"^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$")
_DATE_RX = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TYPE_DEFAULTS: dict[str, Any] = {"integer": 0, "float": 0.0, "monetary": 0.0, "boolean": False}


@dataclass
class Env:
    """One RPC call's environment: the user, the context, and the ORM."""

    orm: Orm
    uid: int
    context: dict[str, Any] = field(default_factory=dict)
    # Records whose stored computed fields must be recomputed before the call commits (model → ids).
    dirty: dict[str, set[int]] = field(default_factory=dict)

    def mark_dirty(self, model: str, rid: int) -> None:
        self.dirty.setdefault(model, set()).add(rid)

    @property
    def db(self) -> Database:
        return self.orm.db

    def now(self) -> str:
        return self.orm.now()


class Orm(Searching):
    """Generic model operations; per-model behaviour comes from the `Registry` of `ModelLogic`."""

    def __init__(self, db: Database, registry: Registry, clock: Callable[[], dt.datetime]) -> None:
        self.db = db
        self.registry = registry
        self.clock = clock
        self.is_manager: Callable[[int], bool] = lambda uid: True

    # -- helpers / Resolver protocol ------------------------------------------------------------------------
    def now(self) -> str:
        return self.clock().strftime("%Y-%m-%d %H:%M:%S")

    def logic(self, model: str) -> ModelLogic:
        return self.registry.get(model)

    def fields(self, model: str) -> dict[str, dict[str, Any]]:
        return schema.fields_of(model)

    def field_meta(self, model: str, name: str) -> dict[str, Any] | None:
        return schema.fields_of(model).get(name)

    def record(self, model: str, rid: int) -> dict[str, Any] | None:
        return self.db.tables[model].get(rid) if isinstance(rid, int) else None

    def value(self, model: str, rec: dict[str, Any], name: str) -> Any:
        """A field's raw value: computed by the model logic, stored, inverse one2many, or the type default."""
        logic = self.logic(model)
        compute = logic.computes.get(name)
        if compute is not None:
            return compute(self, rec)
        if name in rec:
            return rec[name]
        if name == "display_name":
            return logic.display_name(self, rec)
        meta = self.field_meta(model, name)
        if meta is None:
            return False
        if meta["type"] == "one2many":
            inverse = logic.inverses.get(name)
            if inverse is None:
                return []
            comodel = meta["relation"]
            ids = [r["id"] for r in self.db.tables[comodel].values() if r.get(inverse) == rec["id"]]
            return self.sort_ids(comodel, ids)
        if meta["type"] == "many2many":
            return []
        if name == "active":
            return True
        return _TYPE_DEFAULTS.get(meta["type"], False)

    def getter(self, model: str, name: str) -> Callable[[dict[str, Any]], Any]:
        """`value(model, rec, name)` as a function of the record, its field lookups done once (searches)."""
        compute = self.logic(model).computes.get(name)
        if compute is not None:
            return lambda rec: compute(self, rec)
        return lambda rec: rec[name] if name in rec else self.value(model, rec, name)

    def display_name(self, model: str, rec: dict[str, Any]) -> str:
        return self.logic(model).display_name(self, rec)

    def name_of(self, model: str, rid: int) -> str:
        rec = self.record(model, rid)
        return self.display_name(model, rec) if rec else ""

    def parent_path_ids(self, model: str, rid: int) -> list[int]:
        chain, seen = [], set()
        current: Any = rid
        while current and current not in seen:
            seen.add(current)
            chain.append(current)
            rec = self.record(model, current)
            current = rec.get("location_id" if model == "stock.location" else "parent_id") if rec else None
        return chain

    # -- access ---------------------------------------------------------------------------------------------
    def check_access(self, env: Env, model: str, operation: str) -> None:
        rule = self.logic(model).access
        if rule is None or operation not in rule.operations or self.is_manager(env.uid):
            return
        verb = {"create": "create", "write": "modify", "unlink": "delete", "read": "read"}[operation]
        desc = schema.DESCRIPTIONS.get(model, model)
        groups = "\n".join(f"\t- {g}" for g in rule.groups)
        raise access_error(
            f"You are not allowed to {verb} '{desc}' ({model}) records.\n\n"
            f"This operation is allowed for the following groups:\n{groups}\n\n"
            "Contact your administrator to request access if necessary."
        )

    # -- value conversion -----------------------------------------------------------------------------------
    def check_fields(self, model: str, names: Any) -> None:
        fields = self.fields(model)
        for name in names:
            if name not in fields:
                raise value_error(f"Invalid field {name!r} on model {model!r}")

    def convert(self, env: Env, model: str, name: str, value: Any, rec: dict[str, Any] | None) -> Any:
        """Validate a written value like Odoo's convert_to_cache / PostgreSQL; return the stored form."""
        meta = self.fields(model)[name]
        ftype = meta["type"]
        if ftype == "many2one":
            if value in (False, None, 0):
                return False
            if isinstance(value, list | tuple) and value:
                value = value[0]
            if not isinstance(value, int) or isinstance(value, bool):
                raise value_error(f"Wrong container value {value!r}")
            if self.record(meta["relation"], value) is None:
                raise missing_error(meta["relation"], [value], env.uid)
            return value
        if ftype == "selection" and value not in (False, None):
            keys = [k for k, _label in meta.get("selection", [])]
            if keys and value not in keys:
                raise value_error(f"Wrong value for {model}.{name}: {value!r}")
        if ftype in ("datetime", "date") and value not in (False, None, ""):
            rx = _DATETIME_RX if ftype == "datetime" else _DATE_RX
            if not isinstance(value, str) or not rx.match(value):
                raise _bad_datetime(value, ftype, self.clock())
        if ftype == "float" and isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        if ftype in ("properties", "properties_definition"):
            return self.logic(model).convert_write_value(env, name, value, rec)
        return value

    # -- create ---------------------------------------------------------------------------------------------
    def create(self, env: Env, model: str, vals_list: list[dict[str, Any]]) -> list[int]:
        self.check_access(env, model, "create")
        logic = self.logic(model)
        ids = []
        for vals in vals_list:
            if not isinstance(vals, dict):
                raise value_error(f"Wrong value for create: {vals!r}")
            ids.append(self._create_one(env, model, logic, dict(vals)))
        logic.check_create_batch(env, ids)
        return ids

    def _create_one(self, env: Env, model: str, logic: ModelLogic, vals: dict[str, Any]) -> int:
        self.check_fields(model, vals)
        instead = logic.create_instead(env, vals)
        if instead is not None:
            return instead
        fields = self.fields(model)
        stored: dict[str, Any] = {}
        commands: dict[str, Any] = {}
        for name, value in vals.items():
            if fields[name]["type"] in ("one2many", "many2many"):
                commands[name] = value
            else:
                stored[name] = self.convert(env, model, name, value, None)
        logic.before_create(env, stored)
        for name, value in logic.defaults(env, stored).items():
            stored.setdefault(name, value)
        rid = self.db.next_id(model)
        for name in logic.not_null:
            if stored.get(name) in (None, False, ""):
                meta = fields[name]
                raise mandatory_field_error(
                    schema.DESCRIPTIONS.get(model, model), model, meta["string"], name
                )
        now = env.now()
        rec = {"id": rid, "create_date": now, "write_date": now, "create_uid": env.uid, "write_uid": env.uid}
        rec.update(stored)
        self.db.insert(model, rec)
        for name, cmds in commands.items():
            self.apply_x2many(env, model, rid, name, cmds)
        logic.after_create(env, rid, {**stored, **commands})
        return rid

    def apply_x2many(self, env: Env, model: str, rid: int, name: str, cmds: Any) -> None:
        meta = self.fields(model)[name]
        comodel = meta["relation"]
        inverse = self.logic(model).inverses.get(name)
        rec = self.db.tables[model][rid]
        current = list(self.value(model, rec, name)) if meta["type"] == "many2many" else []
        if cmds and all(isinstance(c, int) for c in cmds):
            cmds = [[6, 0, cmds]]
        for cmd in cmds or []:
            op = cmd[0]
            if op == 0:
                sub = dict(cmd[2])
                if inverse:
                    sub[inverse] = rid
                new_id = self.create(env, comodel, [sub])[0]
                current.append(new_id)
            elif op == 1:
                self.write(env, comodel, [cmd[1]], cmd[2])
            elif op in (2, 3):
                if op == 2:
                    self.unlink(env, comodel, [cmd[1]])
                current = [i for i in current if i != cmd[1]]
            elif op == 4:
                if cmd[1] not in current:
                    current.append(cmd[1])
            elif op == 5:
                current = []
            elif op == 6:
                current = list(cmd[2])
        if meta["type"] == "many2many":
            self.db.set(model, rid, name, current)

    # -- read -----------------------------------------------------------------------------------------------
    def read(
        self, env: Env, model: str, ids: list[int], fields: list[str] | None, load: str = "_classic_read"
    ):
        table = self.db.tables[model]
        names = list(fields) if fields else [n for n in self.fields(model) if n != "id"]
        self.check_fields(model, names)
        formats = [(name, self._formatter(model, name, load)) for name in names if name != "id"]
        rows = []
        seen = set()
        for rid in ids:
            if rid in seen or rid not in table:
                continue
            seen.add(rid)
            rec = table[rid]
            row: dict[str, Any] = {"id": rid}
            for name, form in formats:
                row[name] = form(rec)
            rows.append(row)
        return rows

    def _formatter(self, model: str, name: str, load: str) -> Callable[[dict[str, Any]], Any]:
        """How `read` answers a field of a record (the field's type looked up once per call; a many2one's display
        name once per id: nothing changes while a call holds the database)."""
        meta = self.fields(model)[name]
        ftype = meta["type"]
        get = self.getter(model, name)
        if ftype == "many2one":
            if load == "_classic_write":
                return lambda rec: get(rec) or False
            names: dict[Any, str] = {}

            def pair(rec: dict[str, Any]) -> Any:
                value = get(rec)
                if not value:
                    return False
                if type(value) is not int:  # a malformed stored value: named as it is, no memo
                    return [value, self.name_of(meta["relation"], value)]
                if value not in names:
                    names[value] = self.name_of(meta["relation"], value)
                return [value, names[value]]

            return pair
        if ftype in ("one2many", "many2many"):
            return lambda rec: list(get(rec) or [])
        if ftype in ("float", "monetary"):
            return lambda rec: (float(v) if (v := get(rec)) not in (False, None) and not isinstance(v, str)
                                else (v or 0.0))
        if ftype == "properties":
            logic = self.logic(model)
            return lambda rec: logic.read_properties(self, rec, name)
        if ftype == "properties_definition":
            return lambda rec: get(rec) or []
        return lambda rec: False if (v := get(rec)) is None else v

    # -- write / unlink -------------------------------------------------------------------------------------
    def _existing(self, env: Env, model: str, ids: list[int]) -> list[int]:
        table = self.db.tables[model]
        missing = [i for i in ids if i not in table]
        if missing:
            raise missing_error(model, missing, env.uid)
        return list(dict.fromkeys(ids))

    def write(self, env: Env, model: str, ids: list[int], vals: dict[str, Any]) -> bool:
        self.check_access(env, model, "write")
        ids = self._existing(env, model, ids)
        self.check_fields(model, vals)
        logic = self.logic(model)
        vals = dict(vals)
        logic.before_write(env, ids, vals)
        fields = self.fields(model)
        for rid in ids:
            rec = self.db.tables[model][rid]
            for name, value in vals.items():
                if fields[name]["type"] in ("one2many", "many2many"):
                    self.apply_x2many(env, model, rid, name, value)
                else:
                    self.db.set(model, rid, name, self.convert(env, model, name, value, rec))
            self.db.set(model, rid, "write_date", env.now())
        logic.after_write(env, ids, vals)
        return True

    def unlink(self, env: Env, model: str, ids: list[int]) -> bool:
        self.check_access(env, model, "unlink")
        ids = self._existing(env, model, ids)
        logic = self.logic(model)
        logic.before_unlink(env, ids)
        recs = [self.db.tables[model][i] for i in ids]
        for rid in ids:
            self.db.delete(model, rid)
        logic.after_unlink(env, ids, recs)
        return True


def _bad_datetime(value: Any, ftype: str, now: dt.datetime) -> OdooError:
    kind = "timestamp" if ftype == "datetime" else "date"
    stamp = now.strftime("%Y-%m-%d %H:%M:%S.%f")
    snippet = f"...te_uid\") VALUES ('{stamp}', 2, '{str(value)[:9]}..."
    pad = " " * (len("LINE 1: ") + snippet.index(f"'{str(value)[:9]}"))
    msg = f'invalid input syntax for type {kind}: "{value}"\nLINE 1: {snippet}\n{pad}^\n'
    return OdooError("psycopg2.errors.InvalidDatetimeFormat", msg)
