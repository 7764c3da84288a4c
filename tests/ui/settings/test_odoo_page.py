"""The Odoo page's "Test connection": runs off the GUI thread and names the failure in the user's words."""

from __future__ import annotations

import socket

import pytest

from grading_station.odoo.gateway import check_connection, prepare_with

from grading_station.ui.settings.odoo_page import OdooPage
from grading_station.ui.settings.pages import SettingsContext

from grading_station.config import Config
from grading_station.secrets import LogMask, MemoryKeyring, SecretStore


@pytest.fixture
def page(qtbot, paths):
    mask = LogMask()
    context = SettingsContext(Config.load(paths.config_file), SecretStore(MemoryKeyring(), mask),
                              services={"odoo.check": check_connection, "odoo.prepare": prepare_with})
    widget = OdooPage(context)
    qtbot.add_widget(widget)
    widget.load()
    qtbot.wait_until(lambda: widget._secrets is not None)
    yield widget
    mask.uninstall()


def fill(page: OdooPage, url: str, database: str = "odoo", login: str = "admin", secret: str = "admin"):
    page.editors["odoo.url"].widget.setText(url)
    page.editors["odoo.database"].widget.setText(database)
    page.editors["odoo.login"].widget.setText(login)
    page.secret.setText(secret)


def run_check(qtbot, page: OdooPage) -> str:
    page.test_button.click()
    assert not page.test_button.isEnabled()  # busy while the check runs in the background
    qtbot.wait_until(lambda: page.test_button.isEnabled(), timeout=10_000)
    return page.result.text()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_missing_fields_are_named_before_connecting(qtbot, page):
    page.test_button.click()
    assert page.result.text() == "Fill in “Odoo address” first."
    assert page.result.property("state") == "error"


def test_nothing_listening_is_reported_as_unreachable(qtbot, page):
    url = f"http://127.0.0.1:{free_port()}"
    fill(page, url)
    assert run_check(qtbot, page) == f"Nothing answers at {url}: is Odoo running, and is the address right?"
    assert page.result.property("state") == "error"


def test_a_malformed_address_is_explained(qtbot, page):
    fill(page, "odoo.example.com")
    assert "is not an Odoo address; it should look like https://odoo.example.com" in run_check(qtbot, page)
