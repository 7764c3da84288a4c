"""A network label printer on 127.0.0.1: accepts raw TCP jobs (what a Zebra does on port 9100) and keeps each
job's bytes; it can be started later on a port chosen now (a printer switched on after the label was queued)."""

from __future__ import annotations

import socket
import threading


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class FakeNetworkPrinter:
    """`jobs`: the bytes of each connection, in order. `start()` listens on `port`; `stop()` switches it off."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.jobs: list[bytes] = []
        self._server: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self.received = threading.Event()

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> FakeNetworkPrinter:
        server = socket.socket()
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", self.port))
        server.listen(5)
        server.settimeout(0.1)
        self._server = server
        self._thread = threading.Thread(target=self._serve, name="fake-printer", daemon=True)
        self._thread.start()
        return self

    def _serve(self) -> None:
        server = self._server
        while self._server is server:
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with conn:
                conn.settimeout(5)
                chunks = []
                while chunk := conn.recv(65536):
                    chunks.append(chunk)
            self.jobs.append(b"".join(chunks))
            self.received.set()

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.close()
        if self._thread is not None:
            self._thread.join(2)
