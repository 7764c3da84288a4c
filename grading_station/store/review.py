"""A supervisor action stored in one transaction with its audit entry: the outbox item and who asked, and why."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime

from grading_station.store import audit
from grading_station.store import outbox as ob
from grading_station.store.db import StoreExecutor, transaction, utc_now

REVIEW_PREFIX = "review_"  # audit actions: review_repair, review_release, review_regrade, review_reply...


def enqueue_action(
    conn: sqlite3.Connection, kind: str, payload: dict, now: datetime, *, item_id: str, actor: str,
    action: str, subject: str, detail: dict,
) -> str:
    """Enqueue the command (key "unit:<subject>", delivered after the unit's earlier commands) and audit it;
    the same `item_id` twice (a double click) returns the stored item."""
    if conn.execute("SELECT 1 FROM outbox WHERE id = ?", (item_id,)).fetchone():
        return item_id
    with transaction(conn):
        ob.enqueue(conn, kind, payload, now, key=f"unit:{subject}", item_id=item_id)
        audit.append(conn, actor, REVIEW_PREFIX + action, subject, detail, now)
    return item_id


class ReviewStore:
    """enqueue_action through the store thread (blocking: call from a worker thread); tells the outbox's
    listeners, so the deliverer wakes and the Activity panel shows the item."""

    def __init__(self, executor: StoreExecutor, outbox: object, clock: Callable[[], datetime] = utc_now) -> None:
        self._executor = executor
        self._outbox = outbox
        self._clock = clock

    def enqueue_action(self, kind: str, payload: dict, *, item_id: str, actor: str, action: str, subject: str,
                       detail: dict) -> str:
        stored = self._executor.call(enqueue_action, kind, payload, self._clock(), item_id=item_id, actor=actor,
                                     action=action, subject=subject, detail=detail)
        for listener in list(self._outbox.listeners):
            listener(stored)
        return stored

    def audit_entries(self, subject: str | None = None, limit: int = 200) -> list[audit.AuditEntry]:
        return self._executor.call(audit.entries, limit, subject)
