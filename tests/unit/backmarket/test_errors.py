"""Every documented error generation parses into one BackMarketError with the request id and cf-ray."""

from __future__ import annotations

import json

import httpx
import pytest

from grading_station.backmarket.errors import Failure, error_from_response, parse_error_body

BOT = {"errors": [{"code": "bot-need-challenge", "message": "Forbidden", "challengePath": "/cdn-cgi/x"}]}


@pytest.mark.parametrize(
    "body, expected",
    [
        ('"parameter catalog not found"', ("", "parameter catalog not found", "", False)),
        (
            json.dumps({"error": {"code": "E1", "message": "bad sku"}, "requestId": "r-1"}),
            ("E1", "bad sku", "r-1", False),
        ),
        (
            json.dumps(
                {
                    "errors": [{"code": "E2", "message": "first"}, {"code": "E3", "message": "x"}],
                    "requestId": "r-2",
                }
            ),
            ("E2", "first", "r-2", False),
        ),
        (
            json.dumps(
                {
                    "error": {"code": "E4", "message": "v3"},
                    "status": 400,
                    "title": "Bad",
                    "type": "/errors/x",
                    "requestId": "r-3",
                }
            ),
            ("E4", "v3", "r-3", False),
        ),
        (
            json.dumps(
                {
                    "type": "/errors/validation",
                    "title": "Invalid",
                    "status": 422,
                    "detail": "price too low",
                    "errors": [{"type": "t", "title": "x", "target": "price", "detail": "min 10"}],
                }
            ),
            ("/errors/validation", "price too low (price: min 10)", "", False),
        ),
        (
            json.dumps(
                {"error": {"code": "E009", "message": "Invalid"}, "data": {"fields": {"order_id": ["bad"]}}}
            ),
            ("E009", "Invalid (order_id: bad)", "", False),
        ),
        (json.dumps(BOT), ("bot-need-challenge", "Forbidden", "", True)),
        (
            "<html>Attention Required! | Cloudflare</html>",
            ("", "<html>Attention Required! | Cloudflare</html>", "", False),
        ),
        ("", ("", "", "", False)),
    ],
)
def test_error_generations(body, expected):
    assert parse_error_body(body) == expected


def _response(status, body, content_type="application/json", **headers):
    return httpx.Response(
        status,
        content=body.encode(),
        headers={"content-type": content_type, **headers},
        request=httpx.Request("GET", "https://www.backmarket.fr/ws/listings"),
    )


@pytest.mark.parametrize(
    "status, body, content_type, failure, retryable",
    [
        (
            401,
            '{"error": {"code": "unauthenticated", "message": "Invalid token"}}',
            "application/json",
            Failure.AUTH,
            False,
        ),
        (403, json.dumps(BOT), "application/json", Failure.BOT_CHALLENGE, True),
        (403, "<html>cloudflare</html>", "text/html", Failure.BOT_CHALLENGE, True),
        (
            403,
            '{"error": {"code": "forbidden", "message": "channel disabled"}}',
            "application/json",
            Failure.FORBIDDEN,
            False,
        ),
        (
            404,
            '{"error": {"code": "nf", "message": "Listing not found"}}',
            "application/json",
            Failure.NOT_FOUND,
            False,
        ),
        (400, '"quantity must be >= 0"', "application/json", Failure.INVALID, False),
        (422, "", "text/plain", Failure.INVALID, False),
        (429, "<html>slow down</html>", "text/html", Failure.THROTTLED, True),
        (502, "<html>bad gateway</html>", "text/html", Failure.SERVER, True),
        (301, "", "text/html", Failure.MALFORMED, True),
    ],
)
def test_status_to_failure(status, body, content_type, failure, retryable):
    error = error_from_response(_response(status, body, content_type, **{"cf-ray": "abc-CDG"}), "op")
    assert (error.failure, error.retryable, error.cf_ray) == (failure, retryable, "abc-CDG")
    assert "cf-ray abc-CDG" in error.detail


def test_request_id_is_kept_for_support():
    error = error_from_response(
        _response(404, '{"error": {"code": "x", "message": "gone"}, "requestId": "q-9"}'), "get listing"
    )
    assert error.request_id == "q-9" and "requestId q-9" in error.detail and "gone" in error.user_message
