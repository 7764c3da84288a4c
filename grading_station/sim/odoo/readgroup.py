"""`read_group` with the result shapes of Odoo 18 (lazy `<field>_count` + `__context`, eager `__count`)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from grading_station.sim.odoo import domain as dom
from grading_station.sim.odoo.errors import value_error

if TYPE_CHECKING:
    from grading_station.sim.odoo.orm import Env

_NUMERIC = ("integer", "float", "monetary")


def _and(domain: list[Any], leaves: list[list[Any]]) -> list[Any]:
    """expression.AND of a (normalized) domain and extra leaves, as Odoo prints `__domain`."""
    parts = [d for d in ([domain] if domain else []) + [[leaf] for leaf in leaves]]
    flat: list[Any] = []
    for part in parts:
        flat.extend(part)
    return ["&"] * (len(parts) - 1) + flat


def read_group(
    env: Env,
    model: str,
    domain: Any,
    fields: list[str],
    groupby: Any,
    offset: int = 0,
    limit: int | None = None,
    orderby: Any = False,
    lazy: bool = True,
) -> list[dict[str, Any]]:
    orm = env.orm
    groupby = [groupby] if isinstance(groupby, str) else list(groupby or [])
    norm = dom.normalize(domain or [], model, orm)
    ids = orm.search(env, model, domain or [])
    meta = orm.fields(model)
    aggregates: list[tuple[str, str, str]] = []  # (output name, field, function)
    for spec in fields or []:
        name, _, func = spec.partition(":")
        base = name.split("(")[0]
        if "(" in name:  # "alias:agg(field)" form
            base = name
        if base not in meta:
            raise value_error(f"Invalid field {base!r} on model {model!r}")
        if base in groupby:
            continue
        if func or meta[base]["type"] in _NUMERIC:
            aggregates.append((base, base, func or "sum"))
    active = groupby[:1] if lazy else groupby
    for gb in active:
        if gb.split(":")[0] not in meta:
            raise value_error(f"Invalid field {gb!r} on model {model!r}")
    groups: dict[tuple[Any, ...], list[int]] = {}
    for rid in ids:
        rec = orm.db.tables[model][rid]
        key = tuple(_group_value(orm, model, rec, gb) for gb in active)
        groups.setdefault(key, []).append(rid)
    keys = _sorted_keys(orm, model, active, list(groups), orderby)
    result = []
    for key in keys:
        members = groups[key]
        row: dict[str, Any] = {}
        leaves = []
        for gb, value in zip(active, key, strict=True):
            field, _, granularity = gb.partition(":")
            if meta[field]["type"] in ("date", "datetime"):
                granularity = granularity or "month"
            if granularity and value:
                start, end, label = _bucket(value, granularity)
                row[gb] = label
                leaves += [[field, ">=", start], [field, "<", end]]
                continue
            if meta[field]["type"] == "many2one" and value:
                row[gb] = [value, orm.name_of(meta[field]["relation"], value)]
            else:
                row[gb] = value
            leaves.append([field, "=", value])
        if lazy:
            row[f"{active[0]}_count" if active else "__count"] = len(members)
        else:
            row["__count"] = len(members)
        for out, fname, func in aggregates:
            values = [orm.value(model, orm.db.tables[model][i], fname) or 0 for i in members]
            row[out] = _aggregate(func, values, meta[fname]["type"])
        row["__domain"] = _and(norm, leaves)
        if lazy and len(groupby) > 1:
            row["__context"] = {"group_by": groupby[1:]}
        result.append(row)
    end = None if not limit else offset + limit
    return result[offset:end]


def _group_value(orm: Any, model: str, rec: dict[str, Any], gb: str) -> Any:
    field, _, granularity = gb.partition(":")
    value = orm.value(model, rec, field) or False
    if value and orm.fields(model)[field]["type"] in ("date", "datetime"):
        return _bucket(value, granularity or "month")[0]
    return value


def _bucket(value: str, granularity: str) -> tuple[str, str, str]:
    """(start, end, label) of the date bucket holding `value`, labelled like Odoo's read_group."""
    day = dt.date.fromisoformat(value[:10])
    if granularity == "day":
        start, end, label = day, day + dt.timedelta(days=1), day.strftime("%d %b %Y")
    elif granularity == "week":
        start = day - dt.timedelta(days=day.weekday())
        end, label = start + dt.timedelta(days=7), f"W{day.isocalendar()[1]} {day.isocalendar()[0]}"
    elif granularity == "quarter":
        quarter = (day.month - 1) // 3
        start = dt.date(day.year, quarter * 3 + 1, 1)
        end = dt.date(day.year + (quarter == 3), (quarter * 3 + 3) % 12 + 1, 1)
        label = f"Q{quarter + 1} {day.year}"
    elif granularity == "year":
        start, end, label = dt.date(day.year, 1, 1), dt.date(day.year + 1, 1, 1), str(day.year)
    else:
        start = day.replace(day=1)
        end = dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
        label = day.strftime("%B %Y")
    fmt = "%Y-%m-%d %H:%M:%S" if len(value) > 10 else "%Y-%m-%d"
    return (
        dt.datetime.combine(start, dt.time()).strftime(fmt),
        dt.datetime.combine(end, dt.time()).strftime(fmt),
        label,
    )


def _aggregate(func: str, values: list[Any], ftype: str) -> Any:
    if func == "count":
        return len(values)
    if func == "min":
        return min(values) if values else False
    if func == "max":
        return max(values) if values else False
    if func == "avg":
        return sum(values) / len(values) if values else False
    total = sum(values)
    return float(total) if ftype in ("float", "monetary") else total


def _sorted_keys(
    orm: Any, model: str, active: list[str], keys: list[tuple[Any, ...]], orderby: Any = False
) -> list[tuple[Any, ...]]:
    meta = orm.fields(model)
    ordered = [p.split()[0] for p in orderby.split(",")] if isinstance(orderby, str) and orderby else active

    def sort_value(gb: str, value: Any) -> Any:
        if value is False:
            return (1, "")
        if ":" in gb:
            return (0, value)
        if gb not in ordered:
            return (0, value)  # groupbys left out of an explicit orderby follow the raw value (the id)
        if meta[gb]["type"] == "many2one":
            comodel = meta[gb]["relation"]
            # Groups of a many2one follow the comodel's order (e.g. product.product by default_code).
            rank = orm.sort_ids(comodel, [value])
            order_ids = orm.sort_ids(
                comodel, sorted({k[active.index(gb)] for k in keys if k[active.index(gb)]})
            )
            return (0, order_ids.index(value) if rank else 0)
        return (0, value)

    return sorted(keys, key=lambda k: tuple(sort_value(gb, v) for gb, v in zip(active, k, strict=True)))
