"""The HTTP face of the simulator: Odoo's JSON routes, cookies, and its non-JSON 400/404 answers."""

from __future__ import annotations

import email.utils
import json
import logging
import socket
import struct
import time
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any

from grading_station.sim.odoo.errors import OdooError
from grading_station.sim.odoo.service import VERSION_INFO, Session

if TYPE_CHECKING:
    from grading_station.sim.odoo.simulator import OdooSimulator

_log = logging.getLogger("grading_station.sim.odoo")

JSON_TYPE = "application/json; charset=utf-8"
HTML_TYPE = "text/html; charset=utf-8"
_JSON_ROUTES = (
    "/jsonrpc",
    "/web/webclient/version_info",
    "/web/session/authenticate",
    "/web/session/get_session_info",
    "/web/session/destroy",
    "/web/dataset/call_kw",
)
_MAX_AGE = 604800


def _bad_request_page(path: str) -> str:
    return (
        "<!doctype html>\n<html lang=en>\n<title>400 Bad Request</title>\n<h1>Bad Request</h1>\n"
        f"<p>Request inferred type is compatible with [&#39;http&#39;] but &#39;{path}&#39; is "
        "type=&#39;json&#39;.</p>\n"
    )


_NOT_FOUND_PAGE = """<!DOCTYPE html>
<html>
    <head>
        <meta charset="utf-8"/>
        <title>Odoo</title>
    </head>
    <body>
        <div id="wrapwrap">
            <main>
                <h1 class="visually-hidden">Error 404</h1>
                <h2>We couldn't find the page you're looking for!</h2>
            </main>
        </div>
    </body>
</html>
"""


def _route(path: str) -> str | None:
    for route in _JSON_ROUTES:
        if path == route or (route == "/web/dataset/call_kw" and path.startswith(route + "/")):
            return route
    return None


class OdooHandler(BaseHTTPRequestHandler):
    """One HTTP exchange; the simulator (hooks, counters) is reached through `self.server.simulator`."""

    protocol_version = "HTTP/1.1"
    # Headers and body leave in one segment: no Nagle / delayed-ACK stall on keep-alive clients.
    disable_nagle_algorithm = True
    wbufsize = -1
    server_version = "Werkzeug/3.0.1"
    sys_version = "Python/3.12"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - silence stderr access logs
        return

    @property
    def sim(self) -> OdooSimulator:
        return self.server.simulator  # type: ignore[attr-defined]

    def do_GET(self) -> None:  # noqa: N802
        self._handle("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._handle("POST")

    def _handle(self, method: str) -> None:
        if self.sim.down:
            self._drop()
            return
        path = self.path.split("?", 1)[0]
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        route = _route(path)
        if route is None:
            self.sim.record_rpc(path, None, None)
            self._delay()
            self._send(404, "text/html;charset=utf-8", _NOT_FOUND_PAGE.encode(), self._not_found_cookies())
            return
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if method != "POST" or ctype not in ("application/json", "application/json-rpc"):
            self.sim.record_rpc(path, None, None)
            self._delay()
            self._send(400, HTML_TYPE, _bad_request_page(path).encode())
            return
        try:
            body = json.loads(raw or b"null")
        except ValueError:
            self._send(400, HTML_TYPE, b"Invalid JSON data")
            return
        if not isinstance(body, dict):
            self._send(400, HTML_TYPE, b"Invalid JSON-RPC data")
            return
        self._delay()
        self._json_route(route, body)

    def _delay(self) -> None:
        if self.sim.latency:
            time.sleep(self.sim.latency)

    def _drop(self) -> None:
        # Reset the connection (SO_LINGER 0): the client sees the server go away mid-request.
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
        self.close_connection = True

    def _session_from_cookie(self) -> Session | None:
        cookie = SimpleCookie(self.headers.get("Cookie") or "")
        morsel = cookie.get("session_id")
        return self.sim.service.session(morsel.value if morsel else None)

    def _json_route(self, route: str, body: dict[str, Any]) -> None:
        rid = body.get("id")
        params = body.get("params") or {}
        service = self.sim.service
        session = self._session_from_cookie()
        cookies: list[str] = []
        result: Any = None
        try:
            # One request at a time touches the database (Odoo would serialise conflicting transactions).
            with service.db.lock:
                if route == "/jsonrpc":
                    self.sim.record_rpc(route, *_jsonrpc_key(params))
                    result = service.jsonrpc(params)
                elif route == "/web/webclient/version_info":
                    self.sim.record_rpc(route, None, None)
                    if session is None:
                        session = service.new_session()
                    result = dict(VERSION_INFO)
                    cookies = [self._session_cookie(session)]
                elif route == "/web/session/authenticate":
                    self.sim.record_rpc(route, None, None)
                    if session is None:
                        session = service.new_session()
                    result = service.web_authenticate(session, params, self.client_address[0])
                    cookies = [self._session_cookie(session)]
                elif route == "/web/session/get_session_info":
                    self.sim.record_rpc(route, None, None)
                    result = service.get_session_info(session)
                    cookies = [self._session_cookie(session)]
                elif route == "/web/session/destroy":
                    self.sim.record_rpc(route, None, None)
                    service.destroy(session)
                    fresh = service.new_session()
                    cookies = [f"cids=; Expires={_expires()}; Max-Age=0; Path=/", self._session_cookie(fresh)]
                else:
                    self.sim.record_rpc(route, params.get("model"), params.get("method"))
                    result = service.call_kw(session, params)
                    cookies = [self._session_cookie(session)]
        except Exception as exc:  # noqa: BLE001 - Odoo answers every server-side exception with an envelope
            if not isinstance(exc, OdooError):
                # Not an error Odoo would raise here: a simulator bug, reported loudly (tests fail on it).
                _log.error("simulator bug on %s: %r", route, exc, exc_info=exc)
                exc = OdooError(f"builtins.{type(exc).__name__}", str(exc))
            envelope = {
                "jsonrpc": "2.0",
                "id": None if exc.code == 100 else rid,
                "error": exc.envelope_error(),
            }
            self._send(200, JSON_TYPE, json.dumps(envelope).encode())
            return
        envelope = {"jsonrpc": "2.0", "id": rid}
        if result is not None:
            envelope["result"] = result
        self._send(200, JSON_TYPE, json.dumps(envelope).encode(), cookies)

    @staticmethod
    def _session_cookie(session: Session | None) -> str:
        sid = session.sid if session else ""
        return f"session_id={sid}; Expires={_expires()}; Max-Age={_MAX_AGE}; HttpOnly; Path=/"

    def _not_found_cookies(self) -> list[str]:
        session = self._session_from_cookie() or self.sim.service.new_session()
        lang = f"frontend_lang=en_US; Expires={_expires()}; Path=/"
        return [lang, self._session_cookie(session)] * 2

    def _send(self, status: int, ctype: str, payload: bytes, cookies: list[str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(payload)))
        for cookie in cookies or []:
            self.send_header("Set-Cookie", cookie)
        self.end_headers()
        self.wfile.write(payload)
        self.wfile.flush()


def _jsonrpc_key(params: dict[str, Any]) -> tuple[str | None, str | None]:
    service, method, args = params.get("service"), params.get("method"), params.get("args") or []
    if service == "object" and method in ("execute", "execute_kw") and len(args) >= 5:
        return str(args[3]), str(args[4])
    return (str(service) if service else None), (str(method) if method else None)


def _expires() -> str:
    return email.utils.formatdate(time.time() + 365 * 86400, usegmt=True)
