"""The local SQLite database: connection settings, schema migrations (PRAGMA user_version), the store thread.

❌ `sqlite3.connect(...)` in a service or a slot: connections must stay on the one store thread.
✅ `executor.call(outbox.due, now)` from a worker thread, or `executor.submit(drafts.save_draft, ...)`.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import sqlite3
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from grading_station import log
from grading_station.errors import KnownError
from grading_station.i18n import _
from grading_station.paths import private_file

P = ParamSpec("P")
T = TypeVar("T")

# One entry per schema version; never edit a released entry, append a new one.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE drafts (
            id TEXT PRIMARY KEY, station TEXT NOT NULL, payload TEXT NOT NULL,
            created_at TEXT NOT NULL, updated_at TEXT NOT NULL, closed_at TEXT, closed_reason TEXT)""",
        "CREATE UNIQUE INDEX drafts_open_per_station ON drafts(station) WHERE closed_at IS NULL",
        """CREATE TABLE outbox (
            seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, key TEXT,
            payload TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'pending'
                CHECK (state IN ('pending', 'delivering', 'failing', 'delivered')),
            attempts INTEGER NOT NULL DEFAULT 0, permanent INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL, updated_at TEXT NOT NULL, next_attempt_at TEXT,
            last_error TEXT NOT NULL DEFAULT '', result TEXT, delivered_at TEXT)""",
        "CREATE INDEX outbox_open ON outbox(state, seq) WHERE state != 'delivered'",
        "CREATE INDEX outbox_key ON outbox(key, seq) WHERE key IS NOT NULL",
        """CREATE TABLE audit (
            seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, actor TEXT NOT NULL,
            action TEXT NOT NULL,
            subject TEXT NOT NULL DEFAULT '', detail TEXT NOT NULL DEFAULT '{}')""",
        "CREATE INDEX audit_subject ON audit(subject, seq)",
        """CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
        """CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)


def iso(moment: datetime) -> str:
    """UTC timestamps in one fixed-width format, so that SQL string comparison orders them."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: pass an aware one (datetime.now(UTC))")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def utc_now() -> datetime:
    return datetime.now(UTC)


def connect(path: Path, migrations: tuple[tuple[str, ...], ...] = MIGRATIONS) -> sqlite3.Connection:
    """Open (creating if needed) and migrate the database. WAL lets readers run while the store thread writes;
    synchronous=FULL makes every committed draft step survive a power cut, not only an app crash."""
    try:
        private_file(path)  # serials and technician names: 0600, and so are the -wal and -shm files SQLite adds
    except OSError as exc:
        raise KnownError(_("The local database cannot be created in {folder}: {reason}.").format(
            folder=path.parent, reason=exc.strerror or exc), detail=str(exc)) from exc
    try:
        conn = sqlite3.connect(path, isolation_level=None, timeout=5.0)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        migrate(conn, migrations)
    except sqlite3.DatabaseError as exc:
        raise _known(exc, path) from exc
    return conn


def migrate(conn: sqlite3.Connection, migrations: tuple[tuple[str, ...], ...] = MIGRATIONS) -> int:
    """Bring the schema to the latest version, one transaction per version; returns the version reached."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > len(migrations):
        raise KnownError(
            f"The local database was written by a newer Grading Station (schema {version}, this one knows "
            f"{len(migrations)}): update the app on this computer.",
        )
    for target in range(version + 1, len(migrations) + 1):
        with transaction(conn):
            for statement in migrations[target - 1]:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {target}")
        log.store.info("database schema migrated to version %d", target)
    return len(migrations)


@contextlib.contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE … COMMIT (ROLLBACK on error). Nested use joins the outer transaction, so building
    blocks like `enqueue` can run alone or inside `commit_grading`."""
    if conn.in_transaction:
        yield conn
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _known(exc: sqlite3.Error, path: Path | None = None) -> KnownError:
    text = str(exc).lower()
    where = f" ({path})" if path else ""
    if "locked" in text or "busy" in text:
        message = "The local database is busy: is Grading Station open twice on this computer?"
    elif "full" in text:
        message = "The disk is full: the local database cannot save. Free some space, then try again."
    elif "not a database" in text or "malformed" in text:
        message = f"The local database file is damaged{where}: restore it from a backup or move it away."
    else:
        message = f"The local database cannot be used{where}: {exc}."
    return KnownError(message, detail=str(exc))


class StoreExecutor:
    """Owns the SQLite connection and the single thread that uses it (sqlite3 objects stay on one thread).

    `submit(fn, *args)` runs `fn(conn, *args)` on the store thread and returns a Future; `call` waits for the
    result (safe from any thread but the GUI's, and from the store thread itself). Database failures the user
    can act on (locked, disk full, damaged file) come back as KnownError.
    """

    def __init__(self, path: Path, migrations: tuple[tuple[str, ...], ...] = MIGRATIONS) -> None:
        self.path = path
        self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="store")
        self._conn: sqlite3.Connection | None = None
        self._thread_id: int | None = None
        self._closed = False
        self._pool.submit(self._open, migrations).result()

    def _open(self, migrations: tuple[tuple[str, ...], ...]) -> None:
        self._thread_id = threading.get_ident()
        self._conn = connect(self.path, migrations)

    def _run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        assert self._conn is not None
        try:
            return fn(self._conn, *args, **kwargs)
        except sqlite3.OperationalError as exc:
            raise _known(exc, self.path) from exc

    def submit(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> concurrent.futures.Future[T]:
        if self._closed:
            raise RuntimeError("the store is closed")
        return self._pool.submit(self._run, fn, *args, **kwargs)

    def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        if threading.get_ident() == self._thread_id:
            return self._run(fn, *args, **kwargs)  # already on the store thread: waiting would deadlock
        return self.submit(fn, *args, **kwargs).result()

    def close(self) -> None:
        """Finish queued work, checkpoint the WAL and close the connection."""
        if self._closed:
            return
        self._closed = True

        def _close() -> None:
            if self._conn is not None:
                self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                self._conn.close()
                self._conn = None

        self._pool.submit(_close).result()
        self._pool.shutdown(wait=True)
