"""`execute_kw`/`call_kw` dispatch: binds args like Odoo's call_kw and runs one transaction per call."""

from __future__ import annotations

import functools
import re
from typing import Any

from grading_station.sim.odoo import schema
from grading_station.sim.odoo.errors import (
    OdooError,
    access_error,
    attribute_error,
    missing_error,
    type_error,
    user_error,
    value_error,
)
from grading_station.sim.odoo.orm import Env, Orm
from grading_station.sim.odoo.readgroup import read_group

# Methods decorated @api.model in Odoo: no record ids in front of their arguments.
_MODEL_METHODS = {
    "create", "search", "search_read", "search_count", "read_group", "fields_get", "name_search",
    "default_get", "context_get", "name_create", "check_access_rights",
}  # fmt: skip


def class_name(model: str) -> str:
    return "".join(part.capitalize() for part in model.split("."))


class Recordset:
    """The methods an RPC call can reach on a model, with Odoo's Python signatures (they shape TypeErrors)."""

    def __init__(self, env: Env, model: str, ids: list[int]) -> None:
        self.env = env
        self.orm: Orm = env.orm
        self.model = model
        self.ids = ids

    def create(self, vals_list):
        if isinstance(vals_list, dict):
            return self.orm.create(self.env, self.model, [vals_list])[0]
        if not isinstance(vals_list, list):
            raise value_error(f"Wrong value for create: {vals_list!r}")
        return self.orm.create(self.env, self.model, vals_list)

    def read(self, fields=None, load="_classic_read"):
        return self.orm.read(self.env, self.model, self.ids, fields, load)

    def write(self, vals):
        return self.orm.write(self.env, self.model, self.ids, vals)

    def unlink(self):
        return self.orm.unlink(self.env, self.model, self.ids)

    def copy(self, default=None):
        if len(self.ids) != 1:
            raise value_error(f"Expected singleton: {self.model}{tuple(self.ids)}")
        rec = self.orm.db.tables[self.model].get(self.ids[0])
        if rec is None:
            raise missing_error(self.model, self.ids, self.env.uid)
        fields = self.orm.fields(self.model)
        skip = {"id", "create_date", "write_date", "create_uid", "write_uid", "display_name"}
        vals = {
            k: v
            for k, v in rec.items()
            if k in fields
            and k not in skip
            and fields[k]["type"] != "one2many"
            and fields[k].get("store", True)
        }
        vals.update(default or {})
        return self.orm.create(self.env, self.model, [vals])[0]

    def exists(self):
        return [i for i in self.ids if i in self.orm.db.tables[self.model]]

    def search(self, domain, offset=0, limit=None, order=None):
        return self.orm.search(self.env, self.model, domain, offset, limit, order)

    def search_count(self, domain, limit=None):
        return len(self.orm.search(self.env, self.model, domain, 0, limit))

    def search_read(self, domain=None, fields=None, offset=0, limit=None, order=None, **read_kwargs):
        extra = [k for k in read_kwargs if k != "load"]
        if extra:
            raise type_error(f"BaseModel._read_format() got an unexpected keyword argument '{extra[0]}'")
        ids = self.orm.search(self.env, self.model, domain or [], offset, limit, order)
        self.orm.check_fields(self.model, fields or [])
        return self.orm.read(self.env, self.model, ids, fields, read_kwargs.get("load", "_classic_read"))

    def read_group(self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True):
        return read_group(self.env, self.model, domain, fields, groupby, offset, limit, orderby, lazy)

    def fields_get(self, allfields=None, attributes=None):
        return schema.fields_get(self.model, allfields, attributes)

    def name_search(self, name="", args=None, operator="ilike", limit=100):
        domain = list(args or [])
        if name:
            rec_name = self.orm.logic(self.model).rec_name
            field = rec_name if rec_name and self.orm.field_meta(self.model, rec_name) else "display_name"
            domain += [[field, operator, name]]
        ids = self.orm.search(self.env, self.model, domain, 0, limit)
        return [[i, self.orm.name_of(self.model, i)] for i in ids]


def call(env: Env, model: str, method: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    """Run `model.method(*args, **kwargs)` as one transaction; raise OdooError on refusal."""
    if not schema.has_model(model):
        raise user_error(f"Object {model} doesn't exist")
    if method.startswith("_"):
        raise access_error(f"Private methods (such as {method}) cannot be called remotely.")
    logic = env.orm.logic(model)
    business = logic.methods.get(method)
    if business is None and not hasattr(Recordset, method):
        raise attribute_error(f"The method '{method}' does not exist on the model '{model}'")
    if not isinstance(args, list):
        raise type_error("args must be a list")
    is_model_method = method in _MODEL_METHODS or method in logic.model_methods
    if is_model_method:
        ids: list[int] = []
        rest = args
    else:
        if not args:
            raise type_error(f"{class_name(model)}.{method}() missing 1 required positional argument: 'self'")
        first = args[0]
        ids = [first] if isinstance(first, int) else list(first or [])
        rest = args[1:]
    if business is not None:
        fn = functools.partial(business, env, ids)
    else:
        fn = getattr(Recordset(env, model, ids), method)
    db = env.orm.db
    with db.lock:
        db.begin()
        try:
            result = _invoke(fn, model, method, rest, kwargs)
            for dirty_model, dirty_ids in env.dirty.items():
                env.orm.logic(dirty_model).recompute(env, dirty_ids)
        except BaseException:
            db.rollback()
            raise
        db.commit()
    return result


_QUALNAME = re.compile(r"^[\w.<>]+\(\)")


def _invoke(fn: Any, model: str, method: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    try:
        return fn(*args, **kwargs)
    except TypeError as exc:
        tb = exc.__traceback__
        depth = 0
        while tb is not None:
            depth += 1
            tb = tb.tb_next
        # Only an argument-binding error (raised at the call itself) becomes Odoo's TypeError envelope.
        if depth <= 2:
            message = _QUALNAME.sub(f"{class_name(model)}.{method}()", str(exc))
            raise type_error(message) from None
        raise
    except OdooError:
        raise
