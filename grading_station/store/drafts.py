"""The bench's grading in progress, saved at every step (one open draft per station) so a crash resumes it.

Functions take the store thread's connection (run them through `StoreExecutor`); `DraftStore` does that.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from grading_station.store.db import StoreExecutor, iso, transaction, utc_now
from grading_station.store.payloads import PAYLOAD_VERSION, parse_payload

from grading_station import log
from grading_station.errors import KnownError
from grading_station.i18n import _

COMMITTED = "committed"
ABANDONED = "abandoned"
QUARANTINED = "quarantined"  # closed_reason prefix of a draft set aside because it could not be read


@dataclass(frozen=True)
class Draft:
    """An unfinished grading: `payload` is whatever the bench saved (JSON-compatible dict)."""

    id: str
    station: str
    payload: dict
    created_at: str
    updated_at: str


def save_draft(conn: sqlite3.Connection, station: str, payload: dict, now: datetime) -> str:
    """Replace the station's open draft with `payload` (creating it if there is none); returns its id."""
    text = json.dumps(payload, sort_keys=True)
    with transaction(conn):
        row = conn.execute(
            "SELECT id FROM drafts WHERE station = ? AND closed_at IS NULL", (station,)
        ).fetchone()
        if row:
            conn.execute(
                "UPDATE drafts SET payload = ?, version = ?, updated_at = ? WHERE id = ?",
                (text, PAYLOAD_VERSION, iso(now), row["id"]),
            )
            return row["id"]
        draft_id = uuid.uuid4().hex
        conn.execute(
            "INSERT INTO drafts (id, station, payload, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
            (draft_id, station, text, PAYLOAD_VERSION, iso(now), iso(now)),
        )
        return draft_id


def open_draft(conn: sqlite3.Connection, station: str, now: datetime | None = None) -> Draft | None:
    """The station's unfinished draft (what to resume on start), or None. A draft that cannot be read
    (damaged, or saved by a newer release) is set aside: closed as "quarantined: <why>", kept in the database,
    logged as an error (the Activity log shows it), so the bench starts afresh instead of failing every time."""
    row = conn.execute(
        "SELECT id, station, payload, version, created_at, updated_at FROM drafts"
        " WHERE station = ? AND closed_at IS NULL",
        (station,),
    ).fetchone()
    if row is None:
        return None
    payload, problem = parse_payload(row["payload"], row["version"])
    if problem:
        quarantine_draft(conn, row["id"], problem, now or utc_now())
        return None
    return Draft(row["id"], row["station"], payload, row["created_at"], row["updated_at"])


def quarantine_draft(conn: sqlite3.Connection, draft_id: str, problem: str, now: datetime) -> None:
    """Close an open draft that cannot be resumed, keeping it (and why) for support."""
    with transaction(conn):
        conn.execute(
            "UPDATE drafts SET closed_at = ?, closed_reason = ? WHERE id = ? AND closed_at IS NULL",
            (iso(now), f"{QUARANTINED}: {problem}", draft_id),
        )
    log.store.error("the grading in progress saved on this bench (draft %s) could not be resumed and was set "
                    "aside: %s", draft_id, problem, extra={"event": "draft_quarantined"})


def close_draft(conn: sqlite3.Connection, draft_id: str, reason: str, now: datetime) -> None:
    """Close an open draft ("committed" or "abandoned"); KnownError if it is not open any more."""
    with transaction(conn):
        changed = conn.execute(
            "UPDATE drafts SET closed_at = ?, closed_reason = ? WHERE id = ? AND closed_at IS NULL",
            (iso(now), reason, draft_id),
        ).rowcount
        if not changed:
            raise KnownError(
                _("This grading was already committed or discarded (perhaps from another window)."),
                detail=f"draft {draft_id} is not open",
            )


class DraftStore:
    """Drafts through the store thread; blocking calls, so call them from a worker, never the GUI thread."""

    def __init__(self, executor: StoreExecutor, clock: Callable[[], datetime] = utc_now) -> None:
        self._executor = executor
        self._clock = clock

    def save(self, station: str, payload: dict) -> str:
        return self._executor.call(save_draft, station, payload, self._clock())

    def load(self, station: str) -> Draft | None:
        draft = self._executor.call(open_draft, station, self._clock())
        if draft is not None:
            log.store.info("resuming the draft of station %s saved at %s", station, draft.updated_at)
        return draft

    def set_aside(self, draft_id: str, problem: str) -> None:
        """Quarantine an open draft its user found unusable (`problem` says why); kept for support."""
        self._executor.call(quarantine_draft, draft_id, problem, self._clock())

    def abandon(self, draft_id: str) -> None:
        self._executor.call(close_draft, draft_id, ABANDONED, self._clock())
