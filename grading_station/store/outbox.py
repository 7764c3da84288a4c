"""The outbox (DESIGN §6): commands to deliver to Odoo / Back Market, stored before any remote call.

Life of an item: pending → delivering (marked BEFORE the attempt) → delivered, or → failing (retried at a
time, or `permanent` until someone presses retry). An item still "delivering" when the app starts was
interrupted by a crash: `recover_interrupted` puts it back to pending and it is delivered again (remote steps
are idempotent). Items with the same `key` are delivered in order; with `coalesce=True` a newer command
replaces the older one still waiting (the latest Back Market quantity wins).
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from grading_station.domain.grading import GradingRecord

from grading_station.store import audit
from grading_station.store.db import iso, transaction
from grading_station.store.drafts import COMMITTED, close_draft
from grading_station.store.payloads import PAYLOAD_VERSION, parse_payload

from grading_station import log
from grading_station.errors import KnownError
from grading_station.i18n import _

PENDING, DELIVERING, FAILING, DELIVERED = "pending", "delivering", "failing", "delivered"
# How the last attempt of a failing item went: retried by itself, refused, a bug, or set aside unread.
RETRY, REFUSED, BUG, QUARANTINED = "retry", "refused", "bug", "quarantined"
GRADING = "grading"
"""Kind of the item `commit_grading` enqueues; its payload is `GradingRecord.to_json()`."""


@dataclass(frozen=True)
class OutboxItem:
    """A stored command. `next_attempt_at` is None when due now (or, with `permanent`, never by itself)."""

    seq: int
    id: str
    kind: str
    key: str | None
    payload: dict
    state: str
    attempts: int
    permanent: bool
    created_at: str
    updated_at: str
    next_attempt_at: str | None
    last_error: str
    result: dict | None
    delivered_at: str | None
    version: int = PAYLOAD_VERSION
    failure: str = ""  # RETRY, REFUSED, BUG or QUARANTINED while failing; "" otherwise
    error_detail: str = ""  # the technical side of `last_error` (for the Activity details)
    problem: str = ""  # why the stored payload cannot be used (then `payload` is {})

    @property
    def needs_attention(self) -> bool:
        """Refused for good: only a person (retry after fixing the cause) moves it on."""
        return self.state == FAILING and self.permanent


@dataclass(frozen=True)
class OutboxCommand:
    """A command to enqueue together with a grading commit (e.g. a Back Market stock update)."""

    kind: str
    payload: dict
    key: str | None = None
    coalesce: bool = False


def _item(row: sqlite3.Row) -> OutboxItem:
    payload, problem = parse_payload(row["payload"], row["version"])
    try:
        result = json.loads(row["result"]) if row["result"] else None
    except ValueError:  # only shown, never used to deliver: a damaged one is simply not shown
        result = None
    return OutboxItem(
        row["seq"], row["id"], row["kind"], row["key"], payload, row["state"],
        row["attempts"], bool(row["permanent"]), row["created_at"], row["updated_at"], row["next_attempt_at"],
        row["last_error"], result, row["delivered_at"],
        row["version"], row["failure"], row["error_detail"], problem,
    )  # fmt: skip


def _quarantine(conn: sqlite3.Connection, item: OutboxItem, now: datetime) -> None:
    """Set aside an item whose payload cannot be used: kept (for support), shown with its reason, never
    attempted until someone presses Retry (which looks at it again)."""
    conn.execute(
        "UPDATE outbox SET state = ?, permanent = 1, failure = ?, last_error = ?, error_detail = ?,"
        " next_attempt_at = NULL, updated_at = ? WHERE id = ?",
        (FAILING, QUARANTINED, item.problem, f"kind {item.kind}, format version {item.version}", iso(now),
         item.id),
    )
    log.outbox.error("outbox item %s (%s) set aside, not delivered: %s", item.id, item.kind, item.problem,
                     extra={"event": "outbox_quarantined"})


def enqueue(
    conn: sqlite3.Connection,
    kind: str,
    payload: dict,
    now: datetime,
    key: str | None = None,
    coalesce: bool = False,
    item_id: str | None = None,
) -> str:
    """Store a command; returns its id (a UUID unless `item_id` is given). With `coalesce`, older items of the
    same key that are still waiting (pending or failing, not being delivered) are replaced by this one."""
    if coalesce and not key:
        raise ValueError("coalescing needs a key")
    item_id = item_id or str(uuid.uuid4())
    with transaction(conn):
        if coalesce:
            replaced = conn.execute(
                "DELETE FROM outbox WHERE key = ? AND state IN (?, ?)", (key, PENDING, FAILING)
            ).rowcount
            if replaced:
                log.outbox.info("%s for %s replaces %d waiting item(s)", kind, key, replaced)
        conn.execute(
            "INSERT INTO outbox (id, kind, key, payload, version, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (item_id, kind, key, json.dumps(payload, sort_keys=True), PAYLOAD_VERSION, iso(now), iso(now)),
        )
    return item_id


def commit_grading(
    conn: sqlite3.Connection,
    draft_id: str,
    record: GradingRecord,
    now: datetime,
    also: Sequence[OutboxCommand] = (),
) -> str:
    """In ONE transaction: close the draft, enqueue the grading (id = `record.grading_id`, key
    "unit:<serial>") and any `also` commands, and write the audit entries (commit; grade override with its
    reason). Committing the same grading twice returns the existing item instead of failing (double click)."""
    existing = conn.execute("SELECT id FROM outbox WHERE id = ?", (record.grading_id,)).fetchone()
    if existing:
        return existing["id"]
    with transaction(conn):
        close_draft(conn, draft_id, COMMITTED, now)
        enqueue(conn, GRADING, record.to_json(), now, key=f"unit:{record.serial}", item_id=record.grading_id)
        for command in also:
            enqueue(conn, command.kind, command.payload, now, key=command.key, coalesce=command.coalesce)
        detail = {
            "grading_id": record.grading_id, "grade": record.grade, "suggested_grade": record.suggested_grade,
            "placement": record.placement.value, "hold_reason": record.hold_reason, "station": record.station,
        }  # fmt: skip
        audit.append(conn, record.technician, audit.COMMIT, record.serial, detail, now)
        if record.grade != record.suggested_grade:
            override = {
                "grading_id": record.grading_id, "from": record.suggested_grade, "to": record.grade,
                "reason": record.override_reason,
            }  # fmt: skip
            audit.append(conn, record.technician, audit.GRADE_OVERRIDE, record.serial, override, now)
    log.outbox.info("grading %s of %s committed (%s)", record.grading_id, record.serial, record.grade)
    return record.grading_id


def due(conn: sqlite3.Connection, now: datetime, limit: int = 50) -> list[OutboxItem]:
    """Items to attempt now, oldest first; an item waits while an older one of its key is undelivered.
    Items whose payload cannot be used (damaged, a newer format) are quarantined here instead."""
    rows = conn.execute(
        """SELECT * FROM outbox AS o
           WHERE o.state IN (?, ?) AND o.permanent = 0
             AND (o.next_attempt_at IS NULL OR o.next_attempt_at <= ?)
             AND (o.key IS NULL OR NOT EXISTS (
                  SELECT 1 FROM outbox AS p WHERE p.key = o.key AND p.seq < o.seq AND p.state != ?))
           ORDER BY o.seq LIMIT ?""",
        (PENDING, FAILING, iso(now), DELIVERED, limit),
    ).fetchall()
    items = [_item(r) for r in rows]
    for item in items:
        if item.problem:
            _quarantine(conn, item, now)
    return [item for item in items if not item.problem]


def _update(conn: sqlite3.Connection, item_id: str, states: tuple[str, ...], sql: str, params: tuple) -> bool:
    marks = ", ".join("?" for _ in states)
    cursor = conn.execute(
        f"UPDATE outbox SET {sql} WHERE id = ? AND state IN ({marks})", (*params, item_id, *states)
    )
    return cursor.rowcount == 1


def mark_delivering(conn: sqlite3.Connection, item_id: str, now: datetime) -> bool:
    """Claim an item before attempting it (counts the attempt); False if it is not waiting any more."""
    return _update(
        conn,
        item_id,
        (PENDING, FAILING),
        "state = ?, attempts = attempts + 1, updated_at = ?",
        (DELIVERING, iso(now)),
    )


def mark_delivered(conn: sqlite3.Connection, item_id: str, result: dict | None, now: datetime) -> None:
    sql = ("state = ?, result = ?, delivered_at = ?, updated_at = ?, last_error = '', next_attempt_at = NULL,"
           " failure = '', error_detail = ''")
    params = (DELIVERED, json.dumps(result) if result is not None else None, iso(now), iso(now))
    if not _update(conn, item_id, (DELIVERING, PENDING, FAILING), sql, params):
        raise KnownError(_("This outbox item is already delivered or gone."), detail=item_id)


def mark_failed(
    conn: sqlite3.Connection,
    item_id: str,
    reason: str,
    retry_at: datetime | None,
    permanent: bool,
    now: datetime,
    failure: str = "",
    detail: str = "",
) -> None:
    """Record a failed attempt: retried at `retry_at`, or only by hand when `permanent` (a refusal, or a bug
    with `failure=BUG`); `detail` is the technical reason kept for the Activity details."""
    if not permanent and retry_at is None:
        raise ValueError("a temporary failure needs retry_at")
    failure = failure or (REFUSED if permanent else RETRY)
    sql = ("state = ?, last_error = ?, next_attempt_at = ?, permanent = ?, updated_at = ?, failure = ?,"
           " error_detail = ?")
    params = (FAILING, reason, None if permanent else iso(retry_at), int(permanent), iso(now), failure, detail)
    if not _update(conn, item_id, (DELIVERING, PENDING, FAILING), sql, params):
        raise KnownError(_("This outbox item is already delivered or gone."), detail=item_id)


def retry_now(conn: sqlite3.Connection, item_id: str, now: datetime, actor: str = "") -> None:
    """Make a failing item due at once (and clear `permanent`); audited when an `actor` pressed retry."""
    with transaction(conn):
        sql = "state = ?, next_attempt_at = NULL, permanent = 0, failure = '', updated_at = ?"
        if not _update(conn, item_id, (FAILING, PENDING), sql, (PENDING, iso(now))):
            raise KnownError(
                _("Only a waiting or failed item can be retried: this one is being delivered or done.")
            )
        if actor:
            audit.append(conn, actor, audit.RETRY, item_id, {}, now)


def recover_interrupted(conn: sqlite3.Connection, now: datetime) -> list[str]:
    """On start: items left "delivering" by a crash go back to pending (delivered again, idempotently)."""
    with transaction(conn):
        ids = [
            r["id"] for r in conn.execute("SELECT id FROM outbox WHERE state = ? ORDER BY seq", (DELIVERING,))
        ]
        conn.execute(
            "UPDATE outbox SET state = ?, last_error = ?, next_attempt_at = NULL, updated_at = ?"
            " WHERE state = ?",
            (PENDING, "interrupted: the app stopped during delivery; delivering again", iso(now), DELIVERING),
        )
    for item_id in ids:
        log.outbox.info("delivery of %s was interrupted by a restart: it will be attempted again", item_id)
    return ids


def get(conn: sqlite3.Connection, item_id: str) -> OutboxItem | None:
    row = conn.execute("SELECT * FROM outbox WHERE id = ?", (item_id,)).fetchone()
    return _item(row) if row else None


def list_items(conn: sqlite3.Connection, limit: int = 100, states: Sequence[str] = ()) -> list[OutboxItem]:
    """Newest first (the Activity panel), optionally only some states."""
    if states:
        marks = ", ".join("?" for _ in states)
        sql, params = (
            f"SELECT * FROM outbox WHERE state IN ({marks}) ORDER BY seq DESC LIMIT ?",
            (*states, limit),
        )
    else:
        sql, params = "SELECT * FROM outbox ORDER BY seq DESC LIMIT ?", (limit,)
    return [_item(r) for r in conn.execute(sql, params)]


def counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Items per state (every state present, 0 when none)."""
    found = dict(conn.execute("SELECT state, COUNT(*) FROM outbox GROUP BY state").fetchall())
    return {state: found.get(state, 0) for state in (PENDING, DELIVERING, FAILING, DELIVERED)}
