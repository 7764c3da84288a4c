"""A tiny HTTP proxy on 127.0.0.1 in front of the Odoo simulator that can replace the answer to the next
ORM call (`execute_kw` over /jsonrpc) with any body: malformed answers through the real client path."""

from __future__ import annotations

import http.client
import json
import threading
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse


class AnswerProxy:
    """`answer_next(body, after=n)`: the (n+1)-th ORM call from now gets `body` (bytes) instead of Odoo's
    answer, and Odoo never sees that request. `orm_calls` counts ORM calls that went through."""

    def __init__(self, target_url: str) -> None:
        target = urlparse(target_url)
        self._target = (target.hostname, target.port)
        self._planned: deque[tuple[int, bytes]] = deque()
        self._lock = threading.Lock()
        self.orm_calls = 0
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                return

            def do_POST(self) -> None:  # noqa: N802
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                planned = proxy._take(raw)
                if planned is not None:
                    self._reply(200, [("Content-Type", "application/json")], planned)
                    return
                conn = http.client.HTTPConnection(*proxy._target, timeout=10)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
                conn.request("POST", self.path, raw, headers)
                answer = conn.getresponse()
                body = answer.read()
                kept = [(k, v) for k, v in answer.getheaders()
                        if k.lower() not in ("content-length", "connection", "transfer-encoding")]
                conn.close()
                self._reply(answer.status, kept, body)

            do_GET = do_POST  # noqa: N815

            def _reply(self, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
                self.send_response(status)
                for key, value in headers:
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def answer_next(self, body: bytes, after: int = 0) -> None:
        with self._lock:
            self._planned.append((self.orm_calls + after, body))

    def clear(self) -> None:
        with self._lock:
            self._planned.clear()

    def _take(self, raw: bytes) -> bytes | None:
        try:
            params = json.loads(raw).get("params") or {}
        except (ValueError, AttributeError):
            return None
        if params.get("method") != "execute_kw":
            return None
        with self._lock:
            index = self.orm_calls
            self.orm_calls += 1
            if self._planned and self._planned[0][0] == index:
                return self._planned.popleft()[1]
        return None

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
