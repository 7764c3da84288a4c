"""The offline unit cache in the station database: a version-1 database gains it by migration, and what it
keeps comes back as the domain values the grading service uses while Odoo is down."""

from __future__ import annotations

from datetime import UTC, datetime

from grading_station.domain.units import CatalogueModel, Lease, Unit

from grading_station.store.db import MIGRATIONS, SCHEMA_VERSION, StoreExecutor, connect
from grading_station.store.unit_cache import UnitCache

from grading_station.services.offline import search_cached

NOW = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)
UNIT = Unit(7, "353918111045122", 11, 3, "iPhone 13 128GB Midnight", "excellent", "WH/Hold", "phone",
            {"hold_reason": "photo missing: back"}, Lease("Bench 1", "2026-11-27T10:00:00Z"))
MODEL = CatalogueModel(3, "iPhone 13 128GB Midnight", "phone", "IP13-128-MID", "0194253401483",
                       {"excellent": 11, "good": 12})


def test_a_station_database_of_version_1_gains_the_cache_by_migration(tmp_path):
    path = tmp_path / "station.sqlite3"
    connect(path, MIGRATIONS[:1]).close()  # what a station wrote before the cache existed
    conn = connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION >= 2
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"drafts", "outbox", "unit_cache", "model_cache", "answer_cache"} <= tables
    conn.close()


def test_units_models_and_answers_come_back_with_their_age(tmp_path):
    executor = StoreExecutor(tmp_path / "station.sqlite3")
    try:
        cache = UnitCache(executor, clock=lambda: NOW)
        assert cache.unit(UNIT.serial) is None
        cache.remember_unit(UNIT)
        unit, seen_at = cache.unit(UNIT.serial)
        assert unit == Unit(**{**UNIT.__dict__, "lease": None})  # the lease is not kept: it belongs to the moment
        assert seen_at.startswith("2026-11-27T09:30:00")
        cache.remember_models([MODEL])
        cache.remember_models([MODEL])  # seen again: replaced, not doubled
        assert cache.models() == [MODEL]
        assert search_cached(cache.models(), "iphone 13") == [MODEL]
        assert search_cached(cache.models(), "0194253401483") == [MODEL]
        assert search_cached(cache.models(), "galaxy") == []
        cache.remember_answers(UNIT.serial, {"checklist": "phone@1", "answers": {"power_on": "pass"}})
        assert cache.answers(UNIT.serial)["answers"] == {"power_on": "pass"}
    finally:
        executor.close()
