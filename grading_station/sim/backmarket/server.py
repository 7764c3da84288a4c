"""Back Market's seller API on 127.0.0.1: edge (User-Agent, throttling), auth, faults, spec validation."""

from __future__ import annotations

import collections
import email.parser
import email.policy
import json
import re
import ssl
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from grading_station import log
from grading_station.sim.backmarket.catalogue import Catalogue, Refused, check_catalog
from grading_station.sim.backmarket.orders import OrderBook
from grading_station.sim.backmarket.routes import Routes, _v1
from grading_station.sim.backmarket.spec import (
    SpecRequest,
    SpecResponse,
    openapi,
    request_errors,
    response_errors,
)

_UA = re.compile(r"^BM-[^-;\s]+-[^;\s]+;[^@;\s]+@[^@;\s]+$")
_CLOUDFLARE_403 = b"<!DOCTYPE html><html><head><title>Attention Required! | Cloudflare</title></head></html>"
_CLOUDFLARE_429 = b"<!DOCTYPE html><html><head><title>Error 1015: You are being rate limited</title></head></html>"
FAULTS = (
    "server_error",
    "timeout",
    "timeout_after_apply",
    "gateway_timeout_after_apply",
    "malformed_json",
    "bot_challenge",
    "waf_html",
    "throttle",
    "tamper",
)


@dataclass
class Fault:
    """Answer the next `times` requests matching method/path prefix with `kind` instead of normally."""

    kind: str
    method: str | None = None
    path: str = "/ws/"
    times: int = 1
    patch: dict | None = None  # "tamper": fields replaced in the (otherwise normal) JSON answer


@dataclass
class Received:
    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes
    at: float = 0.0  # simulator clock when it arrived
    status: int = 0  # what the simulator answered


class BackMarketSimulator:
    """A Back Market seller API for the tests and `--demo`: `start(port=0)`, then `.url`.

    Hooks: `catalogue.add_product`, `catalogue.finish_queued_tasks`, `orders.place`, `inject(Fault)`, `latency`,
    `tokens`/`expire_token`.
    Every request is checked against openapi.yml: what does not conform is answered 400 and listed in
    `violations` (test fixtures fail on it). Answers are checked too, except those of the edge (Cloudflare:
    429, 403 WAF) and injected faults, which the spec does not describe.
    """

    def __init__(
        self,
        token: str = "sim-token",
        *,
        rate_limit: int = 200,
        window: float = 10.0,
        block_seconds: float = 10.0,
        sku_lines_per_hour: int = 2000,
        task_delay: float = 0.05,
        fault_delay: float = 1.0,
        clock=time.monotonic,
    ) -> None:
        self.tokens, self.latency = {token}, 0.0
        self.rate_limit, self.window, self.block_seconds = rate_limit, window, block_seconds
        self.sku_lines_per_hour, self.fault_delay, self._clock = sku_lines_per_hour, fault_delay, clock
        self.catalogue = Catalogue(task_delay=task_delay, clock=clock)
        self.orders = OrderBook(self.catalogue)
        self.routes = Routes(self.catalogue, self.orders, lambda: self.url)
        self.violations: list[str] = []
        self.received: list[Received] = []
        self.faults: list[Fault] = []
        self._times: collections.deque[float] = collections.deque()
        self._lines: list[tuple[float, int]] = []
        self._blocked_until = 0.0
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._scheme = "http"

    # --- lifecycle ---
    def start(self, port: int = 0, tls: ssl.SSLContext | None = None) -> BackMarketSimulator:
        """Serve on 127.0.0.1; with `tls` (a server context), over HTTPS with its certificate."""
        openapi()  # load and compile the spec now (~0.5 s once per process), not on the first request
        self._server = ThreadingHTTPServer(("127.0.0.1", port), _handler_for(self))
        self._scheme = "https" if tls else "http"
        if tls is not None:
            self._server.socket = tls.wrap_socket(self._server.socket, server_side=True)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, args=(0.05,), name="bm-sim", daemon=True).start()
        log.sim.info("Back Market simulator on %s", self.url)
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def url(self) -> str:
        assert self._server is not None, "start() the simulator first"
        return f"{self._scheme}://127.0.0.1:{self._server.server_address[1]}"

    # --- hooks ---
    def inject(self, fault: Fault) -> None:
        assert fault.kind in FAULTS, fault.kind
        with self._lock:
            self.faults.append(fault)

    def expire_token(self, token: str = "sim-token") -> None:
        self.tokens.discard(token)

    def count(self, method: str | None = None, path: str = "") -> int:
        return sum(
            1
            for r in list(self.received)
            if (method is None or r.method == method) and r.path.startswith(path)
        )

    # --- one request ---
    def _take_fault(self, method: str, path: str) -> Fault | None:
        with self._lock:
            for fault in self.faults:
                if (fault.method in (None, method)) and path.startswith(fault.path) and fault.times > 0:
                    fault.times -= 1
                    if fault.times == 0:
                        self.faults.remove(fault)
                    return fault
        return None

    def _throttled(self, method: str, path: str, body: object) -> str:
        """"edge" past Cloudflare's limit, "lines" past Back Market's hourly SKU-lines limit on listing
        writes, "" when the request may go on."""
        now = self._clock()
        with self._lock:
            while self._times and self._times[0] <= now - self.window:
                self._times.popleft()
            if now < self._blocked_until:
                return "edge"
            self._times.append(now)
            if len(self._times) > self.rate_limit:
                self._blocked_until = now + self.block_seconds
                return "edge"
            if method == "POST" and path.startswith("/ws/listings"):
                lines = 1
                if path == "/ws/listings" and isinstance(body, dict):
                    if not _well_formed(body):
                        return ""  # refused with a 400 before any line is processed
                    lines = max(str(body.get("catalog", "")).strip("\n").count("\n"), 1)  # not the header
                self._lines = [(t, n) for t, n in self._lines if t > now - 3600]
                if sum(n for _, n in self._lines) + lines > self.sku_lines_per_hour:
                    return "lines"
                self._lines.append((now, lines))
        return ""

    def handle(self, method: str, target: str, headers: dict[str, str], raw: bytes):
        """(status, content type, body bytes, validated?) for a request; the request is kept in `received`."""
        url = urlsplit(target)
        record = Received(method, url.path, url.query, headers, raw, at=self._clock())
        self.received.append(record)
        if len(self.received) > 100_000:  # a long --demo session: keep the recent half
            del self.received[:50_000]
        answer = self._answer(record)
        record.status = answer[0]
        return answer

    def _answer(self, record: Received):
        method, path, query, headers, raw = (
            record.method,
            record.path,
            record.query,
            record.headers,
            record.body,
        )
        if self.latency:
            time.sleep(self.latency)
        lower = {k.lower(): v for k, v in headers.items()}
        if not _UA.match(lower.get("user-agent", "")):
            return 403, "text/html", _CLOUDFLARE_403, False
        if lower.get("content-type", "").startswith("multipart/form-data"):
            body = parse_form(raw, lower["content-type"])
        else:
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = None
        throttled = self._throttled(method, path, body)
        if throttled == "edge":  # Cloudflare's own page, not Back Market's JSON (Guide §Traffic limitation)
            return 429, "text/html", _CLOUDFLARE_429, False
        if throttled:  # Guide §Data limitation: Back Market refuses the task (RateLimited, ErrorResponseV1)
            message = f"more than {self.sku_lines_per_hour} SKU lines this hour"
            return 429, "application/json", json.dumps(_v1("too_many_requests", message)).encode(), True
        fault = self._take_fault(method, path)
        if fault is not None and not fault.kind.endswith("_after_apply") and fault.kind != "tamper":
            return self._fault_reply(fault.kind)
        auth = lower.get("authorization", "")
        if not auth.startswith("Basic ") or auth[6:] not in self.tokens:
            return 401, "application/json", json.dumps(_v1("unauthenticated", "Invalid token")).encode(), True
        spec_request = SpecRequest(method.lower(), path, query, headers, raw, lower.get("content-type", ""))
        problem = request_errors(spec_request)
        if problem:
            self.violations.append(f"request {method} {path}: {problem}")
            log.sim.info("request violates openapi.yml: %s %s: %s", method, path, problem)
            return (
                400,
                "application/json",
                json.dumps(f"request does not match the API: {problem}").encode(),
                False,
            )
        market = lower.get("accept-language", "fr-fr")
        status, payload = self.routes.dispatch(method, path, query, market, body)
        data = b"" if payload is None else json.dumps(payload).encode()
        content_type = "application/json" if payload is not None else "text/plain"
        problem = response_errors(spec_request, SpecResponse(status, data, content_type))
        if problem:
            self.violations.append(f"response {status} to {method} {path}: {problem}")
        if fault is not None and fault.kind == "tamper" and isinstance(payload, dict):
            # Back Market's answer with odd values (quantity -1, price "Infinity"...); not checked against the spec
            return status, content_type, json.dumps({**payload, **(fault.patch or {})}).encode(), False
        if fault is not None and fault.kind == "gateway_timeout_after_apply":  # applied; the edge gave up
            return 504, "text/html", b"<html>504 Gateway Time-out</html>", False
        if fault is not None and fault.kind != "tamper":  # applied; the answer is late (the client gives up)
            time.sleep(self.fault_delay)
        return status, content_type, data, True

    def _fault_reply(self, kind: str):
        if kind == "timeout":
            time.sleep(self.fault_delay)
            return 504, "text/html", b"<html>gateway timeout</html>", False
        return {
            "server_error": (503, "text/html", b"<html>503 Service Unavailable</html>", False),
            "malformed_json": (200, "application/json", b'{"count": 1, "results": [', False),
            "bot_challenge": (
                403,
                "application/json",
                json.dumps(
                    {
                        "errors": [
                            {
                                "code": "bot-need-challenge",
                                "message": "Forbidden",
                                "challengePath": "/cdn-cgi/challenge",
                            }
                        ]
                    }
                ).encode(),
                False,
            ),
            "waf_html": (403, "text/html", _CLOUDFLARE_403, False),
            "throttle": (429, "text/html", _CLOUDFLARE_429, False),
        }[kind]


def _well_formed(body: dict) -> bool:
    try:
        check_catalog(*(str(body.get(k, "")) for k in ("catalog", "delimiter", "quotechar", "encoding")))
    except Refused:
        return False
    return True


def parse_form(raw: bytes, content_type: str) -> dict:
    """A multipart/form-data body -> {"message": text, "attachment": [(filename, bytes), ...]} (repeated fields)."""
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + raw)
    form: dict = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        filename = part.get_filename()
        data = part.get_payload(decode=True) or b""
        if filename is not None:
            form.setdefault(name, []).append((filename, data))
        else:
            form[name] = data.decode("utf-8", "replace")
    return form


def _handler_for(sim: BackMarketSimulator) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body are two writes: avoid a 40 ms delayed-ACK stall

        def _serve(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            status, content_type, data, _ = sim.handle(
                self.command, self.path, dict(self.headers.items()), raw
            )
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("cf-ray", "8f00000000000000-CDG")
            self.end_headers()
            try:
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client timed out and left: that was the point of the fault

        do_GET = do_POST = do_PATCH = _serve

        def log_message(self, format: str, *args) -> None:
            log.sim.debug("bm-sim " + format, *args)

    return Handler
