"""OdooSimulator: a fresh simulated Odoo 18 database served over HTTP, with hooks for tests and benchmarks."""

from __future__ import annotations

import copy
import secrets
import socket
import threading
from collections import Counter
from http.server import ThreadingHTTPServer
from typing import Any

from grading_station.sim.odoo.errors import OdooError
from grading_station.sim.odoo.http import OdooHandler
from grading_station.sim.odoo.service import OdooService

STOCK_USER_LOGIN = "tech"
STOCK_USER_PASSWORD = "tech-pass-1"


class _Server(ThreadingHTTPServer):
    """Threaded HTTP server that also closes kept-alive connections when it stops (like a real shutdown)."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()

    def process_request(self, request: Any, client_address: Any) -> None:
        with self.connections_lock:
            self.connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self.connections_lock:
            self.connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        with self.connections_lock:
            connections, self.connections = list(self.connections), set()
        for conn in connections:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class OdooSimulator:
    """A simulated Odoo 18 server (database `grading`, admin/admin uid 2) on 127.0.0.1.

    Hooks reachable only from Python, never through the Odoo API:
    `latency` (seconds added to every HTTP exchange), `down` (connections are reset), `add_api_key(uid)`,
    `fail_next(model, method, ...)` (the next calls answer an Odoo error), `rpc_count(...)`/`calls`
    (what the server received), `admin_api_key`, `add_stock_user()`, `advance_clock(seconds)`.
    """

    def __init__(self, db: str = "grading", *, listed_dbs: tuple[str, ...] = ()) -> None:
        self.service = OdooService(db, listed_dbs=listed_dbs, base_url="http://127.0.0.1")
        self.latency = 0.0
        self.down = False
        self.calls: list[tuple[str, str | None, str | None]] = []
        self._calls_lock = threading.Lock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ------------------------------------------------------------------------------------------
    def start(self, port: int = 0, host: str = "127.0.0.1") -> OdooSimulator:
        server = _Server((host, port), OdooHandler)
        server.simulator = self  # type: ignore[attr-defined]
        self._server = server
        self._set_base_url()
        self._thread = threading.Thread(target=server.serve_forever, args=(0.05,), name="odoo-sim", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server.close_connections()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> OdooSimulator:
        return self.start() if self._server is None else self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def host(self) -> str:
        assert self._server is not None, "simulator not started"
        return str(self._server.server_address[0])

    @property
    def port(self) -> int:
        assert self._server is not None, "simulator not started"
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def db_name(self) -> str:
        return self.service.db_name

    def _set_base_url(self) -> None:
        for param in self.service.db.tables["ir.config_parameter"].values():
            if param["key"] == "web.base.url":
                param["value"] = self.url

    # -- hooks ----------------------------------------------------------------------------------------------
    @property
    def admin_api_key(self) -> str:
        return self.service.admin_api_key

    def add_api_key(self, uid: int) -> str:
        """A new API key for `uid` (usable as the password over /jsonrpc, like Odoo's RPC-scoped keys)."""
        key = secrets.token_hex(20)
        self.service.api_keys[key] = uid
        return key

    def fail_next(
        self,
        model: str,
        method: str,
        *,
        name: str = "odoo.exceptions.UserError",
        message: str = "Simulated failure",
        count: int = 1,
    ) -> None:
        """The next `count` calls of model.method answer this Odoo error (before touching any data)."""
        queue = self.service.faults.pending.setdefault((model, method), [])
        queue.extend(OdooError(name, message) for _ in range(count))

    def record_rpc(self, endpoint: str, model: str | None, method: str | None) -> None:
        with self._calls_lock:
            self.calls.append((endpoint, model, method))

    def rpc_count(
        self, model: str | None = None, method: str | None = None, endpoint: str | None = None
    ) -> int:
        """How many requests matched. For /jsonrpc object calls `model`/`method` are the Odoo model and
        method, for the other services the service and its method; /web/dataset/call_kw records the model
        and method too; the other routes record None for both."""
        with self._calls_lock:
            return sum(
                1
                for e, m, f in self.calls
                if (endpoint is None or e == endpoint)
                and (model is None or m == model)
                and (method is None or f == method)
            )

    def rpc_counter(self) -> Counter[tuple[str, str | None, str | None]]:
        with self._calls_lock:
            return Counter(self.calls)

    def reset_counts(self) -> None:
        with self._calls_lock:
            self.calls.clear()

    def advance_clock(self, seconds: float) -> None:
        """Move the server clock forward (login cooldown, dates) without sleeping."""
        self.service.clock_offset += seconds

    def add_stock_user(
        self, login: str = STOCK_USER_LOGIN, password: str = STOCK_USER_PASSWORD, email: str | bool = False
    ) -> int:
        """Create a user with only Internal User + Inventory/User rights (08's `tech`); returns its uid."""
        vals: dict[str, Any] = {
            "name": "Tech One",
            "login": login,
            "password": password,
            "groups_id": [[6, 0, [1, 39]]],
        }
        if email:
            vals["email"] = email
        return int(self.service.call(2, "res.users", "create", [vals], {}))

    def execute(self, model: str, method: str, *args: Any, uid: int = 2, **kwargs: Any) -> Any:
        """Run an ORM call in-process as `uid` (seeding test data without HTTP)."""
        # Copies both ways, as over the wire: callers never share objects with the database.
        result = self.service.call(uid, model, method, copy.deepcopy(list(args)), copy.deepcopy(kwargs))
        return copy.deepcopy(result)
