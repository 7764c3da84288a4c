"""What this station knows of its Back Market listings and units, kept in SQLite across restarts."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from grading_station.paths import private_file

_SCHEMA = """
CREATE TABLE IF NOT EXISTS listing (
    sku_key TEXT PRIMARY KEY, sku TEXT NOT NULL, listing_uuid TEXT, legacy_id INTEGER,
    state TEXT NOT NULL, reason TEXT NOT NULL DEFAULT '', quantity INTEGER, task_id INTEGER,
    prices TEXT NOT NULL DEFAULT '{}', updated_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS unit (
    serial TEXT PRIMARY KEY, variant_id INTEGER NOT NULL, sku TEXT NOT NULL, model_name TEXT NOT NULL,
    grade TEXT NOT NULL, graded_at REAL NOT NULL, listed_at REAL);
"""
# user_version -> the statements that bring a registry of that version to the next one
_MIGRATIONS = {
    1: ["ALTER TABLE unit ADD COLUMN listed_at REAL"],  # when the unit's listing first went live (figures)
}
VERSION = 2
STATES = ("pending", "live", "offline", "failed")


@dataclass(frozen=True)
class ListingRecord:
    """One SKU: `state` pending (queued or in a batch task), live, offline (quantity 0), failed (`reason`)."""

    sku: str
    listing_uuid: str | None
    legacy_id: int | None
    state: str
    reason: str
    quantity: int | None
    task_id: int | None
    prices: dict[str, list[str]]  # market -> [price, min_price] last pushed
    updated_at: float


@dataclass(frozen=True)
class UnitListing:
    """A graded unit and the state of the listing it is sold under."""

    serial: str
    variant_id: int
    sku: str
    model_name: str
    grade: str
    listing: ListingRecord | None

    @property
    def state(self) -> str:
        return self.listing.state if self.listing else "pending"

    @property
    def text(self) -> str:
        if self.listing is None:
            return "Back Market: pending"
        if self.listing.state == "failed":
            return f"Back Market: failed: {self.listing.reason}"
        if self.listing.state == "live":
            return f"Back Market: live ({self.listing.quantity} on sale under {self.sku})"
        if self.listing.state == "offline":
            return f"Back Market: offline ({self.listing.reason or 'quantity 0'})"
        return "Back Market: pending" + (f" ({self.listing.reason})" if self.listing.reason else "")


class ListingRegistry:
    """SKU and unit listing states (thread-safe); `path=None` keeps them in memory (tests)."""

    def __init__(self, path: Path | None, clock=time.time) -> None:
        if path is not None:
            private_file(path)  # the shop's listings are nobody else's business: 0600 (and its -journal)
        self._db = sqlite3.connect(str(path) if path else ":memory:", check_same_thread=False)
        self._migrate()
        self._lock = threading.Lock()
        self._clock = clock
        # Called with the SKU after each change of a listing's state (the station publishes ListingDidChange).
        self.listeners: list[Callable[[str], None]] = []

    def _migrate(self) -> None:
        """A new registry gets the current schema; an older one its missing columns, in one transaction."""
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        exists = self._db.execute("SELECT 1 FROM sqlite_master WHERE name = 'unit'").fetchone()
        with self._db:
            if not exists:
                self._db.executescript(_SCHEMA)
            else:
                for step in range(max(version, 1), VERSION):
                    for statement in _MIGRATIONS[step]:
                        self._db.execute(statement)
            self._db.execute(f"PRAGMA user_version = {VERSION}")

    def now(self) -> float:
        """The registry's clock (wall time: `updated_at` is compared with it across restarts)."""
        return self._clock()

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def listing(self, sku: str) -> ListingRecord | None:
        with self._lock:
            row = self._db.execute(
                "SELECT sku, listing_uuid, legacy_id, state, reason, quantity, task_id, prices,"
                " updated_at FROM listing WHERE sku_key = ?",
                (sku.casefold(),),
            ).fetchone()
        return None if row is None else ListingRecord(*row[:7], json.loads(row[7]), row[8])

    def set_listing(
        self,
        sku: str,
        state: str,
        *,
        reason: str = "",
        listing_uuid: str | None = None,
        legacy_id: int | None = None,
        quantity: int | None = None,
        task_id: int | None = None,
        prices: dict[str, list[str]] | None = None,
    ) -> None:
        """Record a SKU's state; identifiers and prices not given keep their stored value."""
        assert state in STATES, state
        old = self.listing(sku)
        with self._lock, self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO listing VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    sku.casefold(),
                    sku,
                    listing_uuid or (old.listing_uuid if old else None),
                    legacy_id if legacy_id is not None else (old.legacy_id if old else None),
                    state,
                    reason,
                    quantity if quantity is not None else (old.quantity if old else None),
                    task_id,
                    json.dumps(prices if prices is not None else (old.prices if old else {})),
                    self._clock(),
                ),
            )
            if state == "live" and (quantity if quantity is not None else (old.quantity if old else 0) or 0) > 0:
                # the units waiting under this SKU are on sale from now (a re-grade notes the unit again, unlisted)
                self._db.execute("UPDATE unit SET listed_at = ? WHERE lower(sku) = ? AND listed_at IS NULL",
                                 (self._clock(), sku.casefold()))
        for listener in list(self.listeners):  # outside the lock: a listener may read the registry
            listener(sku)

    def note_unit(self, serial: str, variant_id: int, sku: str, model_name: str, grade: str) -> None:
        """A unit was graded onto this variant (a re-grade moves it: the serial keeps one row, not listed yet)."""
        with self._lock, self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO unit VALUES (?, ?, ?, ?, ?, ?, NULL)",
                (serial, variant_id, sku, model_name, grade, self._clock()),
            )

    def listed_at(self, serials: list[str] | None = None) -> dict[str, float]:
        """Serial -> when its listing went live (wall time), for the units listed (these serials, or all)."""
        with self._lock:
            rows = self._db.execute("SELECT serial, listed_at FROM unit WHERE listed_at IS NOT NULL").fetchall()
        wanted = None if serials is None else set(serials)
        return {s: t for s, t in rows if wanted is None or s in wanted}

    def unit(self, serial: str) -> UnitListing | None:
        with self._lock:
            row = self._db.execute(
                "SELECT serial, variant_id, sku, model_name, grade FROM unit WHERE serial = ?", (serial,)
            ).fetchone()
        return None if row is None else UnitListing(*row, self.listing(row[2]) if row[2] else None)

    def units(self, limit: int = 500) -> list[UnitListing]:
        """Most recently graded first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT serial, variant_id, sku, model_name, grade FROM unit "
                "ORDER BY graded_at DESC, rowid DESC LIMIT ?",
                (limit,),
            ).fetchall()
        return [UnitListing(*row, self.listing(row[2]) if row[2] else None) for row in rows]
