"""Back Market settings page: checked User-Agent parts and markets, the token in the keyring, a live test."""

from __future__ import annotations

import pytest

from grading_station.backmarket.factory import check_connection

from grading_station.ui.listing.settings_page import BackMarketPage
from grading_station.ui.settings.pages import SettingsContext

from grading_station import __version__
from grading_station.config import Config
from grading_station.errors import InputError
from grading_station.secrets import LogMask, MemoryKeyring, Secret, SecretStore


@pytest.fixture
def page(qtbot, paths):
    mask = LogMask()
    context = SettingsContext(
        Config.load(paths.config_file),
        SecretStore(MemoryKeyring(), mask),
        services={"backmarket.check": check_connection},
    )
    widget = BackMarketPage(context)
    qtbot.add_widget(widget)
    widget.load()
    qtbot.wait_until(lambda: widget._token_read)
    yield widget
    mask.uninstall()


def fill(page, company="Acme", email="ops@acme.test", markets="fr-fr\nde-de", token="sim-token"):
    page.editors["backmarket.company"].widget.setText(company)
    page.editors["backmarket.contact_email"].widget.setText(email)
    page.editors["backmarket.markets"].widget.setPlainText(markets)
    page.token.setText(token)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"company": ""}, "company name"),
        ({"company": "Acme-Refurb"}, "company name"),
        ({"email": "nobody"}, "e-mail"),
        ({"markets": "en-us"}, "does not serve en-us"),
    ],
)
def test_wrong_fields_are_named(page, kwargs, message):
    fill(page, **kwargs)
    with pytest.raises(InputError, match=message):
        page.save()


def test_an_untouched_page_does_not_block_saving_the_others(page):
    assert page.save() is not None  # Back Market not set up yet: nothing to check, an empty token to keep


def test_save_keeps_the_token_in_the_keyring_and_the_rest_in_settings(page):
    fill(page)
    write = page.save()
    write()
    assert page.context.secrets.get(Secret.BACKMARKET_TOKEN) == "sim-token"
    assert page.context.config.get("backmarket.markets") == ["fr-fr", "de-de"]
    assert page.settings().user_agent == f"BM-Acme-GradingStation_v{__version__};ops@acme.test"


def test_connection_test_against_the_simulator(qtbot, page, bm_sim):
    page.context.config.set("backmarket.base_url", bm_sim.url)
    fill(page)
    page.test_button.click()
    qtbot.wait_until(lambda: page.test_button.isEnabled(), timeout=10_000)
    assert page.result.text() == f"Connected to Back Market ({bm_sim.url}): 0 listings."
    fill(page, token="wrong")
    page.test_button.click()
    qtbot.wait_until(lambda: page.test_button.isEnabled(), timeout=10_000)
    assert "refused the API token" in page.result.text()
