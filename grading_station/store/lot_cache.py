"""The lots' properties as last read from Odoo, kept across restarts (the supervisor's queues read again only the
lots written since). `source` names the Odoo database they came from (its address and name)."""

from __future__ import annotations

import concurrent.futures
import json
import sqlite3
from collections.abc import Iterable

from grading_station.domain.lot_reading import LotReading

from grading_station.store.db import StoreExecutor, transaction

from grading_station import log


def load(conn: sqlite3.Connection, source: str) -> list[LotReading]:
    rows = conn.execute("SELECT lot_id, write_date, props, confirmed, read_at FROM lot_cache WHERE source = ?",
                        (source,))
    return [LotReading(row["lot_id"], row["write_date"], json.loads(row["props"]), bool(row["confirmed"]),
                       row["read_at"]) for row in rows]


def save(conn: sqlite3.Connection, source: str, readings: list[LotReading], dropped: list[int],
         only_source: bool) -> None:
    """Store `readings`, forget the `dropped` lots; `only_source`: forget every other Odoo database's lots."""
    with transaction(conn):
        if only_source:
            conn.execute("DELETE FROM lot_cache WHERE source != ?", (source,))
        conn.executemany("DELETE FROM lot_cache WHERE source = ? AND lot_id = ?", [(source, i) for i in dropped])
        conn.executemany(
            "INSERT INTO lot_cache (source, lot_id, write_date, props, confirmed, read_at) VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(source, lot_id) DO UPDATE SET write_date = excluded.write_date, props = excluded.props,"
            " confirmed = excluded.confirmed, read_at = excluded.read_at",
            [(source, r.lot_id, r.write_date, json.dumps(r.props, sort_keys=True), int(r.confirmed), r.read_at)
             for r in readings],
        )


class LotCache:
    """The cache through the store thread: `load` blocks (call it from a worker), `save` is queued and returns at
    once (a reading does not wait for the disk; a failed save only costs a longer reading after a restart)."""

    def __init__(self, executor: StoreExecutor) -> None:
        self._executor = executor

    def load(self, source: str) -> list[LotReading]:
        return self._executor.call(load, source)

    def save(self, source: str, readings: Iterable[LotReading], dropped: Iterable[int] = (), *,
             only_source: bool = False) -> None:
        readings = list(readings)
        try:
            future = self._executor.submit(save, source, readings, list(dropped), only_source)
        except RuntimeError:  # the store closed (the station is quitting): the next start reads these lots again
            log.store.info("the local store is closed: %d lots' properties not kept", len(readings))
            return
        future.add_done_callback(_report)


def _report(future: concurrent.futures.Future) -> None:
    if not future.cancelled() and future.exception() is not None:
        log.store.warning("the lots' properties were not saved in the local cache: %s", future.exception())
