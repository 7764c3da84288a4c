"""Fixtures for the gateway tests: gateways logged in to the Odoo simulator over real HTTP on 127.0.0.1."""

from __future__ import annotations

import pytest

from grading_station.odoo import OdooGateway, OdooSettings
from grading_station.odoo.connection import OdooConnection

from grading_station.demo import seed_demo

DB = "grading"


def settings_for(
    sim,
    login: str = "admin",
    secret: str = "admin",
    *,
    api_key: bool = False,
    db: str = DB,
    timeout: float = 5.0,
) -> OdooSettings:
    return OdooSettings(
        url=sim.url, database=db, login=login, secret=secret, secret_is_api_key=api_key, timeout=timeout
    )


def create_user(
    admin: OdooConnection, login: str, password: str, *, inventory: bool = True, email: str | None = None
) -> int:
    """A user like transcript 08's 'tech': internal user (+ Inventory / User when `inventory`)."""
    groups = admin.call(
        "ir.model.data",
        "search_read",
        [
            [
                ["model", "=", "res.groups"],
                "|",
                "&",
                ["module", "=", "base"],
                ["name", "=", "group_user"],
                "&",
                ["module", "=", "stock"],
                ["name", "=", "group_stock_user"],
            ]
        ],
        {"fields": ["module", "name", "res_id"]},
    )
    ids = {f"{g['module']}.{g['name']}": g["res_id"] for g in groups}
    wanted = [ids["base.group_user"]] + ([ids["stock.group_stock_user"]] if inventory else [])
    vals = {"name": login.title(), "login": login, "password": password, "groups_id": [[6, 0, wanted]]}
    if email:
        vals["email"] = email
    return admin.call("res.users", "create", [vals])


@pytest.fixture
def gateway(odoo_sim):
    gw = OdooGateway(settings_for(odoo_sim))
    yield gw
    gw.close()


@pytest.fixture
def prepared(gateway):
    """A gateway on a prepared Odoo holding the demo catalogue and units."""
    seed_demo(gateway)
    return gateway
