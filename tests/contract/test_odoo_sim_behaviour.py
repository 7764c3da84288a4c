"""Simulator behaviour beyond the transcripts: variants, rollbacks, sessions, cooldown, repairs, hooks."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from grading_station.sim.odoo import OdooSimulator


def rpc(sim: OdooSimulator, client: httpx.Client, model: str, method: str, *args: Any, **kwargs: Any) -> Any:
    body = {
        "jsonrpc": "2.0",
        "method": "call",
        "id": 1,
        "params": {
            "service": "object",
            "method": "execute_kw",
            "args": ["grading", 2, "admin", model, method, list(args), kwargs],
        },
    }
    reply = client.post(f"{sim.url}/jsonrpc", json=body).json()
    if "error" in reply:
        raise AssertionError(reply["error"]["data"]["message"])
    return reply.get("result")


def error_of(
    sim: OdooSimulator, client: httpx.Client, model: str, method: str, *args: Any, **kwargs: Any
) -> dict:
    body = {
        "jsonrpc": "2.0",
        "method": "call",
        "id": 1,
        "params": {
            "service": "object",
            "method": "execute_kw",
            "args": ["grading", 2, "admin", model, method, list(args), kwargs],
        },
    }
    return client.post(f"{sim.url}/jsonrpc", json=body).json()["error"]["data"]


@pytest.fixture
def client() -> httpx.Client:
    with httpx.Client(timeout=10) as c:
        yield c


def _grade_template(sim: OdooSimulator, client: httpx.Client, grades: list[str]) -> tuple[int, int]:
    attr = rpc(
        sim,
        client,
        "product.attribute",
        "create",
        {"name": "Grade", "value_ids": [[0, 0, {"name": g}] for g in grades]},
    )
    values = rpc(sim, client, "product.attribute.value", "search", [["attribute_id", "=", attr]])
    tmpl = rpc(
        sim,
        client,
        "product.template",
        "create",
        {
            "name": "Phone",
            "is_storable": True,
            "tracking": "serial",
            "attribute_line_ids": [[0, 0, {"attribute_id": attr, "value_ids": [[6, 0, values]]}]],
        },
    )
    return attr, tmpl


def test_adding_a_grade_value_creates_its_variant(odoo_sim: OdooSimulator, client: httpx.Client) -> None:
    attr, tmpl = _grade_template(odoo_sim, client, ["Good", "Fair"])
    assert (
        rpc(odoo_sim, client, "product.template", "read", [tmpl], ["product_variant_count"])[0][
            "product_variant_count"
        ]
        == 2
    )
    new_value = rpc(
        odoo_sim, client, "product.attribute.value", "create", {"attribute_id": attr, "name": "Premium"}
    )
    [line] = (
        rpc(odoo_sim, client, "product.template", "read", [tmpl], ["attribute_line_ids"])[0][
            "attribute_line_ids"
        ],
    )
    rpc(
        odoo_sim,
        client,
        "product.template",
        "write",
        [tmpl],
        {"attribute_line_ids": [[1, line[0], {"value_ids": [[4, new_value]]}]]},
    )
    names = [
        r["display_name"]
        for r in rpc(
            odoo_sim,
            client,
            "product.product",
            "search_read",
            [["product_tmpl_id", "=", tmpl]],
            fields=["display_name"],
            order="id",
        )
    ]
    assert names == ["Phone (Good)", "Phone (Fair)", "Phone (Premium)"]


def test_list_create_is_one_transaction_but_ids_are_spent(
    odoo_sim: OdooSimulator, client: httpx.Client
) -> None:
    _grade_template(odoo_sim, client, ["Good", "Fair"])
    error = error_of(
        odoo_sim,
        client,
        "stock.lot",
        "create",
        [{"name": "A", "product_id": 1}, {"name": "A", "product_id": 1}],
    )
    assert error["name"] == "odoo.exceptions.ValidationError"
    assert rpc(odoo_sim, client, "stock.lot", "search_count", []) == 0
    assert rpc(odoo_sim, client, "stock.lot", "create", {"name": "A", "product_id": 1}) == 3


def test_properties_definition_refusals(odoo_sim: OdooSimulator, client: httpx.Client) -> None:
    _grade_template(odoo_sim, client, ["Good"])
    bad_type = error_of(
        odoo_sim,
        client,
        "product.product",
        "write",
        [1],
        {"lot_properties_definition": [{"name": "n", "string": "N", "type": "text"}]},
    )
    assert bad_type["message"] == "Wrong property type 'text'."
    bad_key = error_of(
        odoo_sim,
        client,
        "product.product",
        "write",
        [1],
        {"lot_properties_definition": [{"name": "n", "string": "N", "type": "char", "required": True}]},
    )
    assert bad_key["message"] == "Some key are not allowed for a properties definition [required]."


def test_http_level_errors_are_not_json(odoo_sim: OdooSimulator, client: httpx.Client) -> None:
    assert client.get(f"{odoo_sim.url}/jsonrpc").status_code == 400
    bad = client.post(
        f"{odoo_sim.url}/jsonrpc", content=b"{nope", headers={"Content-Type": "application/json"}
    )
    assert (bad.status_code, bad.text, bad.headers["Content-Type"]) == (
        400,
        "Invalid JSON data",
        "text/html; charset=utf-8",
    )
    assert client.post(f"{odoo_sim.url}/jsonrpc", json=[1]).text == "Invalid JSON-RPC data"
    assert client.post(f"{odoo_sim.url}/web/nowhere", json={}).status_code == 404


def test_web_session_lifecycle(odoo_sim: OdooSimulator, client: httpx.Client) -> None:
    call = {
        "jsonrpc": "2.0",
        "method": "call",
        "id": 5,
        "params": {"model": "res.partner", "method": "search_count", "args": [[]], "kwargs": {}},
    }
    expired = client.post(f"{odoo_sim.url}/web/dataset/call_kw", json=call).json()
    assert expired["id"] is None and expired["error"]["code"] == 100
    login = client.post(
        f"{odoo_sim.url}/web/session/authenticate",
        json={
            "jsonrpc": "2.0",
            "method": "call",
            "id": 2,
            "params": {"db": "grading", "login": "admin", "password": "admin"},
        },
    )
    assert login.json()["result"]["uid"] == 2 and "session_id" in login.cookies
    assert client.post(f"{odoo_sim.url}/web/dataset/call_kw/res.partner/search_count", json=call).json() == {
        "jsonrpc": "2.0",
        "id": 5,
        "result": 2,
    }
    done = client.post(
        f"{odoo_sim.url}/web/session/destroy", json={"jsonrpc": "2.0", "method": "call", "id": 6}
    )
    assert done.json() == {"jsonrpc": "2.0", "id": 6}


def test_login_cooldown_applies_to_web_logins_only(odoo_sim: OdooSimulator, client: httpx.Client) -> None:
    def web_login(password: str) -> dict:
        return client.post(
            f"{odoo_sim.url}/web/session/authenticate",
            json={
                "jsonrpc": "2.0",
                "method": "call",
                "id": 1,
                "params": {"db": "grading", "login": "admin", "password": password},
            },
        ).json()

    for _ in range(10):
        assert web_login("wrong")["error"]["data"]["message"] == "Access Denied"
    assert web_login("admin")["error"]["data"]["message"].startswith("Too many login failures")
    assert rpc(odoo_sim, client, "res.partner", "search_count", []) == 2
    odoo_sim.advance_clock(61)
    assert web_login("admin")["result"]["uid"] == 2


def test_regrade_and_sale_reserve_fifo(odoo_sim: OdooSimulator, client: httpx.Client) -> None:
    _grade_template(odoo_sim, client, ["Good", "Fair"])
    lots = rpc(
        odoo_sim,
        client,
        "stock.lot",
        "create",
        [{"name": "S1", "product_id": 2}, {"name": "S2", "product_id": 2}],
    )
    rpc(
        odoo_sim,
        client,
        "stock.quant",
        "create",
        [
            {"product_id": 2, "location_id": 8, "lot_id": lot, "inventory_quantity_auto_apply": 1}
            for lot in lots
        ],
        context={"inventory_mode": True},
    )
    partner = rpc(odoo_sim, client, "res.partner", "create", {"name": "Buyer"})
    order = rpc(
        odoo_sim,
        client,
        "sale.order",
        "create",
        {
            "partner_id": partner,
            "client_order_ref": "BM-1",
            "order_line": [[0, 0, {"product_id": 2, "price_unit": 10}]],
        },
    )
    assert rpc(odoo_sim, client, "sale.order", "action_confirm", [order]) is True
    [line] = rpc(
        odoo_sim,
        client,
        "stock.move.line",
        "search_read",
        [["move_id.sale_line_id.order_id", "=", order]],
        fields=["lot_id", "picking_id"],
    )
    assert line["lot_id"][0] == lots[0]
    rpc(odoo_sim, client, "stock.move.line", "write", [line["id"]], {"lot_id": lots[1], "picked": True})
    assert rpc(odoo_sim, client, "stock.picking", "button_validate", [line["picking_id"][0]]) is True
    assert rpc(odoo_sim, client, "stock.lot", "search", [["product_qty", ">", 0]]) == [lots[0]]


def test_repair_order_states(odoo_sim: OdooSimulator, client: httpx.Client) -> None:
    _grade_template(odoo_sim, client, ["Good"])
    lot = rpc(odoo_sim, client, "stock.lot", "create", {"name": "R1", "product_id": 1})
    repair = rpc(
        odoo_sim, client, "repair.order", "create", {"product_id": 1, "lot_id": lot, "under_warranty": True}
    )
    for method in ("action_validate", "action_repair_start", "action_repair_end"):
        rpc(odoo_sim, client, "repair.order", method, [repair])
    assert rpc(odoo_sim, client, "repair.order", "read", [repair], ["name", "state"]) == [
        {"id": repair, "name": "WH/RO/00001", "state": "done"}
    ]


def test_hooks_count_rpcs_per_method_and_inject_errors(odoo_sim: OdooSimulator, client: httpx.Client) -> None:
    odoo_sim.fail_next(
        "stock.lot", "search_read", name="odoo.exceptions.AccessError", message="nope", count=2
    )
    for _ in range(2):
        assert (
            error_of(odoo_sim, client, "stock.lot", "search_read", [])["name"]
            == "odoo.exceptions.AccessError"
        )
    assert rpc(odoo_sim, client, "stock.lot", "search_read", []) == []
    assert odoo_sim.rpc_count("stock.lot", "search_read") == 3
    assert odoo_sim.rpc_count(endpoint="/jsonrpc") == 3
    odoo_sim.down = True
    with pytest.raises(httpx.TransportError):
        client.post(f"{odoo_sim.url}/jsonrpc", json={})
    odoo_sim.down = False


def test_fresh_databases_are_isolated() -> None:
    sims = [OdooSimulator() for _ in range(3)]
    sims[0].execute("res.partner", "create", {"name": "Only in the first"})
    assert sims[1].execute("res.partner", "search_count", [["name", "=", "Only in the first"]]) == 0


def test_serial_lookup_finds_the_one_lot_among_many(odoo_sim: OdooSimulator, client: httpx.Client) -> None:
    # Speed is measured by bench/bench_bench.py, not asserted here.
    _grade_template(odoo_sim, client, ["Good", "Fair"])
    odoo_sim.execute(
        "stock.lot", "create", [{"name": f"SN{i:05d}", "product_id": 1 + i % 2} for i in range(2000)]
    )
    for i in range(100):
        rows = rpc(
            odoo_sim,
            client,
            "stock.lot",
            "search_read",
            [["name", "=", f"SN{i * 13:05d}"]],
            fields=["name", "product_id", "product_qty", "location_id", "lot_properties"],
        )
        assert [row["name"] for row in rows] == [f"SN{i * 13:05d}"]


def test_stop_closes_kept_alive_connections(client: httpx.Client) -> None:
    sim = OdooSimulator().start()
    body = {"jsonrpc": "2.0", "method": "call", "id": 1, "params": {"service": "common", "method": "version"}}
    assert client.post(f"{sim.url}/jsonrpc", json=body).status_code == 200
    url = sim.url
    sim.stop()
    with pytest.raises(httpx.TransportError):
        client.post(f"{url}/jsonrpc", json=body)
