"""The app's client from settings: usable before Back Market is set up (calls say so), reconfigured later."""

from __future__ import annotations

import pytest

from grading_station.backmarket.errors import BackMarketError, Failure
from grading_station.backmarket.factory import client_from_config, reconfigure

from grading_station.services.listing_outbox import as_remote_error

from grading_station import __version__
from grading_station.config import Config
from grading_station.errors import RemoteRefused
from grading_station.secrets import LogMask, MemoryKeyring, Secret, SecretStore


@pytest.fixture
def config_and_secrets(paths):
    mask = LogMask()
    yield Config.load(paths.config_file), SecretStore(MemoryKeyring(), mask)
    mask.uninstall()


def test_not_set_up_then_configured(config_and_secrets, bm_sim, paths):
    config, secrets = config_and_secrets
    client = client_from_config(config, secrets, budget_path=paths.data_dir / "bm-budget.json")
    with pytest.raises(BackMarketError) as caught:
        client.list_listings()
    assert caught.value.failure is Failure.SETUP and "company name" in caught.value.user_message
    assert isinstance(as_remote_error(caught.value), RemoteRefused)  # waits for a person, not retried
    assert bm_sim.received == []
    config.set("backmarket.base_url", bm_sim.url)
    config.set("backmarket.company", "Acme")
    config.set("backmarket.contact_email", "ops@acme.test")
    assert reconfigure(client, config, secrets) == "no API token entered"
    secrets.set(Secret.BACKMARKET_TOKEN, "sim-token")
    assert reconfigure(client, config, secrets) == ""
    assert client.list_listings().count == 0
    assert bm_sim.received[-1].headers["User-Agent"] == f"BM-Acme-GradingStation_v{__version__};ops@acme.test"
