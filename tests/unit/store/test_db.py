import sqlite3
import threading

import pytest

from grading_station.store.db import (
    MIGRATIONS,
    SCHEMA_VERSION,
    StoreExecutor,
    connect,
    iso,
    migrate,
    transaction,
)

from grading_station.errors import KnownError


def test_connect_creates_and_migrates(tmp_path, caplog):
    caplog.set_level("INFO", logger="grading_station.store")
    conn = connect(tmp_path / "sub" / "db.sqlite3")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"drafts", "outbox", "audit"} <= tables
    assert "schema migrated to version 1" in caplog.text
    conn.close()
    # Opening again runs no migration.
    caplog.clear()
    connect(tmp_path / "sub" / "db.sqlite3").close()
    assert "migrated" not in caplog.text


def test_a_new_migration_is_applied_once(tmp_path):
    connect(tmp_path / "db.sqlite3").close()
    newer = (*MIGRATIONS, ("CREATE TABLE catalogue (id INTEGER PRIMARY KEY)",))
    conn = connect(tmp_path / "db.sqlite3", newer)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
    assert migrate(conn, newer) == SCHEMA_VERSION + 1
    conn.close()


def test_a_failed_migration_leaves_the_previous_version(tmp_path):
    connect(tmp_path / "db.sqlite3").close()
    broken = (*MIGRATIONS, ("CREATE TABLE t (id INTEGER)", "CREATE TABLE t (id INTEGER)"))
    with pytest.raises(KnownError):
        connect(tmp_path / "db.sqlite3", broken)
    conn = connect(tmp_path / "db.sqlite3")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("SELECT COUNT(*) FROM sqlite_master WHERE name = 't'").fetchone()[0] == 0
    conn.close()


def test_a_database_from_a_newer_app_is_refused(tmp_path):
    conn = sqlite3.connect(tmp_path / "db.sqlite3")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.close()
    with pytest.raises(KnownError, match=r"written by a newer Grading Station"):
        connect(tmp_path / "db.sqlite3")


def test_a_damaged_file_is_a_known_error(tmp_path):
    (tmp_path / "db.sqlite3").write_bytes(b"this is not a database at all, just junk bytes" * 100)
    with pytest.raises(KnownError, match=r"damaged"):
        connect(tmp_path / "db.sqlite3")


def test_transaction_rolls_back_and_nests(tmp_path):
    conn = connect(tmp_path / "db.sqlite3")
    conn.execute("CREATE TABLE t (v INTEGER)")
    with pytest.raises(RuntimeError):
        with transaction(conn):
            conn.execute("INSERT INTO t VALUES (1)")
            with transaction(conn):  # joins the outer one
                conn.execute("INSERT INTO t VALUES (2)")
            raise RuntimeError("boom")
    assert conn.execute("SELECT COUNT(*) FROM t").fetchone()[0] == 0
    conn.close()


def test_iso_is_fixed_width_utc():
    from datetime import UTC, datetime, timedelta, timezone

    assert iso(datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)) == "2026-01-02T03:04:05.000000Z"
    assert (
        iso(datetime(2026, 1, 2, 5, 4, 5, tzinfo=timezone(timedelta(hours=2))))
        == "2026-01-02T03:04:05.000000Z"
    )
    with pytest.raises(ValueError):
        iso(datetime(2026, 1, 2))


def test_executor_runs_everything_on_one_thread(tmp_path):
    executor = StoreExecutor(tmp_path / "db.sqlite3")
    try:
        threads = set()

        def where(conn):
            threads.add(threading.get_ident())
            return conn.execute("SELECT 1").fetchone()[0]

        results = [executor.submit(where) for _ in range(20)]
        assert [f.result() for f in results] == [1] * 20
        assert executor.call(where) == 1
        assert len(threads) == 1 and threading.get_ident() not in threads
        # A function on the store thread may call back into the executor without deadlocking.
        assert executor.call(lambda conn: executor.call(where)) == 1
    finally:
        executor.close()
    with pytest.raises(RuntimeError):
        executor.submit(where)
    executor.close()  # closing twice is harmless


def test_a_locked_database_is_a_known_error(tmp_path):
    executor = StoreExecutor(tmp_path / "db.sqlite3")
    other = sqlite3.connect(tmp_path / "db.sqlite3", timeout=0)
    other.execute("BEGIN EXCLUSIVE")
    try:

        def write(conn):
            conn.execute("PRAGMA busy_timeout = 50")
            with transaction(conn):
                conn.execute("INSERT INTO audit (at, actor, action) VALUES ('x', 'y', 'z')")

        with pytest.raises(KnownError, match=r"busy: is Grading Station open twice"):
            executor.call(write)
    finally:
        other.rollback()
        other.close()
        executor.close()
