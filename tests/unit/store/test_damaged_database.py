"""A damaged local database: SQLite failures told apart by error code, damaged rows set aside, not crashed on."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from grading_station.store import drafts, outbox
from grading_station.store.db import StoreExecutor, _known, connect

from grading_station.errors import DamagedDatabase, DiskFull, KnownError, StoreBusy

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


def sqlite_error(kind: type[sqlite3.Error], message: str, code: int, name: str) -> sqlite3.Error:
    exc = kind(message)
    exc.sqlite_errorcode, exc.sqlite_errorname = code, name
    return exc


@pytest.mark.parametrize(
    "exc, kind, retryable",
    [
        (sqlite_error(sqlite3.OperationalError, "database is locked", 5, "SQLITE_BUSY"), StoreBusy, True),
        (sqlite_error(sqlite3.OperationalError, "verrou", 6, "SQLITE_LOCKED"), StoreBusy, True),
        (sqlite_error(sqlite3.OperationalError, "disque plein", 13, "SQLITE_FULL"), DiskFull, False),
        (sqlite_error(sqlite3.DatabaseError, "x", 11, "SQLITE_CORRUPT"), DamagedDatabase, False),
        (sqlite_error(sqlite3.DatabaseError, "x", 26, "SQLITE_NOTADB"), DamagedDatabase, False),
        (sqlite_error(sqlite3.DatabaseError, "x", 11 | (1 << 8), "SQLITE_CORRUPT_VTAB"), DamagedDatabase, False),
    ],
)
def test_sqlite_errors_are_told_apart_by_their_code_not_their_text(exc, kind, retryable):
    known = _known(exc, Path("/data/station.sqlite3"))
    assert type(known) is kind and known.retryable is retryable
    assert exc.sqlite_errorname in known.detail


def test_a_message_that_merely_mentions_locked_is_not_taken_for_busy():
    exc = sqlite_error(sqlite3.OperationalError, "disk I/O error (file locked?)", 10, "SQLITE_IOERR")
    assert not isinstance(_known(exc), StoreBusy)


def test_a_constraint_violation_is_a_bug_not_a_known_error():
    exc = sqlite_error(sqlite3.IntegrityError, "UNIQUE constraint failed", 2067, "SQLITE_CONSTRAINT_UNIQUE")
    assert _known(exc) is None


def test_the_damaged_message_names_the_file_and_what_to_do():
    known = _known(sqlite_error(sqlite3.DatabaseError, "x", 11, "SQLITE_CORRUPT"), Path("/data/st.sqlite3"))
    assert "/data/st.sqlite3" in known.user_message and "move that file away" in known.user_message


def corrupt_pages(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[4096:] = b"\xff" * (len(data) - 4096)  # every page after the header page
    path.write_bytes(bytes(data))


def test_a_malformed_database_is_a_damaged_database_error_not_a_crash(tmp_path):
    path = tmp_path / "db.sqlite3"
    executor = StoreExecutor(path)
    for n in range(200):
        executor.call(outbox.enqueue, "test", {"n": n, "pad": "x" * 300}, NOW)
    executor.close()
    corrupt_pages(path)
    with pytest.raises(DamagedDatabase) as caught:
        executor = StoreExecutor(path)
        executor.call(outbox.list_items, 500)
    assert str(path) in caught.value.user_message


def test_a_non_utf8_sqlite_error_text_does_not_crash_connect(tmp_path):
    path = tmp_path / "db.sqlite3"
    connect(path).close()
    raw = sqlite3.connect(path)
    raw.execute("PRAGMA writable_schema=ON")
    # An object name that is not UTF-8: SQLite's "malformed database schema (out\xff)" cannot be decoded.
    raw.execute("UPDATE sqlite_master SET name = CAST(X'6f7574ff' AS TEXT), sql = CAST(X'435245415445205441424c"
                "45206f7574626f78287878ff7829' AS TEXT) WHERE name = 'outbox'")
    raw.commit()
    raw.close()
    with pytest.raises(DamagedDatabase) as caught:
        connect(path).execute("SELECT * FROM outbox").fetchall()
    assert str(path) in caught.value.user_message


@pytest.fixture
def conn(tmp_path):
    c = connect(tmp_path / "db.sqlite3")
    yield c
    c.close()


def test_an_item_with_a_damaged_payload_is_quarantined_once_and_the_rest_delivered(conn, expected_logs, caplog):
    expected_logs.expect("grading_station.outbox", r"set aside, not delivered: its saved data is damaged")
    bad = outbox.enqueue(conn, "bm.stock", {"variant_id": 1}, NOW)
    good = outbox.enqueue(conn, "bm.stock", {"variant_id": 2}, NOW)
    conn.execute("UPDATE outbox SET payload = '{\"variant_id\": 1, trunc' WHERE id = ?", (bad,))
    assert [i.id for i in outbox.due(conn, NOW)] == [good]
    assert [i.id for i in outbox.due(conn, NOW)] == [good]  # not looked at (nor logged) again
    assert len([r for r in caplog.records if "set aside" in r.getMessage()]) == 1
    kept = outbox.get(conn, bad)
    assert kept.state == "failing" and kept.permanent and kept.failure == outbox.QUARANTINED
    assert "damaged" in kept.last_error and kept.payload == {}
    raw = conn.execute("SELECT payload FROM outbox WHERE id = ?", (bad,)).fetchone()[0]
    assert raw == '{"variant_id": 1, trunc'  # kept as it was, for support
    assert [i.id for i in outbox.list_items(conn)] == [good, bad]  # the Activity panel still lists it


def test_an_item_of_a_newer_format_is_quarantined_with_a_clear_reason(conn, expected_logs):
    expected_logs.expect("grading_station.outbox", r"set aside")
    item_id = outbox.enqueue(conn, "grading", {"serial": "SN-1"}, NOW)
    conn.execute("UPDATE outbox SET version = 2 WHERE id = ?", (item_id,))
    assert outbox.due(conn, NOW) == []
    kept = outbox.get(conn, item_id)
    assert kept.failure == outbox.QUARANTINED and "newer Grading Station" in kept.last_error


def test_a_payload_that_is_json_but_not_a_record_is_quarantined(conn, expected_logs):
    expected_logs.expect("grading_station.outbox", r"set aside")
    item_id = outbox.enqueue(conn, "grading", {}, NOW)
    conn.execute("UPDATE outbox SET payload = '[1, 2]' WHERE id = ?", (item_id,))
    assert outbox.due(conn, NOW) == []
    assert outbox.get(conn, item_id).failure == outbox.QUARANTINED


def test_a_damaged_open_draft_is_set_aside_and_the_bench_starts_afresh(conn, expected_logs):
    expected_logs.expect("grading_station.store", r"could not be resumed and was set aside")
    draft_id = drafts.save_draft(conn, "bench-1", {"serial": "SN-1"}, NOW)
    conn.execute("UPDATE drafts SET payload = X'7b22ff' WHERE id = ?", (draft_id,))
    assert drafts.open_draft(conn, "bench-1", NOW) is None
    assert drafts.open_draft(conn, "bench-1", NOW) is None  # every later start and scan: no crash
    closed = conn.execute("SELECT closed_reason FROM drafts WHERE id = ?", (draft_id,)).fetchone()[0]
    assert closed.startswith("quarantined: ")
    new_id = drafts.save_draft(conn, "bench-1", {"serial": "SN-2"}, NOW)
    assert new_id != draft_id and drafts.open_draft(conn, "bench-1", NOW).payload == {"serial": "SN-2"}


def test_a_draft_of_a_newer_format_is_set_aside(conn, expected_logs):
    expected_logs.expect("grading_station.store", r"set aside: saved by a newer Grading Station")
    draft_id = drafts.save_draft(conn, "bench-1", {"serial": "SN-1"}, NOW)
    conn.execute("UPDATE drafts SET version = 7 WHERE id = ?", (draft_id,))
    assert drafts.open_draft(conn, "bench-1", NOW) is None


def test_store_known_errors_keep_their_type_through_the_executor(tmp_path):
    executor = StoreExecutor(tmp_path / "db.sqlite3")

    def full(_conn):
        raise sqlite_error(sqlite3.OperationalError, "database or disk is full", 13, "SQLITE_FULL")

    try:
        with pytest.raises(DiskFull):
            executor.call(full)
        with pytest.raises(sqlite3.IntegrityError):  # a bug stays a bug (the crash handler shows it)
            executor.call(lambda c: c.execute("INSERT INTO outbox (id) VALUES (NULL)"))
        assert issubclass(DiskFull, KnownError)
    finally:
        executor.close()
