"""The Odoo page against the simulator: checks run off the GUI thread, failures named in the user's words."""

from __future__ import annotations

import socket

import pytest

from grading_station.odoo.connection import OdooConnection, OdooSettings
from grading_station.odoo.gateway import check_connection, prepare_with

from grading_station.ui.settings.odoo_page import OdooPage
from grading_station.ui.settings.pages import SettingsContext

from grading_station.config import Config
from grading_station.secrets import LogMask, MemoryKeyring, SecretStore
from tests.integration.odoo.conftest import create_user


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


def test_success_shows_the_odoo_version(qtbot, page, odoo_sim):
    fill(page, odoo_sim.url, "grading")
    assert run_check(qtbot, page).startswith("Connected: Odoo 18.0")
    assert page.result.text().endswith("signed in as admin.")
    assert page.result.property("state") == "ok"


def test_an_api_key_signs_in_too(qtbot, page, odoo_sim):
    page.auth.setCurrentIndex(page.auth.findData("api_key"))
    fill(page, odoo_sim.url, "grading", secret=odoo_sim.admin_api_key)
    assert run_check(qtbot, page).startswith("Connected: Odoo 18.0")


def test_wrong_password_is_named(qtbot, page, odoo_sim):
    fill(page, odoo_sim.url, "grading", secret="not-the-password")
    assert run_check(qtbot, page) == ("Odoo refused the login 'admin' with this password. "
                                      "Check both in the settings.")
    assert page.result.property("state") == "error"


def test_wrong_database_is_named(qtbot, page, odoo_sim):
    fill(page, odoo_sim.url, "grading_typo")
    expected = f"There is no database 'grading_typo' on the Odoo server at {odoo_sim.url}."
    assert run_check(qtbot, page) == expected


def test_missing_inventory_rights_are_named(qtbot, page, odoo_sim):
    admin = OdooConnection(OdooSettings(odoo_sim.url, "grading", "admin", "admin", timeout=5))
    create_user(admin, "clerk", "clerk-pass-1", inventory=False)
    fill(page, odoo_sim.url, "grading", "clerk", "clerk-pass-1")
    assert run_check(qtbot, page).startswith("The Odoo user 'clerk' has no Inventory rights.")


def test_prepare_odoo_shows_its_report_and_is_idempotent(qtbot, page, odoo_sim):
    fill(page, odoo_sim.url, "grading")
    page.prepare_button.click()
    qtbot.wait_until(lambda: page.prepare_button.isEnabled(), timeout=10_000)
    assert page.result.text() == "Odoo is prepared."
    assert page.report.isVisibleTo(page) and "Created: " in page.report.toPlainText()
    page.prepare_button.click()
    qtbot.wait_until(lambda: page.prepare_button.isEnabled(), timeout=10_000)
    assert page.report.toPlainText().startswith("Nothing to create: Odoo was already prepared.")


@pytest.mark.parametrize(
    ("url", "warned"),
    [
        ("http://odoo.lan:8069", True),
        ("http://192.168.1.20:8069", True),
        ("HTTP://erp.example.com", True),
        ("https://erp.example.com", False),
        ("http://127.0.0.1:8069", False),
        ("http://localhost:8069", False),
        ("http://[::1]:8069", False),
        ("odoo.example.com", False),
        ("http://[not an address", False),
    ],
)
def test_plain_http_to_another_computer_is_warned_while_typed(qtbot, page, url, warned):
    page.editors["odoo.url"].widget.setText(url)
    assert page.insecure_warning.isVisibleTo(page) is warned
    assert page.insecure_warning.property("state") == "warn"
    page.editors["odoo.url"].widget.setText("https://erp.example.com")
    assert not page.insecure_warning.isVisibleTo(page)


def test_plain_http_to_another_computer_is_refused_without_the_setting(qtbot, page):
    fill(page, "http://192.0.2.10:8069")  # TEST-NET: nothing may be sent there at all
    text = run_check(qtbot, page)
    assert text.startswith("The Odoo address http://192.0.2.10:8069 uses plain http://: the password would "
                           "cross the network unencrypted.")
    assert "tick “Allow unencrypted http://” in Settings › Odoo" in text
    assert page.result.property("state") == "error"


def test_the_page_passes_the_users_confirmation_on(qtbot, page):
    fill(page, "http://odoo.lan:8069")
    assert page.odoo_settings().allow_insecure_http is False
    page.editors["odoo.allow_insecure_http"].widget.setChecked(True)
    assert page.odoo_settings().allow_insecure_http is True
    page.save()
    assert page.context.config.get("odoo.allow_insecure_http") is True
