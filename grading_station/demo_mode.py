"""`--demo`: the embedded Odoo and Back Market simulators on 127.0.0.1, and settings pointing the app at them."""

from __future__ import annotations

from dataclasses import dataclass

from grading_station.config import Config
from grading_station.secrets import Secret, SecretStore
from grading_station.sim.odoo import OdooSimulator

DEMO_DATABASE = "grading"
DEMO_LOGIN = "admin"
DEMO_PASSWORD = "admin"


@dataclass
class DemoSimulators:
    """The simulators `--demo` runs for the lifetime of the app (threads in this process)."""

    odoo: OdooSimulator
    backmarket: object | None = None

    @classmethod
    def start(cls) -> DemoSimulators:
        odoo = OdooSimulator(DEMO_DATABASE).start(port=0)
        return cls(odoo=odoo, backmarket=_start_backmarket())

    def point_config_at_them(self, config: Config, secrets: SecretStore) -> None:
        """Settings for this run only: the caller keeps demo settings out of the real settings file."""
        config.set("odoo.url", self.odoo.url)
        config.set("odoo.database", DEMO_DATABASE)
        config.set("odoo.login", DEMO_LOGIN)
        config.set("odoo.auth", "password")
        secrets.set(Secret.ODOO_PASSWORD, DEMO_PASSWORD)
        if self.backmarket is not None:
            _point_backmarket(self.backmarket, config, secrets)

    def stop(self) -> None:
        if self.backmarket is not None:
            self.backmarket.stop()
        self.odoo.stop()


def _start_backmarket():
    from grading_station.sim.backmarket.server import BackMarketSimulator

    return BackMarketSimulator().start(port=0)


def _point_backmarket(sim, config: Config, secrets: SecretStore) -> None:
    import grading_station.backmarket.regions  # noqa: F401 (declares the backmarket.* settings)

    config.set("backmarket.base_url", sim.url)
    config.set("backmarket.markets", ["fr-fr", "de-de"])
    config.set("backmarket.company", "DemoRefurb")
    config.set("backmarket.integration", "GradingStation")
    config.set("backmarket.contact_email", "ops@demo-refurb.example")
    secrets.set(Secret.BACKMARKET_TOKEN, next(iter(sim.tokens)))
