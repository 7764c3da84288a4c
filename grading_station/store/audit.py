"""Append-only log of who did what (grade overrides with their reason, commits, retries); SQL triggers refuse
any UPDATE or DELETE of a row."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from grading_station.store.db import StoreExecutor, iso, transaction, utc_now

COMMIT = "commit"
GRADE_OVERRIDE = "grade_override"
RETRY = "retry"
DRAFT_ABANDONED = "draft_abandoned"


@dataclass(frozen=True)
class AuditEntry:
    """One action: `actor` (technician or supervisor), `action` (see the constants), `subject` (a serial, an
    outbox item id), `detail` (JSON-compatible facts such as the reason of an override)."""

    seq: int
    at: str
    actor: str
    action: str
    subject: str
    detail: dict


def append(
    conn: sqlite3.Connection, actor: str, action: str, subject: str, detail: dict | None, now: datetime
) -> int:
    """Add an entry (joins the caller's transaction if there is one); returns its sequence number."""
    with transaction(conn):
        cursor = conn.execute(
            "INSERT INTO audit (at, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)",
            (iso(now), actor, action, subject, json.dumps(detail or {}, sort_keys=True)),
        )
        return int(cursor.lastrowid)


def entries(
    conn: sqlite3.Connection, limit: int = 100, subject: str | None = None, action: str | None = None
) -> list[AuditEntry]:
    """Newest first, optionally for one subject and/or one action."""
    sql = "SELECT seq, at, actor, action, subject, detail FROM audit WHERE 1 = 1"
    params: list[object] = []
    if subject is not None:
        sql += " AND subject = ?"
        params.append(subject)
    if action is not None:
        sql += " AND action = ?"
        params.append(action)
    rows = conn.execute(sql + " ORDER BY seq DESC LIMIT ?", (*params, limit)).fetchall()
    return [
        AuditEntry(r["seq"], r["at"], r["actor"], r["action"], r["subject"], json.loads(r["detail"]))
        for r in rows
    ]


class AuditLog:
    """The audit log through the store thread (blocking calls: use from a worker thread)."""

    def __init__(self, executor: StoreExecutor, clock: Callable[[], datetime] = utc_now) -> None:
        self._executor = executor
        self._clock = clock

    def append(self, actor: str, action: str, subject: str = "", detail: dict | None = None) -> int:
        return self._executor.call(append, actor, action, subject, detail, self._clock())

    def entries(
        self, limit: int = 100, subject: str | None = None, action: str | None = None
    ) -> list[AuditEntry]:
        return self._executor.call(entries, limit, subject, action)
