"""Products: attributes, templates with attribute lines → variants (PTAVs), lot properties definition."""

from __future__ import annotations

from typing import Any

from grading_station.sim.odoo import schema
from grading_station.sim.odoo.errors import value_error
from grading_station.sim.odoo.logic import AccessRule, ModelLogic
from grading_station.sim.odoo.models import chatter
from grading_station.sim.odoo.models.variants import ensure_ptavs, sync_variants
from grading_station.sim.odoo.orm import Env, Orm

_PRODUCT_GROUPS = (
    "Extra Rights/Product Creation", "Inventory/Administrator", "Invoicing/Administrator",
    "Purchase/Administrator", "Sales/Administrator",
)  # fmt: skip
_ATTRIBUTE_GROUPS = ("Extra Rights/Product Creation", "Inventory/Administrator", "Sales/Administrator")
# The property types Odoo 18 accepts in a definition (`text` and `json` are refused).
_PROPERTY_TYPES = frozenset(
    (
        "boolean",
        "integer",
        "float",
        "char",
        "date",
        "datetime",
        "many2one",
        "many2many",
        "selection",
        "tags",
        "separator",
    )
)
_DEFINITION_KEYS = {
    "name",
    "string",
    "type",
    "comodel",
    "default",
    "suffix",
    "selection",
    "tags",
    "domain",
    "view_in_cards",
    "fold_by_default",
    "currency_field",
    "value",
}
# The variant's own stored fields; every other template field is read from (and written to) the template.
_VARIANT_OWN = {
    "id",
    "default_code",
    "standard_price",
    "lot_properties_definition",
    "product_tmpl_id",
    "active",
    "product_template_attribute_value_ids",
    "barcode",
    "create_date",
    "write_date",
    "create_uid",
    "write_uid",
    "display_name",
    "message_ids",
    "message_follower_ids",
    "activity_ids",
    "website_message_ids",
    "combination_indices",
    "volume",
    "weight",
}


class Attribute(ModelLogic):
    model = "product.attribute"
    order = "sequence, id"
    access = AccessRule(frozenset({"create", "write", "unlink"}), _ATTRIBUTE_GROUPS)
    inverses = {"value_ids": "attribute_id"}

    def defaults(self, env: Env, vals: dict[str, Any]) -> dict[str, Any]:
        return {"create_variant": "always", "display_type": "radio", "sequence": 20}


class AttributeValue(ModelLogic):
    model = "product.attribute.value"
    order = "attribute_id, sequence, id"
    access = AccessRule(frozenset({"create", "write", "unlink"}), _ATTRIBUTE_GROUPS)

    def defaults(self, env: Env, vals: dict[str, Any]) -> dict[str, Any]:
        return {"sequence": 0}

    def display_name(self, orm: Orm, rec: dict[str, Any]) -> str:
        return f"{orm.name_of('product.attribute', rec.get('attribute_id'))}: {rec.get('name', '')}"


class TemplateLine(ModelLogic):
    model = "product.template.attribute.line"
    inverses = {"product_template_value_ids": "attribute_line_id"}

    def display_name(self, orm: Orm, rec: dict[str, Any]) -> str:
        return orm.name_of("product.attribute", rec.get("attribute_id"))

    def after_create(self, env: Env, rid: int, vals: dict[str, Any]) -> None:
        ensure_ptavs(env, rid)

    def after_write(self, env: Env, ids: list[int], vals: dict[str, Any]) -> None:
        if "value_ids" in vals:
            for rid in ids:
                ensure_ptavs(env, rid)
            for tmpl in sorted({env.db.tables[self.model][i]["product_tmpl_id"] for i in ids}):
                sync_variants(env, tmpl)


class TemplateValue(ModelLogic):
    model = "product.template.attribute.value"
    order = "attribute_line_id, product_attribute_value_id, id"

    def display_name(self, orm: Orm, rec: dict[str, Any]) -> str:
        return f"{orm.name_of('product.attribute', rec.get('attribute_id'))}: {rec.get('name', '')}"


class Template(ModelLogic):
    model = "product.template"
    order = "is_favorite desc, name, id"
    not_null = ("name",)
    access = AccessRule(frozenset({"create", "write", "unlink"}), _PRODUCT_GROUPS)
    inverses = {"product_variant_ids": "product_tmpl_id", "attribute_line_ids": "product_tmpl_id"}

    def __init__(self) -> None:
        super().__init__()
        self.computes.update(
            product_variant_count=lambda orm, rec: len(orm.value(self.model, rec, "product_variant_ids")),
            default_code=self._variant_field("default_code", False),
            standard_price=self._variant_field("standard_price", 0.0),
            lot_properties_definition=lambda orm, rec: [],
        )

    def _variant_field(self, name: str, empty: Any):
        def compute(orm: Orm, rec: dict[str, Any]) -> Any:
            variants = orm.value(self.model, rec, "product_variant_ids")
            if len(variants) != 1:
                return empty
            return orm.value("product.product", orm.db.tables["product.product"][variants[0]], name)

        return compute

    def defaults(self, env: Env, vals: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "consu",
            "is_storable": False,
            "tracking": "none",
            "uom_id": 1,
            "uom_po_id": 1,
            "categ_id": 1,
            "list_price": 1.0,
            "sale_ok": True,
            "purchase_ok": True,
            "active": True,
            "company_id": False,
            "invoice_policy": "order",
            "sale_line_warn": "no-message",
        }

    def before_create(self, env: Env, vals: dict[str, Any]) -> None:
        # Variant-level values given to the template: kept aside and applied to a single variant only.
        self._pending = {k: vals.pop(k) for k in ("default_code", "standard_price") if k in vals}

    def after_create(self, env: Env, rid: int, vals: dict[str, Any]) -> None:
        pending = getattr(self, "_pending", {})
        self._pending = {}
        chatter.log_creation(env, self.model, rid, "<p>Product created</p>")
        sync_variants(env, rid, pending)

    def before_write(self, env: Env, ids: list[int], vals: dict[str, Any]) -> None:
        if "lot_properties_definition" in vals:
            raise value_error("Invalid field 'lot_properties_definition' on model 'product.template'")

    def after_write(self, env: Env, ids: list[int], vals: dict[str, Any]) -> None:
        if "attribute_line_ids" in vals:
            for rid in ids:
                sync_variants(env, rid)


class Product(ModelLogic):
    model = "product.product"
    order = "default_code, name, id"
    access = AccessRule(frozenset({"create", "write", "unlink"}), _PRODUCT_GROUPS)

    def __init__(self) -> None:
        super().__init__()
        template_fields = set(schema.fields_of("product.template"))
        for name in set(schema.fields_of(self.model)) & template_fields - _VARIANT_OWN:
            self.computes[name] = self._from_template(name)
        self.computes["lst_price"] = lambda orm, rec: float(
            self._template_value(orm, rec, "list_price") or 0.0
        )
        self.computes["price_extra"] = lambda orm, rec: 0.0
        self.computes["code"] = lambda orm, rec: rec.get("default_code", False)
        self.computes["partner_ref"] = lambda orm, rec: self.display_name(orm, rec)

    @staticmethod
    def _template_value(orm: Orm, rec: dict[str, Any], name: str) -> Any:
        tmpl = orm.db.tables["product.template"].get(rec.get("product_tmpl_id"))
        return orm.value("product.template", tmpl, name) if tmpl else False

    def _from_template(self, name: str):
        return lambda orm, rec: self._template_value(orm, rec, name)

    def defaults(self, env: Env, vals: dict[str, Any]) -> dict[str, Any]:
        return {"active": True, "standard_price": 0.0, "lot_properties_definition": []}

    def display_name(self, orm: Orm, rec: dict[str, Any]) -> str:
        name = self._template_value(orm, rec, "name") or ""
        values = []
        for ptav in rec.get("product_template_attribute_value_ids", []):
            ptav_rec = orm.db.tables["product.template.attribute.value"].get(ptav)
            line = (
                orm.db.tables["product.template.attribute.line"].get(ptav_rec["attribute_line_id"])
                if ptav_rec
                else None
            )
            if ptav_rec and line and len(line.get("value_ids", [])) > 1:
                values.append(ptav_rec["name"])
        if values:
            name = f"{name} ({', '.join(values)})"
        code = rec.get("default_code")
        return f"[{code}] {name}" if code else name

    def create_instead(self, env: Env, vals: dict[str, Any]) -> int | None:
        if vals.get("product_tmpl_id"):
            return None
        # A variant created directly creates its template, which creates this single variant.
        template_fields = set(schema.fields_of("product.template"))
        tmpl_vals = {k: vals.pop(k) for k in list(vals) if k in template_fields and k not in _VARIANT_OWN}
        tmpl_id = env.orm.create(env, "product.template", [tmpl_vals])[0]
        variant_id = max(
            r["id"] for r in env.db.tables[self.model].values() if r["product_tmpl_id"] == tmpl_id
        )
        if vals:
            env.orm.write(env, self.model, [variant_id], vals)
        chatter.log_creation(env, self.model, variant_id, "<p>Product Variant created</p>")
        return variant_id

    def before_write(self, env: Env, ids: list[int], vals: dict[str, Any]) -> None:
        template_fields = set(schema.fields_of("product.template"))
        to_template = {k: vals.pop(k) for k in list(vals) if k in template_fields and k not in _VARIANT_OWN}
        if to_template:
            tmpl_ids = sorted({env.db.tables[self.model][i]["product_tmpl_id"] for i in ids})
            env.orm.write(env, "product.template", tmpl_ids, to_template)

    def convert_write_value(self, env: Env, field: str, value: Any, rec: dict[str, Any] | None) -> Any:
        return validate_definition(value)


def validate_definition(value: Any) -> list[dict[str, Any]]:
    """Odoo's checks of a properties definition (allowed keys, then types)."""
    if not value:
        return []
    if not isinstance(value, list):
        raise value_error("Wrong properties definition format.")
    result = []
    for item in value:
        if not isinstance(item, dict):
            raise value_error("Wrong properties definition format.")
        extra = sorted(set(item) - _DEFINITION_KEYS)
        if extra:
            raise value_error(f"Some key are not allowed for a properties definition [{', '.join(extra)}].")
        if item.get("type") not in _PROPERTY_TYPES:
            raise value_error(f"Wrong property type {item.get('type')!r}.")
        clean = {"name": item.get("name"), "type": item["type"], "string": item.get("string", "")}
        clean.update({k: v for k, v in item.items() if k not in ("name", "type", "string", "value")})
        result.append(clean)
    return result


def register(registry: Any) -> None:
    for cls in (Attribute, AttributeValue, TemplateLine, TemplateValue, Template, Product):
        registry.add(cls())
