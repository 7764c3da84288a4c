"""Replays the ten recorded Odoo 18 transcripts against one simulator over HTTP, exchange by exchange.

All ten files were recorded in order on one fresh database, so they are replayed in order on one simulator:
each test replays every earlier exchange first (once, cached), so a single test id also runs on its own.

Normalised, and nothing else (each narrowly, see `_normalise`):
* `error.data.debug` (a traceback trimmed to its last line in the recordings);
* timestamps `YYYY-MM-DD HH:MM:SS[.ffffff]` inside values (the recording machine's clock);
* cookie values (redacted in the recordings) and the `Expires=` date of cookie attributes;
* `web.base.url` in session info (the recorded server listened on port 8070, the simulator on a free port);
* the 404 page body, which the recorder itself truncated: checked for being Odoo's HTML 404 page;
* odoorpc's full `fields_get` answers, which the recordings trimmed to a few fields: those fields are compared
  in full, and the other field names must be exactly the `trimmed_field_names`.
In requests, `<redacted>` stands for the admin API key and is replaced by the simulator's key; a redacted
session cookie is replaced by the last session cookie the simulator set (a forged one when the note says so,
the destroyed one when it says so). The client's 61 s sleep in 10 becomes `advance_clock(61)`.
"""

from __future__ import annotations

import http.client
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from grading_station.sim.odoo import OdooSimulator

# A verbatim copy of the recordings (odoo/transcripts/ of the shared reference material).
TRANSCRIPTS = Path(__file__).parent / "odoo_transcripts"
_FILES = sorted(TRANSCRIPTS.glob("*.json"))
_STAMP = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{6})?")
_EXPIRES = re.compile(r"Expires=[^;]+")


def _exchanges() -> list[tuple[str, int]]:
    out = []
    for path in _FILES:
        for index, exchange in enumerate(json.loads(path.read_text())["exchanges"]):
            if exchange["request"] is not None:
                out.append((path.name, index))
    return out


@dataclass
class Reply:
    status: int
    content_type: str | None
    cookies: list[tuple[str, str, str]]
    body: Any


@dataclass
class Replayer:
    """Sends the recorded requests in order and keeps the simulator's answers."""

    sim: OdooSimulator
    replies: dict[tuple[str, int], Reply] = field(default_factory=dict)
    order: list[tuple[str, int]] = field(default_factory=list)
    session_cookie: str | None = None
    destroyed_cookie: str | None = None

    def __post_init__(self) -> None:
        self.data = {p.name: json.loads(p.read_text()) for p in _FILES}
        for path in _FILES:
            for index in range(len(self.data[path.name]["exchanges"])):
                self.order.append((path.name, index))
        self.position = 0

    def reply(self, key: tuple[str, int]) -> Reply:
        while key not in self.replies:
            name, index = self.order[self.position]
            self.position += 1
            exchange = self.data[name]["exchanges"][index]
            if exchange["request"] is None:
                if "slept 61 s" in (exchange.get("note") or ""):
                    self.sim.advance_clock(61)
                continue
            self.replies[(name, index)] = self._send(exchange)
        return self.replies[key]

    def _send(self, exchange: dict[str, Any]) -> Reply:
        request = exchange["request"]
        note = exchange.get("note") or ""
        headers = {}
        if request["headers"].get("Content-Type"):
            headers["Content-Type"] = request["headers"]["Content-Type"]
        cookies = request["headers"].get("Cookie") or []
        if any(c.startswith("session_id=") for c in cookies):
            if "forged" in note:
                sid = "forged0000000000000000000000000000000000"
            elif "destroyed" in note:
                sid = self.destroyed_cookie or ""
            else:
                sid = self.session_cookie or ""
            headers["Cookie"] = f"session_id={sid}"
            if request["path"] == "/web/session/destroy":
                self.destroyed_cookie = sid
        body = request["body"]
        if isinstance(body, str):
            payload = body.encode()
        elif body is None:
            payload = b""
        else:
            payload = json.dumps(_unredact(body, self.sim.admin_api_key)).encode()
        conn = http.client.HTTPConnection(self.sim.host, self.sim.port, timeout=10)
        try:
            conn.request(request["method"], request["path"], body=payload or None, headers=headers)
            response = conn.getresponse()
            raw = response.read()
            set_cookies = response.headers.get_all("Set-Cookie") or []
            ctype = response.headers.get("Content-Type")
        finally:
            conn.close()
        parsed = []
        for cookie in set_cookies:
            name_value, _, attributes = cookie.partition("; ")
            name, _, value = name_value.partition("=")
            parsed.append((name, value, attributes))
            if name == "session_id":
                self.session_cookie = value
        text = raw.decode()
        body_out: Any = json.loads(text) if ctype and ctype.startswith("application/json") else text
        return Reply(response.status, ctype, parsed, body_out)


def _unredact(value: Any, key: str) -> Any:
    if value == "<redacted>":
        return key
    if isinstance(value, list):
        return [_unredact(v, key) for v in value]
    if isinstance(value, dict):
        return {k: _unredact(v, key) for k, v in value.items()}
    return value


def _normalise(value: Any) -> Any:
    if isinstance(value, str):
        return _STAMP.sub("<datetime>", value)
    if isinstance(value, list):
        return [_normalise(v) for v in value]
    if isinstance(value, dict):
        out = {k: _normalise(v) for k, v in value.items()}
        if "web.base.url" in out:
            out["web.base.url"] = "<base url>"
        if isinstance(out.get("data"), dict) and "debug" in out["data"]:
            out["data"]["debug"] = "<traceback>"
        return out
    return value


@pytest.fixture(scope="module")
def replayer() -> Iterator[Replayer]:
    sim = OdooSimulator("grading", listed_dbs=("grading_clean", "grading_probe")).start(port=0)
    try:
        yield Replayer(sim)
    finally:
        sim.stop()


@pytest.mark.parametrize(
    ("transcript", "index"), _exchanges(), ids=[f"{n[:2]}-{i:02d}" for n, i in _exchanges()]
)
def test_exchange_matches_recording(replayer: Replayer, transcript: str, index: int) -> None:
    exchange = replayer.data[transcript]["exchanges"][index]
    recorded = exchange["response"]
    reply = replayer.reply((transcript, index))
    assert reply.status == recorded["status"], exchange["note"]
    assert reply.content_type == recorded["headers"]["Content-Type"]
    expected_cookies = [
        (c["name"], _EXPIRES.sub("Expires=<date>", c["attributes"]))
        for c in recorded["headers"].get("Set-Cookie") or []
    ]
    actual_cookies = [(name, _EXPIRES.sub("Expires=<date>", attrs)) for name, _value, attrs in reply.cookies]
    assert actual_cookies == expected_cookies
    body = recorded["body"]
    if isinstance(body, str):
        if recorded["status"] == 404:
            assert reply.body.startswith("<!DOCTYPE html>") and "Error 404" in reply.body
        else:
            assert reply.body == body
        return
    actual = reply.body
    if "trimmed_field_names" in exchange:
        result = actual["result"]
        kept = set(body["result"])
        assert set(result) == kept | set(exchange["trimmed_field_names"])
        actual = {**actual, "result": {k: v for k, v in result.items() if k in kept}}
    assert _normalise(actual) == _normalise(body)
