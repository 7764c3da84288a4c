"""Which failed writes may have landed (read back before retrying) and which certainly did not."""

from __future__ import annotations

import httpx
import pytest

from grading_station.backmarket.errors import BackMarketError
from grading_station.backmarket.limiter import RateLimiter
from grading_station.backmarket.transport import Transport, make_http

from tests.helpers.bm_sim import bm_settings


def transport_answering(handler) -> Transport:
    settings = bm_settings("https://bm.test")
    http = make_http(settings, timeout=1.0, transport=httpx.MockTransport(handler))
    return Transport(http, "token", settings, RateLimiter(limit=1000, window=10.0, pause_after_429=0))


def fail_with(outcome):
    def handler(request: httpx.Request) -> httpx.Response:
        if isinstance(outcome, type) and issubclass(outcome, Exception):
            raise outcome("boom", request=request)
        return httpx.Response(outcome, text="edge error")

    return handler


@pytest.mark.parametrize(
    ("method", "outcome", "maybe"),
    [
        ("POST", httpx.ReadTimeout, True),
        ("POST", httpx.ReadError, True),  # the answer was lost, not the request
        ("POST", httpx.RemoteProtocolError, True),
        ("POST", httpx.ConnectError, False),  # never sent
        ("POST", 504, True),
        ("POST", 502, True),
        ("POST", 524, True),
        ("POST", 521, False),  # Cloudflare: the origin was never reached
        ("POST", 500, False),
        ("GET", httpx.ReadError, False),  # a read is simply retried
    ],
)
def test_which_failures_may_have_applied_a_write(method, outcome, maybe):
    transport = transport_answering(fail_with(outcome))
    with pytest.raises(BackMarketError) as caught:
        transport.call("update listing", method, "https://bm.test/ws/listings/x", body={"quantity": 1} if
                       method == "POST" else None)
    assert bool(getattr(caught.value, "maybe_applied", False)) is maybe
