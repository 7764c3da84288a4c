import sqlite3
from datetime import UTC, datetime

import pytest

from grading_station.store import audit
from grading_station.store.db import connect

T0 = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


def test_append_and_read_newest_first(tmp_path):
    conn = connect(tmp_path / "db.sqlite3")
    audit.append(conn, "alice", audit.COMMIT, "SN1", {"grade": "good"}, T0)
    audit.append(
        conn, "alice", audit.GRADE_OVERRIDE, "SN1", {"from": "good", "to": "fair", "reason": "dent"}, T0
    )
    audit.append(conn, "bob", audit.RETRY, "item-1", None, T0)
    assert [e.action for e in audit.entries(conn)] == ["retry", "grade_override", "commit"]
    [override] = audit.entries(conn, subject="SN1", action=audit.GRADE_OVERRIDE)
    assert (override.actor, override.detail["reason"], override.at) == (
        "alice",
        "dent",
        "2026-11-27T09:00:00.000000Z",
    )
    assert len(audit.entries(conn, limit=1)) == 1
    conn.close()


@pytest.mark.parametrize("statement", ["UPDATE audit SET actor = 'mallory'", "DELETE FROM audit"])
def test_the_log_is_append_only(tmp_path, statement):
    conn = connect(tmp_path / "db.sqlite3")
    audit.append(conn, "alice", audit.COMMIT, "SN1", {}, T0)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute(statement)
    assert audit.entries(conn)[0].actor == "alice"
    conn.close()


def test_audit_log_facade(local_store):
    local_store.audit.append("sup", audit.RETRY, "x", {"why": "odoo back"})
    assert local_store.audit.entries()[0].detail == {"why": "odoo back"}
