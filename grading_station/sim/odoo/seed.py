"""The initial state of the recorded database: company, users, warehouse WH, locations, sequences."""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

from grading_station.sim.odoo.database import Database

_DATA = Path(__file__).parent / "data"
SETUP_DATE = "2026-11-27 02:49:39"

_LOCATIONS = [  # id, name, parent, usage, active
    (1, "Physical Locations", False, "view", True),
    (2, "Partners", False, "view", True),
    (3, "Virtual Locations", False, "view", True),
    (4, "Vendors", 2, "supplier", True),
    (5, "Customers", 2, "customer", True),
    (6, "Inter-warehouse transit", 1, "transit", True),
    (7, "WH", 1, "view", True),
    (8, "Stock", 7, "internal", True),
    (9, "Input", 7, "internal", False),
    (10, "Quality Control", 7, "internal", False),
    (11, "Output", 7, "internal", False),
    (12, "Packing Zone", 7, "internal", False),
    (13, "Production", 3, "production", True),
    (14, "Inventory adjustment", 3, "inventory", True),
    (15, "Scrap", 3, "inventory", True),
    (16, "Inter-company transit", 1, "transit", True),
]
_PARTNERS = [  # id, name, email, active, is_company
    (1, "My Company", False, True, True),
    (2, "OdooBot", "odoobot@example.com", False, False),
    (3, "Administrator", "admin@example.com", True, False),
    (4, "Public user", False, False, False),
    (5, "Default User Template", False, False, False),
    (6, "Portal User Template", False, False, False),
]
_USERS = [
    (1, "__system__", 2, False),
    (3, "default", 5, False),
    (4, "public", 4, False),
    (5, "portaltemplate", 6, False),
]
# Next ids as the recordings show them (fresh database after module installation).
_SEQUENCES = {
    "res.partner": 7,
    "res.users": 6,
    "stock.location": 17,
    "ir.attachment": 454,
    "mail.message": 14,
    "mail.followers": 4,
    "ir.config_parameter": 7,
    "ir.model.data": 30000,
    "res.groups": 60,
}


@cache
def _seed_json() -> dict[str, Any]:
    return json.loads((_DATA / "seed.json").read_text())


def session_info_template() -> dict[str, Any]:
    return copy.deepcopy(_seed_json()["session_info"])


def _rec(rid: int, **values: Any) -> dict[str, Any]:
    return {
        "id": rid,
        "create_date": SETUP_DATE,
        "write_date": SETUP_DATE,
        "create_uid": 1,
        "write_uid": 1,
        **values,
    }


def populate(db: Database, base_url: str) -> None:
    t = db.tables
    t["res.currency"][1] = _rec(1, name="USD", symbol="$")
    t["res.country"][233] = _rec(233, name="United States", code="US")
    # Back Market's European markets (ids as in a stock Odoo 18 database)
    for rid, name, code in ((75, "France", "FR"), (57, "Germany", "DE"), (68, "Spain", "ES"), (110, "Italy", "IT"),
                            (21, "Belgium", "BE"), (166, "Netherlands", "NL"), (13, "Austria", "AT"),
                            (183, "Portugal", "PT"), (222, "United Kingdom", "GB")):
        t["res.country"][rid] = _rec(rid, name=name, code=code)
    t["res.company"][1] = _rec(
        1,
        name="My Company",
        currency_id=1,
        partner_id=1,
        stock_move_sms_validation=True,
        has_received_warning_stock_sms=False,
        email=False,
        phone=False,
    )
    for rid, name, email, active, is_company in _PARTNERS:
        db.insert(
            "res.partner",
            _rec(
                rid,
                name=name,
                email=email,
                active=active,
                is_company=is_company,
                type="contact",
                company_id=1 if rid == 1 else False,
                lang="en_US",
            ),
        )
    admin = dict(_seed_json()["admin_user"])
    for derived in (
        "id",
        "name",
        "email",
        "password",
        "new_password",
        "display_name",
        "share",
        "phone",
        "mobile",
    ):
        admin.pop(derived, None)
    admin.update(
        id=2,
        partner_id=3,
        groups_id=[1, 2, 7, 14, 19, 39, 40, 41, 54],
        _password="admin",
        company_id=1,
    )
    t["res.users"][2] = admin
    for rid, login, partner, active in _USERS:
        t["res.users"][rid] = _rec(
            rid,
            login=login,
            partner_id=partner,
            active=active,
            groups_id=[],
            _password="",
            lang="en_US",
            tz=False,
            company_id=1,
        )
    t["res.groups"].update({1: _rec(1, name="Internal User"), 39: _rec(39, name="User")})
    t["ir.model.data"][5] = _rec(5, module="base", name="group_user", model="res.groups", res_id=1)
    t["ir.model.data"][28852] = _rec(
        28852, module="stock", name="group_stock_user", model="res.groups", res_id=39
    )
    for rid, key, value in (
        (1, "web.base.url", base_url),
        (2, "database.create_date", SETUP_DATE),
        (3, "base.default_max_email_size", "10"),
        (4, "mail.catchall.domain", False),
        (5, "base.login_cooldown_after", "10"),
        (6, "base.login_cooldown_duration", "60"),
    ):
        t["ir.config_parameter"][rid] = _rec(rid, key=key, value=value)
    t["mail.message.subtype"][1] = _rec(1, name="Discussions", internal=False)
    t["mail.message.subtype"][2] = _rec(2, name="Note", internal=True)
    t["uom.uom"][1] = _rec(1, name="Units")
    t["product.category"][1] = _rec(1, name="All")
    for rid, name, parent, usage, active in _LOCATIONS:
        t["stock.location"][rid] = _rec(
            rid,
            name=name,
            location_id=parent,
            usage=usage,
            active=active,
            company_id=1 if rid >= 7 and rid <= 12 else False,
            scrap_location=rid == 15,
        )
    t["stock.warehouse"][1] = _rec(
        1,
        name="My Company",
        code="WH",
        view_location_id=7,
        lot_stock_id=8,
        in_type_id=1,
        out_type_id=2,
        company_id=1,
        sequence=10,
        active=True,
    )
    for rid, name, code, prefix, src, dest in (
        (1, "Receipts", "incoming", "WH/IN/", 4, 8),
        (2, "Delivery Orders", "outgoing", "WH/OUT/", 8, 5),
        (9, "Repairs", "repair_operation", "WH/RO/", 8, 8),
    ):
        t["stock.picking.type"][rid] = _rec(
            rid,
            name=name,
            code=code,
            sequence_code=prefix.split("/")[1],
            warehouse_id=1,
            default_location_src_id=src,
            default_location_dest_id=dest,
            company_id=1,
            active=True,
        )
    for model, next_id in _SEQUENCES.items():
        db.bump(model, next_id)
    for model in ("stock.location", "res.partner", "res.users"):
        db.bump(model, max(t[model]) + 1)
