"""Odoo answers of the wrong shape, through the real client path (odoorpc over HTTP, via a proxy on
127.0.0.1): never a TypeError/KeyError, always "Odoo answered something unexpected" (retried), except Odoo's
own ValueError/TypeError, which is a bug (not retried). Issue 13 point 7: 237 of 800 fuzzed answers escaped."""

from __future__ import annotations

import random
import urllib.error

import pytest

from grading_station.odoo.connection import OdooConnection
from grading_station.odoo.errors import OdooBug, OdooUnexpectedAnswer, map_transport_error

from grading_station.errors import KnownError
from tests.integration.odoo.answer_proxy import AnswerProxy
from tests.integration.odoo.conftest import settings_for
from tests.integration.odoo.malformed import ANY, BUG, RETRY, malformed_answer

SEED, INPUTS = 20261202, 400
CALLS = [
    ("stock.lot", "search_read", [[["name", "=", "X"]]], {"fields": ["name", "product_id"], "limit": 1}),
    ("stock.lot", "create", [{"name": "FZ-1", "product_id": 1}], {}),
    ("stock.quant", "create", [[{"quantity": 1}, {"quantity": 0}]], {}),
    ("product.product", "search", [[["default_code", "!=", False]]], {}),
    ("stock.lot", "search_count", [[]], {}),
    ("stock.lot", "read", [[1], ["name", "lot_properties"]], {}),
    ("stock.quant", "read_group", [[], ["quantity:sum"], ["product_id"]], {"lazy": False}),
    ("stock.lot", "write", [[1], {"name": "x"}], {}),
    ("stock.lot", "message_post", [[1]], {"body": "x"}),
]


@pytest.fixture
def proxied(odoo_sim):
    proxy = AnswerProxy(odoo_sim.url)
    settings = settings_for(odoo_sim)
    conn = OdooConnection(type(settings)(**{**settings.__dict__, "url": proxy.url}))
    conn.ensure_connected()
    yield proxy, conn
    conn.close()
    proxy.close()


def test_malformed_answers_are_known_errors_never_crashes(proxied):
    proxy, conn = proxied
    rng = random.Random(SEED)
    escaped, seen = [], {RETRY: 0, BUG: 0, ANY: 0}
    for n in range(INPUTS):
        answer = malformed_answer(rng)
        model, method, args, kwargs = CALLS[n % len(CALLS)]
        seen[answer.expect] += 1
        proxy.answer_next(answer.body)
        try:
            conn.call(model, method, args, kwargs, what="fuzz")
        except KnownError as exc:
            if answer.expect == BUG:
                ok = isinstance(exc, OdooBug) and not exc.retryable
            elif answer.expect == RETRY:
                ok = exc.retryable
            else:
                ok = isinstance(exc, OdooUnexpectedAnswer) and exc.retryable
            if not ok:
                escaped.append((answer.label, method, type(exc).__name__, exc.user_message))
        except Exception as exc:  # noqa: BLE001 (what the test looks for)
            escaped.append((answer.label, method, type(exc).__name__, str(exc)))
        else:
            assert answer.expect == ANY, (answer.label, method)
    assert escaped == []
    assert all(seen.values())  # every kind of answer was tried


@pytest.mark.parametrize("body", [
    b'{"jsonrpc": "2.0", "id": 1, "error": {"code": 200, "message": "Odoo Server Error"}}',
    b"[]",
    b'{"jsonrpc": "2.0", "id": 1, "error": {"code": 200, "message": ["a"], "data": {"name": "x", "message": ["b"]}}}',
])
def test_the_campaign_answers_read_as_odoo_answered_something_unexpected(proxied, body):
    proxy, conn = proxied
    proxy.answer_next(body)
    with pytest.raises(OdooUnexpectedAnswer) as caught:
        conn.call("stock.lot", "search_read", [[]], {"fields": ["name"]}, what="find the unit")
    assert caught.value.user_message == ("Odoo answered something unexpected while trying to find the unit; "
                                         "it will be tried again.")


def test_create_answering_a_string_is_unexpected_not_a_type_error(proxied):
    proxy, conn = proxied
    proxy.answer_next(b'{"jsonrpc": "2.0", "id": 1, "result": "42"}')
    with pytest.raises(OdooUnexpectedAnswer):
        conn.call("stock.lot", "create", [{"name": "X"}], what="create the lot")


def test_odoo_value_error_is_a_bug_with_its_server_traceback(proxied):
    proxy, conn = proxied
    proxy.answer_next(b'{"jsonrpc": "2.0", "id": 1, "error": {"code": 200, "message": "Odoo Server Error", '
                      b'"data": {"name": "builtins.ValueError", "message": "Invalid field \'x\'", '
                      b'"debug": "Traceback ... ValueError: Invalid field"}}}')
    with pytest.raises(OdooBug) as caught:
        conn.call("stock.lot", "search_read", [[]], {"fields": ["x"]}, what="find the unit")
    assert not caught.value.retryable and "Traceback" in caught.value.detail


def test_arguments_json_cannot_carry_stay_our_bug(proxied):
    _proxy, conn = proxied
    with pytest.raises(TypeError):
        conn.call("stock.lot", "search_read", [[["name", "=", object()]]], {})


def test_a_server_error_page_is_worded_without_its_http_code_which_stays_in_the_detail():
    error = urllib.error.HTTPError("http://odoo:8069/jsonrpc", 502, "Bad Gateway", None, None)  # type: ignore[arg-type]
    mapped = map_transport_error(error, "http://odoo:8069")
    assert "502" not in mapped.user_message and "502" in mapped.detail and mapped.retryable
