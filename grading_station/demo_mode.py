"""`--demo`: the embedded Odoo and Back Market simulators on 127.0.0.1, and settings pointing at them."""

from __future__ import annotations

import socket
import threading

from grading_station import log
from grading_station.config import Config
from grading_station.secrets import Secret, SecretStore
from grading_station.sim.odoo import OdooSimulator

DEMO_DATABASE = "grading"
DEMO_LOGIN = "admin"
DEMO_PASSWORD = "admin"
DEMO_BM_TOKEN = "demo-token"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class DemoSimulators:
    """The simulators `--demo` runs for the lifetime of the app (threads in this process).

    The Back Market simulator loads and compiles the OpenAPI spec it validates against (~0.5 s of CPU), so
    `start_backmarket` starts it on a thread of its own, on a port chosen up front, once the bench is ready to
    scan: listing updates wait in the outbox until it answers."""

    def __init__(self) -> None:
        self.odoo = OdooSimulator(DEMO_DATABASE).start(port=0)
        self.backmarket_port = _free_port()
        self.backmarket = None
        self._bm_thread = threading.Thread(target=self._start_backmarket, name="demo-bm-start", daemon=True)

    def start_backmarket(self) -> None:
        if not self._bm_thread.is_alive() and self.backmarket is None:
            self._bm_thread.start()

    @property
    def backmarket_url(self) -> str:
        return f"http://127.0.0.1:{self.backmarket_port}"

    def _start_backmarket(self) -> None:
        from grading_station.sim.backmarket.demo import demo_simulator

        try:  # the demo simulator knows the demo catalogue's products (by EAN), so new listings go live
            self.backmarket = demo_simulator(DEMO_BM_TOKEN).start(port=self.backmarket_port)
        except OSError as exc:  # the port was taken between choosing and binding: listing waits in the outbox
            log.sim.error("the demo Back Market simulator could not start: %s", exc)

    def point_config_at_them(self, config: Config, secrets: SecretStore) -> None:
        """Settings for this run only: the caller keeps demo settings out of the real settings file."""
        import grading_station.backmarket.regions  # noqa: F401 (declares the backmarket.* settings)

        config.set("odoo.url", self.odoo.url)
        config.set("odoo.database", DEMO_DATABASE)
        config.set("odoo.login", DEMO_LOGIN)
        config.set("odoo.auth", "password")
        secrets.set(Secret.ODOO_PASSWORD, DEMO_PASSWORD)
        config.set("backmarket.base_url", self.backmarket_url)
        config.set("backmarket.markets", ["fr-fr", "de-de"])
        config.set("backmarket.company", "DemoRefurb")
        config.set("backmarket.integration", "GradingStation")
        config.set("backmarket.contact_email", "ops@demo-refurb.example")
        # The simulator finishes a batch task in a moment, where Back Market takes minutes: check it soon.
        config.set("backmarket.task_poll_seconds", 0.5)
        secrets.set(Secret.BACKMARKET_TOKEN, DEMO_BM_TOKEN)

    def stop(self) -> None:
        if self._bm_thread.is_alive():
            self._bm_thread.join(timeout=10)
        if self.backmarket is not None:
            self.backmarket.stop()
        self.odoo.stop()
