"""Keeps the local database small: delivered outbox items and closed drafts older than a retention period go.

The audit log is never pruned (it is append-only); pending, delivering and failing items are never touched.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta

from grading_station.store.db import iso, transaction

from grading_station import log


@dataclass(frozen=True)
class PruneReport:
    """How many rows a prune removed."""

    outbox_items: int
    drafts: int


def prune(conn: sqlite3.Connection, now: datetime, keep_days: int) -> PruneReport:
    """Delete delivered outbox items and closed drafts finished more than `keep_days` ago."""
    cutoff = iso(now - timedelta(days=keep_days))
    with transaction(conn):
        items = conn.execute(
            "DELETE FROM outbox WHERE state = 'delivered' AND delivered_at < ?", (cutoff,)
        ).rowcount
        drafts = conn.execute(
            "DELETE FROM drafts WHERE closed_at IS NOT NULL AND closed_at < ?", (cutoff,)
        ).rowcount
    if items or drafts:
        log.store.info("pruned %d delivered outbox item(s) and %d closed draft(s) older than %d days",
                       items, drafts, keep_days)  # fmt: skip
    return PruneReport(items, drafts)
