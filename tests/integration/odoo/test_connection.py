"""Logging in (password, API key) and every way it can fail, in the user's words."""

from __future__ import annotations

import socket
import threading

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


def test_odoo_down_then_back_needs_no_new_login(odoo_sim):
    gw = OdooGateway(settings_for(odoo_sim, timeout=2))
    odoo_sim.down = True
    with pytest.raises(OdooUnreachable, match="lost|reached"):
        gw.connect()
    odoo_sim.down = False
    gw.connect()
    odoo_sim.down = True
    with pytest.raises(RemoteUnavailable):
        gw.find_unit("SN-1")
    odoo_sim.down = False
    odoo_sim.reset_counts()
    assert gw.find_unit("SN-1") is None
    assert odoo_sim.rpc_count() == 1  # no reconnect: /jsonrpc carries the credentials


def test_connect_costs_and_rpc_counts_match_the_server(odoo_sim):
    gw = OdooGateway(settings_for(odoo_sim))
    gw.connect()
    assert gw.rpc_count == odoo_sim.rpc_count()
    odoo_sim.reset_counts()
    gw.find_unit("SN-1")
    assert odoo_sim.rpc_count("stock.lot", "search_read") == 1 and odoo_sim.rpc_count() == 1


def test_catalogue_refreshes_in_the_background(odoo_sim):
    gw = OdooGateway(settings_for(odoo_sim))
    gw.prepare_odoo()
    passes, ended = [0], threading.Condition()
    after_refresh = gw.define_new_variants

    def count_pass() -> None:  # runs after each background reload
        after_refresh()
        with ended:
            passes[0] += 1
            ended.notify_all()

    gw.define_new_variants = count_pass
    gw.start_background_refresh(0.02)
    try:
        other = OdooGateway(settings_for(odoo_sim))
        other.create_model("Pixel 9 128GB", "phone", "PX9-128")
        with ended:  # the pass running now may have read before the model existed: the next one did not
            created_at = passes[0]
            assert ended.wait_for(lambda: passes[0] >= created_at + 2, timeout=10)
    finally:
        gw.close()
    assert [m.default_code for m in gw.catalogue.models()] == ["PX9-128"]


def test_password_changed_after_login_is_reported_as_wrong_credentials(odoo_sim):
    gw = OdooGateway(settings_for(odoo_sim))
    gw.connect()
    odoo_sim.service.db.tables["res.users"][2]["_password"] = "changed-by-someone"
    odoo_sim.reset_counts()
    with pytest.raises(OdooWrongCredentials, match="refused the login 'admin'"):
        gw.find_unit("SN-1")
    # one refused call, then exactly one attempt to log in again (version_info, version, common.login)
    assert odoo_sim.rpc_count("stock.lot", "search_read") == 1 and odoo_sim.rpc_count("common", "login") <= 1


def test_a_web_server_that_is_not_odoo(tmp_path):
    import functools
    import http.server

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        with pytest.raises(OdooUnreachable, match="does not answer like an Odoo server"):
            OdooConnection(settings_for(type("S", (), {"url": url})())).ensure_connected()
    finally:
        server.shutdown()
        server.server_close()


def test_unknown_server_name(monkeypatch):
    # the resolver is the operating system's: make it answer "no such name" without depending on the network
    real = socket.getaddrinfo

    def resolve(host, *args, **kwargs):
        if host == "odoo.example.invalid":
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    settings = settings_for(type("S", (), {"url": "https://odoo.example.invalid"})())
    with pytest.raises(OdooUnreachable, match="server name in https://odoo.example.invalid is unknown"):
        OdooConnection(settings).ensure_connected()


def test_no_address_yet_says_odoo_is_not_set_up_and_stays_retryable():
    """First run: it used to say "'' is not an Odoo address"; queued work must keep waiting for the set-up."""
    with pytest.raises(OdooUnreachable, match="not set up yet: open Settings") as caught:
        OdooConnection(settings_for(type("S", (), {"url": ""})())).ensure_connected()
    assert caught.value.retryable
