"""The simulator driven by odoorpc itself, the way the gateway uses it (login, execute_kw, model proxies)."""

from __future__ import annotations

import odoorpc
import pytest

from grading_station.sim.odoo import STOCK_USER_LOGIN, STOCK_USER_PASSWORD, OdooSimulator

_DEFINITION = [
    {
        "name": "grade",
        "string": "Grade",
        "type": "selection",
        "selection": [["good", "Good"], ["fair", "Fair"]],
    },
    {"name": "battery_health", "string": "Battery Health (%)", "type": "integer"},
]


def _connect(sim: OdooSimulator, login: str = "admin", password: str = "admin") -> odoorpc.ODOO:
    odoo = odoorpc.ODOO(sim.host, port=sim.port)
    odoo.login(sim.db_name, login, password)
    return odoo


def _catalogue(odoo: odoorpc.ODOO) -> None:
    attr = odoo.execute_kw(
        "product.attribute",
        "create",
        [
            {
                "name": "Grade",
                "create_variant": "always",
                "value_ids": [[0, 0, {"name": "Good"}], [0, 0, {"name": "Fair"}]],
            }
        ],
    )
    odoo.execute_kw(
        "product.template",
        "create",
        [
            {
                "name": "iPhone 14 Pro 256GB",
                "type": "consu",
                "is_storable": True,
                "tracking": "serial",
                "attribute_line_ids": [[0, 0, {"attribute_id": attr, "value_ids": [[6, 0, [1, 2]]]}]],
            }
        ],
    )
    odoo.execute_kw(
        "product.product", "write", [[1], {"default_code": "GOO", "lot_properties_definition": _DEFINITION}]
    )


def test_login_context_and_version(odoo_sim: OdooSimulator) -> None:
    odoo = _connect(odoo_sim)
    assert odoo.version == "18.0+e-20241005"
    assert odoo.env.context == {"lang": "en_US", "tz": False, "uid": 2}
    assert odoo.env.user.name == "Administrator"


def test_api_key_login(odoo_sim: OdooSimulator) -> None:
    odoo = _connect(odoo_sim, "admin", odoo_sim.admin_api_key)
    assert odoo.execute_kw("res.company", "search_read", [[]], {"fields": ["name"]}) == [
        {"id": 1, "name": "My Company"}
    ]


def test_wrong_password_is_refused_by_odoorpc(odoo_sim: OdooSimulator) -> None:
    with pytest.raises(odoorpc.error.RPCError, match="Wrong login ID or password"):
        _connect(odoo_sim, "admin", "nope")


def test_intake_lot_properties_and_inventory_mode(odoo_sim: OdooSimulator) -> None:
    odoo = _connect(odoo_sim)
    _catalogue(odoo)
    lot = odoo.execute_kw(
        "stock.lot",
        "create",
        [{"name": "SN-1", "product_id": 1, "lot_properties": {"grade": "good", "battery_health": 91}}],
    )
    ignored = odoo.execute_kw(
        "stock.quant",
        "create",
        [{"product_id": 1, "location_id": 8, "lot_id": lot, "inventory_quantity_auto_apply": 1}],
    )
    assert odoo.execute_kw("stock.quant", "read", [[ignored], ["quantity"]]) == [
        {"id": ignored, "quantity": 0.0}
    ]
    applied = odoo.execute_kw(
        "stock.quant",
        "create",
        [{"product_id": 1, "location_id": 8, "lot_id": lot, "inventory_quantity_auto_apply": 1}],
        {"context": {"inventory_mode": True}},
    )
    assert applied == ignored
    [row] = odoo.execute_kw(
        "stock.lot",
        "search_read",
        [[["lot_properties.battery_health", ">=", 90], ["product_qty", ">", 0]]],
        {"fields": ["name", "product_qty", "location_id", "lot_properties"]},
    )
    assert row["product_qty"] == 1.0 and row["location_id"] == [8, "WH/Stock"]
    assert [(p["name"], p["value"]) for p in row["lot_properties"]] == [
        ("grade", "good"),
        ("battery_health", 91),
    ]
    odoo.execute_kw("stock.lot", "write", [[lot], {"lot_properties": {"battery_health": 80}}])
    [props] = odoo.execute_kw("stock.lot", "read", [[lot], ["lot_properties"]])
    assert [p["value"] for p in props["lot_properties"]] == [False, 80]


def test_model_proxy_and_errors(odoo_sim: OdooSimulator) -> None:
    odoo = _connect(odoo_sim)
    _catalogue(odoo)
    lots = odoo.env["stock.lot"]
    lot = lots.create({"name": "SN-9", "product_id": 2})
    assert lots.browse(lot).name == "SN-9"
    with pytest.raises(odoorpc.error.RPCError, match="must be unique within a company"):
        lots.create({"name": "SN-9", "product_id": 2})
    with pytest.raises(odoorpc.error.RPCError, match="Record does not exist or has been deleted"):
        odoo.execute_kw("stock.lot", "write", [[999], {"ref": "x"}])


def test_attachment_and_message_post(odoo_sim: OdooSimulator) -> None:
    odoo = _connect(odoo_sim)
    _catalogue(odoo)
    lot = odoo.execute_kw("stock.lot", "create", [{"name": "SN-2", "product_id": 1}])
    att = odoo.execute_kw(
        "ir.attachment",
        "create",
        [{"name": "r.json", "res_model": "stock.lot", "res_id": lot, "datas": "eyJhIjogMX0="}],
    )
    [meta] = odoo.execute_kw("ir.attachment", "read", [[att], ["mimetype", "file_size", "checksum"]])
    assert meta["mimetype"] == "application/json" and meta["file_size"] == 8
    msg = odoo.execute_kw(
        "stock.lot",
        "message_post",
        [[lot]],
        {
            "body": "<b>ok</b>",
            "body_is_html": True,
            "message_type": "comment",
            "subtype_xmlid": "mail.mt_note",
            "attachment_ids": [att],
        },
    )
    [row] = odoo.execute_kw("mail.message", "read", [[msg], ["body", "attachment_ids", "message_type"]])
    assert row == {"id": msg, "body": "<b>ok</b>", "attachment_ids": [att], "message_type": "comment"}


def test_stock_user_rights(odoo_sim: OdooSimulator) -> None:
    admin = _connect(odoo_sim)
    _catalogue(admin)
    odoo_sim.add_stock_user()
    tech = _connect(odoo_sim, STOCK_USER_LOGIN, STOCK_USER_PASSWORD)
    assert tech.execute_kw("stock.lot", "create", [{"name": "T-1", "product_id": 1}])
    with pytest.raises(odoorpc.error.RPCError, match="not allowed to modify 'Product Variant'"):
        tech.execute_kw("product.product", "write", [[1], {"list_price": 1.0}])
    with pytest.raises(odoorpc.error.RPCError, match="configure the sender's email address"):
        tech.execute_kw("stock.lot", "message_post", [[1]], {"body": "x"})


def test_hooks_count_fail_and_latency(odoo_sim: OdooSimulator) -> None:
    odoo = _connect(odoo_sim)
    odoo_sim.reset_counts()
    odoo_sim.fail_next("stock.lot", "search", message="boom")
    with pytest.raises(odoorpc.error.RPCError, match="boom"):
        odoo.execute_kw("stock.lot", "search", [[]])
    assert odoo.execute_kw("stock.lot", "search", [[]]) == []
    assert odoo_sim.rpc_count("stock.lot", "search") == 2
    odoo_sim.latency = 0.05
    odoo.execute_kw("stock.lot", "search", [[]])
    odoo_sim.latency = 0.0
    odoo_sim.down = True
    with pytest.raises(OSError):
        odoo.execute_kw("stock.lot", "search", [[]])
    odoo_sim.down = False
    assert odoo.execute_kw("stock.lot", "search_count", [[]]) == 0


def test_stock_user_api_key_works_over_rpc(odoo_sim: OdooSimulator) -> None:
    uid = odoo_sim.add_stock_user()
    key = odoo_sim.add_api_key(uid)
    tech = _connect(odoo_sim, STOCK_USER_LOGIN, key)
    assert tech.env.uid == uid
    assert tech.execute_kw("res.users", "read", [[uid], ["login"]]) == [
        {"id": uid, "login": STOCK_USER_LOGIN}
    ]
