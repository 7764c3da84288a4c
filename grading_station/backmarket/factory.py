"""Builds the Back Market client from settings and a token (app.py, the settings page's connection test)."""

from __future__ import annotations

from pathlib import Path

import httpx

from grading_station.backmarket.budget import ListingBudget
from grading_station.backmarket.client import BackMarketClient
from grading_station.backmarket.errors import BackMarketError, Failure
from grading_station.backmarket.limiter import RateLimiter
from grading_station.backmarket.regions import BackMarketSettings, settings_from
from grading_station.backmarket.transport import Transport, make_http

from grading_station.config import Config
from grading_station.errors import KnownError
from grading_station.secrets import Secret, SecretStore

_PLACEHOLDER = BackMarketSettings(
    "https://www.backmarket.fr", ("fr-fr",), "NotSetUp", "GradingStation", "x@x.x"
)


def build_client(
    settings: BackMarketSettings,
    token: str,
    *,
    budget_path: Path | None = None,
    timeout: float = 15.0,
    pause_after_429: float = 10.0,
    transport: httpx.BaseTransport | None = None,
) -> BackMarketClient:
    """One client for the whole app: one limiter (the edge counts every request of the token) and the
    persisted hourly SKU-lines budget at `budget_path` (Paths.data_dir / "backmarket-budget.json")."""
    limiter = RateLimiter(limit=180, window=10.0, pause_after_429=pause_after_429)
    http = make_http(settings, timeout=timeout, transport=transport)
    return BackMarketClient(Transport(http, token, settings, limiter), ListingBudget(budget_path))


def check_connection(settings: BackMarketSettings, token: str, timeout: float = 10.0) -> str:
    """Sign-in test for the settings page: a one-listing read; a sentence saying what was found, or
    BackMarketError in the user's words."""
    if not token:
        raise BackMarketError(Failure.AUTH, message="no token entered", operation="test connection")
    client = build_client(settings, token, timeout=timeout)
    try:
        page = client.list_listings(page=1, page_size=1)
    finally:
        client.transport.http.close()
    return f"Connected to Back Market ({settings.base_url}): {page.count} listings."


def unconfigured_client(*, budget_path: Path | None = None, timeout: float = 15.0) -> BackMarketClient:
    """The app's client before its settings and token are read (no keyring access: safe on the GUI thread);
    its calls fail with SETUP until `reconfigure`."""
    return build_client(_PLACEHOLDER, "", budget_path=budget_path, timeout=timeout)


def client_from_config(
    config: Config, secrets: SecretStore, *, budget_path: Path | None = None, timeout: float = 15.0
) -> BackMarketClient:
    """The app's client, built even when Back Market is not set up yet: its calls then fail with SETUP (shown
    on the outbox items) until `reconfigure` is called after the settings are saved. Reads the keyring: call
    it off the GUI thread."""
    client = unconfigured_client(budget_path=budget_path, timeout=timeout)
    reconfigure(client, config, secrets)
    return client


def reconfigure(client: BackMarketClient, config: Config, secrets: SecretStore) -> str:
    """Apply the saved settings and token to `client`; returns what is missing ("" when all is set)."""
    try:
        settings = settings_from(config)
        token = secrets.get(Secret.BACKMARKET_TOKEN)
    except KnownError as exc:
        client.transport.unconfigure(exc.user_message)
        return exc.user_message
    if not token:
        client.transport.unconfigure("no API token entered")
        return "no API token entered"
    client.transport.configure(settings, token)
    return ""
