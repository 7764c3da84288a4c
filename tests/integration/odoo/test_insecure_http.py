"""Plain http:// to a remote Odoo: refused unless the user allowed it, then connected with a logged warning."""

from __future__ import annotations

import pytest

from grading_station.odoo import connection as connection_module
from grading_station.odoo.connection import OdooConnection, OdooSettings, is_insecure_remote

from grading_station.errors import InputError


@pytest.mark.parametrize(
    ("url", "insecure"),
    [("http://odoo.lan", True), ("http://10.0.0.5:8069", True), ("http://[2001:db8::1]:8069", True),
     ("https://odoo.lan", False), ("http://127.0.0.1:8069", False), ("http://127.8.0.1", False),
     ("http://localhost", False), ("http://odoo.localhost", False), ("http://[::1]", False), ("", False),
     ("ftp://odoo.lan", False), ("http://", False), ("http://[::1", False)],
)
def test_is_insecure_remote(url, insecure):
    assert is_insecure_remote(url) is insecure


@pytest.fixture
def sim_seen_as_remote(monkeypatch):
    """The simulator listens on 127.0.0.1: make the check see it as another computer."""
    monkeypatch.setattr(connection_module, "_is_loopback", lambda host: False)


def test_refused_before_anything_is_sent(odoo_sim, sim_seen_as_remote):
    connection = OdooConnection(OdooSettings(odoo_sim.url, "grading", "admin", "admin", timeout=5))
    with pytest.raises(InputError, match=r"uses plain http://: the password would cross the network unencrypted"):
        connection.ensure_connected()
    assert connection.rpc_count == 0


def test_allowed_by_the_user_it_connects_with_a_warning(odoo_sim, sim_seen_as_remote, expected_logs):
    expected_logs.expect("grading_station.odoo", r"over plain http: the password and the data cross the network")
    settings = OdooSettings(odoo_sim.url, "grading", "admin", "admin", timeout=5, allow_insecure_http=True)
    connection = OdooConnection(settings)
    connection.ensure_connected()
    assert connection.uid > 0


def test_loopback_needs_no_confirmation(odoo_sim, caplog):
    connection = OdooConnection(OdooSettings(odoo_sim.url, "grading", "admin", "admin", timeout=5))
    connection.ensure_connected()
    assert not [r for r in caplog.records if "plain http" in r.getMessage()]


def test_is_insecure_remote_never_fails_on_anything_typed():
    # The Settings page runs it on every keystroke: half-typed and garbage addresses must never raise.
    import random

    rng = random.Random(9)
    pieces = ["http", "https", "HTTP", "://", ":", "/", "[", "]", "::1", "127.0.0.1", "localhost", "odoo.lan",
              "@", "%", "#", "?", " ", "8069", "999999", "\x00", "é", "user:pw@", "[::ffff:127.0.0.1]", ""]
    for _ in range(500):
        url = "".join(rng.choice(pieces) for _ in range(rng.randrange(1, 8)))
        result = is_insecure_remote(url)
        assert isinstance(result, bool)
        if result:
            assert url.strip().lower().startswith("http://")
