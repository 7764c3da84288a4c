"""Variants of a template: a PTAV per line value, a variant per combination (create_variant always)."""

from __future__ import annotations

import itertools
from typing import Any

from grading_station.sim.odoo.orm import Env


def ensure_ptavs(env: Env, line_id: int) -> None:
    """One product.template.attribute.value per value of the line (what variants reference)."""
    line = env.db.tables["product.template.attribute.line"][line_id]
    have = {
        r["product_attribute_value_id"]
        for r in env.db.tables["product.template.attribute.value"].values()
        if r["attribute_line_id"] == line_id
    }
    for value_id in env.orm.value("product.template.attribute.line", line, "value_ids"):
        if value_id in have:
            continue
        value = env.db.tables["product.attribute.value"][value_id]
        env.orm.create(
            env,
            "product.template.attribute.value",
            [
                {
                    "product_attribute_value_id": value_id,
                    "attribute_line_id": line_id,
                    "product_tmpl_id": line["product_tmpl_id"],
                    "attribute_id": line["attribute_id"],
                    "name": value["name"],
                    "price_extra": 0.0,
                    "ptav_active": True,
                }
            ],
        )


def sync_variants(env: Env, tmpl_id: int, pending: dict[str, Any] | None = None) -> None:
    """Create the variants of every combination of the template's values (create_variant 'always')."""
    lines = sorted(
        (
            r
            for r in env.db.tables["product.template.attribute.line"].values()
            if r["product_tmpl_id"] == tmpl_id
        ),
        key=lambda r: r["id"],
    )
    ptav_sets = [
        sorted(
            r["id"]
            for r in env.db.tables["product.template.attribute.value"].values()
            if r["attribute_line_id"] == line["id"]
        )
        for line in lines
    ]
    combos = list(itertools.product(*ptav_sets)) if ptav_sets else [()]
    variants = [r for r in env.db.tables["product.product"].values() if r["product_tmpl_id"] == tmpl_id]
    existing = {tuple(sorted(v.get("product_template_attribute_value_ids", []))): v["id"] for v in variants}
    if () in existing and combos != [()]:
        # The single variant of a template without attributes takes the first combination.
        vid = existing.pop(())
        env.db.set("product.product", vid, "product_template_attribute_value_ids", list(combos[0]))
        existing[tuple(sorted(combos[0]))] = vid
        _link_ptavs(env, vid, combos[0])
    for combo in combos:
        if tuple(sorted(combo)) in existing:
            continue
        vals: dict[str, Any] = {
            "product_tmpl_id": tmpl_id,
            "product_template_attribute_value_ids": list(combo),
        }
        if len(combos) == 1 and pending:
            vals.update(pending)
        vid = env.orm.create(env, "product.product", [vals])[0]
        _link_ptavs(env, vid, combo)


def _link_ptavs(env: Env, vid: int, combo: tuple[int, ...]) -> None:
    for ptav in combo:
        current = env.db.tables["product.template.attribute.value"][ptav].get("ptav_product_variant_ids", [])
        if vid not in current:
            env.db.set("product.template.attribute.value", ptav, "ptav_product_variant_ids", [*current, vid])
