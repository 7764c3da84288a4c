"""Saved payloads carry a version; rows the previous release wrote (schema 1, no version) still deliver."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from grading_station.domain.grading import GradingRecord

from grading_station.store.db import MIGRATIONS, SCHEMA_VERSION, connect
from grading_station.store.local import Store
from grading_station.store.payloads import PAYLOAD_VERSION

from grading_station.services.bench_store import StationStore
from grading_station.services.delivery import Deliverer, record_of

from grading_station.paths import Paths

# Written by the release before payload versions (the code of commit 069353a): a grading committed with a
# Back Market stock update, and an open draft on bench-2), copied row by row.
ROWS = json.loads((Path(__file__).parent / "data" / "schema1_rows.json").read_text(encoding="utf-8"))
NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


def previous_release_database(path: Path) -> None:
    conn = connect(path, MIGRATIONS[:1])
    for table in ("drafts", "outbox"):
        for row in ROWS[table]:
            marks = ", ".join("?" for _ in row)
            conn.execute(f"INSERT INTO {table} ({', '.join(row)}) VALUES ({marks})", tuple(row.values()))
    conn.close()


def test_new_rows_carry_the_payload_version(local_store):
    item_id = local_store.outbox.enqueue("bm.stock", {"variant_id": 1})
    local_store.drafts.save("bench-1", {"serial": "SN-1"})
    assert local_store.outbox.get(item_id).version == PAYLOAD_VERSION
    versions = local_store.executor.call(lambda c: c.execute("SELECT version FROM drafts").fetchall())
    assert [v[0] for v in versions] == [PAYLOAD_VERSION]


def test_a_previous_release_database_still_delivers_its_grading_and_stock_items(paths: Paths):
    previous_release_database(paths.database)
    store = Store.open(paths, clock=lambda: NOW)
    try:
        assert store.executor.call(lambda c: c.execute("PRAGMA user_version").fetchone()[0]) == SCHEMA_VERSION
        delivered: dict[str, object] = {}
        deliverer = Deliverer(store.outbox, clock=lambda: NOW)
        deliverer.register("grading", lambda item: delivered.setdefault("grading", record_of(item)) and {})
        deliverer.register("bm.stock", lambda item: delivered.setdefault("stock", item.payload) and {})
        assert deliverer.deliver_due() == 2
        record = delivered["grading"]
        assert isinstance(record, GradingRecord)
        assert (record.serial, record.grade, record.model_name) == ("356938035643809", "good", "iPhone 14 Pro")
        # Every field of the old row survives; fields added since (the hold reasons as codes, the battery
        # reading's source) read as empty.
        again = record.to_json()
        assert again.pop("hold_reasons") == [] and again.pop("battery_source") is None
        assert again == json.loads(ROWS["outbox"][0]["payload"])
        assert delivered["stock"]["variant_id"] == 31
        assert store.outbox.counts()["delivered"] == 2
    finally:
        store.close()


def test_a_previous_release_draft_still_resumes(paths: Paths):
    previous_release_database(paths.database)
    store = Store.open(paths, clock=lambda: NOW)
    try:
        draft = StationStore(store, "bench-2").open_draft()
        assert draft == json.loads(ROWS["drafts"][1]["payload"])
        assert draft["serial"] == "356938035643809" and draft["model"]["name"] == "iPhone 14 Pro"
    finally:
        store.close()


def test_the_fixture_is_the_previous_release_format():
    """Guard against regenerating the fixture with newer code: schema 1 rows had no version column."""
    conn = sqlite3.connect(":memory:")
    for statement in MIGRATIONS[0]:
        conn.execute(statement)
    for table in ("drafts", "outbox"):
        columns = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
        assert set(ROWS[table][0]) == columns
