"""The offline catalogue cache: units and models last seen in Odoo, and this station's last answers per unit.

Lets the bench look a unit up, pick an intake model and re-grade while Odoo is down (the commit waits in the
outbox). Functions take the store thread's connection; `UnitCache` runs them through the StoreExecutor.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import asdict
from datetime import datetime

from grading_station.domain.units import CatalogueModel, Unit

from grading_station.store.db import StoreExecutor, iso, transaction, utc_now


def remember_unit(conn: sqlite3.Connection, unit: Unit, now: datetime) -> None:
    payload = json.dumps({**asdict(unit), "lease": None}, sort_keys=True)  # a lease belongs to the moment
    conn.execute(
        "INSERT INTO unit_cache (serial, payload, seen_at) VALUES (?, ?, ?)"
        " ON CONFLICT(serial) DO UPDATE SET payload = excluded.payload, seen_at = excluded.seen_at",
        (unit.serial, payload, iso(now)),
    )


def cached_unit(conn: sqlite3.Connection, serial: str) -> tuple[Unit, str] | None:
    """The unit as last seen in Odoo and when (ISO UTC), or None."""
    row = conn.execute("SELECT payload, seen_at FROM unit_cache WHERE serial = ?", (serial,)).fetchone()
    if row is None:
        return None
    return Unit(**{**json.loads(row["payload"]), "lease": None}), row["seen_at"]


def remember_models(conn: sqlite3.Connection, models: Iterable[CatalogueModel], now: datetime) -> None:
    with transaction(conn):
        for model in models:
            conn.execute(
                "INSERT INTO model_cache (template_id, payload, seen_at) VALUES (?, ?, ?)"
                " ON CONFLICT(template_id) DO UPDATE SET payload = excluded.payload, seen_at = excluded.seen_at",
                (model.template_id, json.dumps(asdict(model), sort_keys=True), iso(now)),
            )


def cached_models(conn: sqlite3.Connection) -> list[CatalogueModel]:
    rows = conn.execute("SELECT payload FROM model_cache ORDER BY template_id").fetchall()
    return [CatalogueModel(**json.loads(row["payload"])) for row in rows]


def remember_answers(conn: sqlite3.Connection, serial: str, session_json: dict, now: datetime) -> None:
    conn.execute(
        "INSERT INTO answer_cache (serial, payload, saved_at) VALUES (?, ?, ?)"
        " ON CONFLICT(serial) DO UPDATE SET payload = excluded.payload, saved_at = excluded.saved_at",
        (serial, json.dumps(session_json, sort_keys=True), iso(now)),
    )


def cached_answers(conn: sqlite3.Connection, serial: str) -> dict | None:
    row = conn.execute("SELECT payload FROM answer_cache WHERE serial = ?", (serial,)).fetchone()
    return json.loads(row["payload"]) if row else None


class UnitCache:
    """The cache through the store thread; blocking calls, so call them from a worker, never the GUI thread."""

    def __init__(self, executor: StoreExecutor, clock: Callable[[], datetime] = utc_now) -> None:
        self._executor = executor
        self._clock = clock

    def remember_unit(self, unit: Unit) -> None:
        self._executor.call(remember_unit, unit, self._clock())

    def unit(self, serial: str) -> tuple[Unit, str] | None:
        return self._executor.call(cached_unit, serial)

    def remember_models(self, models: Iterable[CatalogueModel]) -> None:
        self._executor.call(remember_models, list(models), self._clock())

    def models(self) -> list[CatalogueModel]:
        return self._executor.call(cached_models)

    def remember_answers(self, serial: str, session_json: dict) -> None:
        self._executor.call(remember_answers, serial, session_json, self._clock())

    def answers(self, serial: str) -> dict | None:
        return self._executor.call(cached_answers, serial)
