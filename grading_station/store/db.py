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
from grading_station.errors import DamagedDatabase, DiskFull, KnownError, StoreBusy
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
    (  # 2: the offline cache of units and catalogue models (store/unit_cache.py)
        "CREATE TABLE unit_cache (serial TEXT PRIMARY KEY, payload TEXT NOT NULL, seen_at TEXT NOT NULL)",
        "CREATE TABLE model_cache (template_id INTEGER PRIMARY KEY, payload TEXT NOT NULL, seen_at TEXT NOT NULL)",
        "CREATE TABLE answer_cache (serial TEXT PRIMARY KEY, payload TEXT NOT NULL, saved_at TEXT NOT NULL)",
    ),
    (  # 3: saved payloads carry their format version: rows written before had version 1's format.
        "ALTER TABLE outbox ADD COLUMN version INTEGER NOT NULL DEFAULT 1",
        "ALTER TABLE drafts ADD COLUMN version INTEGER NOT NULL DEFAULT 1",
        # How the last attempt failed ('retry', 'refused', 'bug', 'quarantined') and its technical detail.
        "ALTER TABLE outbox ADD COLUMN failure TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE outbox ADD COLUMN error_detail TEXT NOT NULL DEFAULT ''",
    ),
    (  # 4: the lots' properties as last read, per Odoo database (store/lot_cache.py)
        """CREATE TABLE lot_cache (
            source TEXT NOT NULL, lot_id INTEGER NOT NULL, write_date TEXT NOT NULL, props TEXT NOT NULL,
            confirmed INTEGER NOT NULL, read_at REAL NOT NULL, PRIMARY KEY (source, lot_id))""",
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
    except (sqlite3.Error, UnicodeDecodeError) as exc:
        known = _known(exc, path)
        if known is None:
            raise
        raise known from exc
    return conn


def migrate(conn: sqlite3.Connection, migrations: tuple[tuple[str, ...], ...] = MIGRATIONS) -> int:
    """Bring the schema to the latest version, one transaction per version; returns the version reached."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > len(migrations):
        raise KnownError(
            _("The local database was written by a newer Grading Station (schema {version}, this one knows "
              "{known}): update the app on this computer.").format(version=version, known=len(migrations)),
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


# Primary SQLite result codes (https://sqlite.org/rescode.html); extended codes carry them in the low byte.
_BUSY_CODES = {5, 6}  # SQLITE_BUSY, SQLITE_LOCKED
_FULL_CODES = {13}  # SQLITE_FULL
_DAMAGED_CODES = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB
_ACCESS_CODES = {3, 8, 14, 23}  # SQLITE_PERM, SQLITE_READONLY, SQLITE_CANTOPEN, SQLITE_AUTH
_IO_CODES = {10}  # SQLITE_IOERR


def _known(exc: BaseException, path: Path | None = None) -> KnownError | None:
    """The KnownError for a database failure the user can act on, told apart by SQLite's error code (messages
    differ between SQLite versions and may be localised); None for a bug (a constraint, a wrong statement).

    sqlite3 raises UnicodeDecodeError instead of its own error when SQLite's message is not UTF-8: that text
    comes from the file (an object name in the schema), so the file is damaged."""
    where = f" ({path})" if path else ""
    if isinstance(exc, UnicodeDecodeError):
        return DamagedDatabase(_damaged(where), detail=f"undecodable SQLite error text: {exc!r}")
    code = getattr(exc, "sqlite_errorcode", None)
    detail = f"{getattr(exc, 'sqlite_errorname', '') or type(exc).__name__}: {exc}"
    primary = code & 0xFF if isinstance(code, int) else None
    if primary in _BUSY_CODES:
        return StoreBusy(_("The local database is busy: is Grading Station open twice on this computer? "
                           "It will be tried again."), detail=detail)
    if primary in _FULL_CODES:
        return DiskFull(_("The disk is full: the local database cannot save. Free some space, then try "
                          "again."), detail=detail)
    if primary in _DAMAGED_CODES:
        return DamagedDatabase(_damaged(where), detail=detail)
    if primary in _ACCESS_CODES:
        return KnownError(_("The local database{where} cannot be opened or written: check that this user may "
                            "write to it and that the disk is not read-only.").format(where=where), detail=detail)
    if primary in _IO_CODES:
        return KnownError(_("The disk holding the local database{where} failed to read or write. Check the "
                            "disk, then restart Grading Station.").format(where=where), detail=detail)
    if isinstance(exc, sqlite3.OperationalError):
        return KnownError(_("The local database{where} cannot be used: {reason}.").format(where=where, reason=exc),
                          detail=detail)
    return None


def _damaged(where: str) -> str:
    return _("The local database file is damaged{where}. Quit Grading Station, move that file away (keep it "
             "for support) or restore it from a backup, then start again: a new empty one is made.").format(
        where=where)


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
        except (sqlite3.Error, UnicodeDecodeError) as exc:
            known = _known(exc, self.path)
            if known is None:
                raise  # a bug (a constraint, a wrong statement): the caller's crash handling shows it
            raise known from exc

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
