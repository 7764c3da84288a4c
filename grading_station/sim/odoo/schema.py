"""Model and field metadata of the recorded Odoo 18 server (fields_get dumps), loaded once per process."""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

# data/models.json is `fields_get(attributes=[type, string, relation, required, readonly, selection, store])`
# of the recorded server, per model; data/fields_full.json holds the full attribute dicts odoorpc received
# for some fields (01 and 04). Both were extracted verbatim from the recordings.
_DATA = Path(__file__).parent / "data"

# Models the recordings touch but whose fields_get was not dumped: the fields the simulator needs.
_EXTRA_MODELS: dict[str, dict[str, tuple[str, str, str | None]]] = {
    "res.company": {
        "name": ("char", "Company Name", None),
        "currency_id": ("many2one", "Currency", "res.currency"),
        "partner_id": ("many2one", "Partner", "res.partner"),
        "stock_move_sms_validation": ("boolean", "SMS Confirmation", None),
        "has_received_warning_stock_sms": ("boolean", "Has Received Warning Stock Sms", None),
        "email": ("char", "Email", None),
        "phone": ("char", "Phone", None),
    },
    "res.currency": {"name": ("char", "Currency", None), "symbol": ("char", "Symbol", None)},
    "res.country": {"name": ("char", "Country Name", None), "code": ("char", "Country Code", None)},
    "res.groups": {"name": ("char", "Name", None), "full_name": ("char", "Group Name", None)},
    "ir.config_parameter": {"key": ("char", "Key", None), "value": ("text", "Value", None)},
    "ir.model.data": {
        "name": ("char", "External Identifier", None),
        "module": ("char", "Module", None),
        "model": ("char", "Model Name", None),
        "res_id": ("many2one_reference", "Record ID", None),
    },
    "mail.followers": {
        "res_model": ("char", "Related Document Model Name", None),
        "res_id": ("many2one_reference", "Related Document ID", None),
        "partner_id": ("many2one", "Related Partner", "res.partner"),
    },
    "mail.message.subtype": {
        "name": ("char", "Message Type", None),
        "internal": ("boolean", "Internal Only", None),
    },
    "confirm.stock.sms": {"pick_ids": ("many2many", "Pick", "stock.picking")},
    "stock.backorder.confirmation": {"pick_ids": ("many2many", "Pick", "stock.picking")},
    "stock.return.picking": {
        "picking_id": ("many2one", "Picking", "stock.picking"),
        "product_return_moves": ("one2many", "Moves", "stock.return.picking.line"),
        "location_id": ("many2one", "Return Location", "stock.location"),
    },
    "stock.return.picking.line": {
        "wizard_id": ("many2one", "Wizard", "stock.return.picking"),
        "product_id": ("many2one", "Product", "product.product"),
        "quantity": ("float", "Quantity", None),
        "move_id": ("many2one", "Move", "stock.move"),
    },
}

_COMMON = {
    "id": ("integer", "ID", None),
    "display_name": ("char", "Display Name", None),
    "create_date": ("datetime", "Created on", None),
    "write_date": ("datetime", "Last Updated on", None),
    "create_uid": ("many2one", "Created by", "res.users"),
    "write_uid": ("many2one", "Last Updated by", "res.users"),
}

# `_description` of each model, used in access and constraint messages.
DESCRIPTIONS = {
    "stock.lot": "Lot/Serial",
    "stock.quant": "Quants",
    "product.product": "Product Variant",
    "product.template": "Product",
    "product.attribute": "Product Attribute",
    "sale.order": "Sales Order",
    "sale.order.line": "Sales Order Line",
    "res.partner": "Contact",
    "res.users": "User",
    "stock.location": "Inventory Locations",
    "stock.picking": "Transfer",
    "stock.move": "Stock Move",
    "stock.move.line": "Product Moves (Stock Move Line)",
    "repair.order": "Repair Order",
}


@cache
def _models() -> dict[str, dict[str, dict[str, Any]]]:
    models: dict[str, dict[str, dict[str, Any]]] = json.loads((_DATA / "models.json").read_text())
    for model, fields in _EXTRA_MODELS.items():
        models[model] = {
            name: {
                "type": ftype,
                "string": string,
                "readonly": False,
                "required": name == "name" and model != "res.groups",
                "store": True,
                **({"relation": rel} if rel else {}),
            }
            for name, (ftype, string, rel) in fields.items()
        }
    for fields in models.values():
        for name, (ftype, string, rel) in _COMMON.items():
            fields.setdefault(
                name,
                {
                    "type": ftype,
                    "string": string,
                    "readonly": True,
                    "required": False,
                    "store": name != "display_name",
                    **({"relation": rel} if rel else {}),
                },
            )
    return models


@cache
def _full_overrides() -> dict[str, dict[str, dict[str, Any]]]:
    return json.loads((_DATA / "fields_full.json").read_text())


def fields_of(model: str) -> dict[str, dict[str, Any]]:
    """Field name → metadata (type, string, relation, required, readonly, selection, store)."""
    return _models()[model]


def has_model(model: str) -> bool:
    return model in _models()


def _full_attributes(model: str, name: str, meta: dict[str, Any]) -> dict[str, Any]:
    recorded = _full_overrides().get(model, {}).get(name)
    if recorded is not None:
        return copy.deepcopy(recorded)
    full: dict[str, Any] = {
        "change_default": False,
        "company_dependent": False,
        "default_export_compatible": False,
        "depends": [],
        "exportable": True,
        "groupable": bool(meta.get("store")),
        "manual": False,
        "name": name,
        "readonly": meta.get("readonly", False),
        "required": meta.get("required", False),
        "searchable": True,
        "sortable": bool(meta.get("store")),
        "store": meta.get("store", True),
        "string": meta.get("string", name),
        "type": meta["type"],
    }
    if "relation" in meta:
        full.update(relation=meta["relation"], context={}, domain=[])
    if "selection" in meta:
        full["selection"] = copy.deepcopy(meta["selection"])
    if meta["type"] in ("char", "text", "html"):
        full.update(translate=False, trim=True)
    if meta["type"] == "properties" and model == "stock.lot":
        full.update(definition_record="product_id", definition_record_field="lot_properties_definition")
    return full


def fields_get(model: str, allfields: list[str] | None, attributes: list[str] | None) -> dict[str, Any]:
    """`fields_get` as Odoo answers it: every attribute without `attributes`, else only those present."""
    fields = fields_of(model)
    names = [n for n in fields if not allfields or n in allfields]
    result: dict[str, Any] = {}
    for name in names:
        full = _full_attributes(model, name, fields[name])
        result[name] = full if not attributes else {k: full[k] for k in attributes if k in full}
    return result
