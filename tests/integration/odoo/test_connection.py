"""Logging in (password, API key) and every way it can fail, in the user's words."""

from __future__ import annotations

import socket

import pytest

from grading_station.odoo import OdooGateway
from grading_station.odoo.connection import OdooConnection
from grading_station.odoo.errors import (
    OdooMissingRights,
    OdooTooOld,
    OdooUnreachable,
    OdooWrongCredentials,
    OdooWrongDatabase,
)
from grading_station.odoo.gateway import check_connection

from grading_station.errors import RemoteRefused, RemoteUnavailable
from tests.integration.odoo.conftest import create_user, settings_for


def test_login_with_password_detects_odoo_18(odoo_sim):
    conn = OdooConnection(settings_for(odoo_sim))
    conn.ensure_connected()
    assert conn.flavour.major == 18 and conn.uid == 2
    assert conn.flavour.storable_product_vals() == {"type": "consu", "is_storable": True}
    assert check_connection(settings_for(odoo_sim)).startswith("18.0")


def test_login_with_an_api_key(odoo_sim):
    conn = OdooConnection(settings_for(odoo_sim, secret=odoo_sim.service.admin_api_key, api_key=True))
    assert conn.call("res.company", "search_read", [[]], {"fields": ["name"]})[0]["name"] == "My Company"


def test_wrong_password_says_so(odoo_sim):
    with pytest.raises(OdooWrongCredentials, match="refused the login 'admin' with this password"):
        OdooConnection(settings_for(odoo_sim, secret="wrong")).ensure_connected()
    with pytest.raises(OdooWrongCredentials, match="with this API key"):
        OdooConnection(settings_for(odoo_sim, secret="0" * 40, api_key=True)).ensure_connected()


def test_unknown_database_says_so(odoo_sim):
    with pytest.raises(OdooWrongDatabase, match="no database 'nosuchdb'"):
        OdooConnection(settings_for(odoo_sim, db="nosuchdb")).ensure_connected()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unreachable_server_is_retryable():
    settings = settings_for(type("S", (), {"url": f"http://127.0.0.1:{_closed_port()}"})())
    with pytest.raises(OdooUnreachable, match="Nothing answers") as caught:
        OdooConnection(settings).ensure_connected()
    assert isinstance(caught.value, RemoteUnavailable) and caught.value.retryable


def test_not_an_odoo_address():
    with pytest.raises(OdooUnreachable, match="not an Odoo address"):
        OdooConnection(settings_for(type("S", (), {"url": "odoo.example.com"})())).ensure_connected()


def test_user_without_inventory_rights_is_told_what_to_ask_for(odoo_sim):
    admin = OdooConnection(settings_for(odoo_sim))
    create_user(admin, "clerk", "clerk-pass-1", inventory=False)
    with pytest.raises(OdooMissingRights, match="'clerk' has no Inventory rights"):
        OdooConnection(settings_for(odoo_sim, "clerk", "clerk-pass-1")).ensure_connected()


def test_too_old_odoo_is_refused(odoo_sim, monkeypatch):
    from grading_station.sim.odoo import service

    monkeypatch.setitem(service.VERSION_INFO, "server_version_info", [16, 0, 0, "final", 0, ""])
    monkeypatch.setitem(service.VERSION_INFO, "server_version", "16.0")
    with pytest.raises(OdooTooOld, match="version 16; Grading Station needs Odoo 17"):
        OdooConnection(settings_for(odoo_sim)).ensure_connected()


def test_stock_user_refusals_carry_odoos_reason(odoo_sim):
    admin = OdooConnection(settings_for(odoo_sim))
    create_user(admin, "tech", "tech-pass-1")
    tech = OdooGateway(settings_for(odoo_sim, "tech", "tech-pass-1"))
    tech.connect()  # reads are allowed
    with pytest.raises(RemoteRefused, match="not allowed to create 'Product Attribute'"):
        tech.prepare_odoo()


def test_odoo_going_down_is_remote_unavailable(odoo_sim):
    gw = OdooGateway(settings_for(odoo_sim, timeout=2))
    gw.connect()
    odoo_sim.stop()
    with pytest.raises(RemoteUnavailable):
        gw.find_unit("SN-1")
