"""What this station knows of its Back Market listings and units, kept in SQLite across restarts."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
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
    grade TEXT NOT NULL, graded_at REAL NOT NULL);
"""
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
        self._db.executescript(_SCHEMA)
        self._db.execute("PRAGMA user_version = 1")
        self._lock = threading.Lock()
        self._clock = clock

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

    def note_unit(self, serial: str, variant_id: int, sku: str, model_name: str, grade: str) -> None:
        """A unit was graded onto this variant (a re-grade moves it: the serial keeps one row)."""
        with self._lock, self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO unit VALUES (?, ?, ?, ?, ?, ?)",
                (serial, variant_id, sku, model_name, grade, self._clock()),
            )

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
