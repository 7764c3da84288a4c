"""The lots' properties as last read, by write date: a reading fetches again only the lots written since (their
write dates are 50 bytes a lot, their properties ~2 KB as Odoo reads them), also after a restart when an archive
(the local store) keeps them."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from typing import Protocol

from grading_station.domain.lot_reading import LotReading

from grading_station.odoo.connection import OdooConnection
from grading_station.odoo.mappers import properties_dict, text

from grading_station import log
from grading_station.errors import KnownError

_ODOO_DATETIME = "%Y-%m-%d %H:%M:%S"


class LotArchive(Protocol):
    """Where the readings outlive the process (store/lot_cache.py); `source` names the Odoo database."""

    def load(self, source: str) -> list[LotReading]: ...

    def save(self, source: str, readings: Iterable[LotReading], dropped: Iterable[int] = (), *,
             only_source: bool = False) -> None: ...


SETTLE_S = 2.0  # an unconfirmed reading is read again this long after: Odoo's clock has then left its second
CLOCK_MARGIN_S = 300.0  # Odoo's clock is taken to be at most this far behind the station's


class LotPropertiesCache:
    """`read(lot_ids)`: the write dates of the lots (1 RPC, skipped when none is known), then the properties of
    the new and changed ones (1 RPC, skipped when none).

    Write dates have one-second steps: a lot written twice in one second keeps one date, so properties read during
    that second could be kept for good. A reading is therefore "confirmed" only when Odoo's clock had left the
    second of its write date, which is known when the date is older than the newest date Odoo answered, or older
    than the station's clock minus a bound of how far Odoo's clock is behind (CLOCK_MARGIN_S at first, tightened by
    every write date seen). An unconfirmed reading (a lot written just before) is read once more by the first
    reading SETTLE_S after it. (Two transactions on one lot begun in the same second, the second committing after
    our second look, still slip through: Odoo stamps a write with its transaction's start.)"""

    def __init__(self, connection: OdooConnection, archive: LotArchive | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        self._conn = connection
        self._archive = archive
        self._clock = clock
        self._lock = threading.Lock()
        self._readings: dict[int, LotReading] = {}
        self._source: str | None = None  # the Odoo database the readings come from (loaded from the archive)
        self._behind = CLOCK_MARGIN_S  # how far Odoo's clock may be behind the station's, in seconds

    def read(self, lot_ids: list[int], *, complete: bool = False) -> dict[int, Mapping[str, object]]:
        """{lot id: properties} of these lots; `complete`: they are every lot on hand, the others are forgotten."""
        known = self._known()
        if not lot_ids:
            return {}
        started = self._clock()
        todo = [i for i in lot_ids if i not in known]
        cached = [i for i in lot_ids if i in known]
        newest, unchanged = "", set()
        if cached:
            dates = self._conn.call("stock.lot", "read", [cached, ["write_date"]], what="check the units' changes")
            newest = self._observe(dates)
            for row in dates:
                before = known[row["id"]]
                settling = not before.confirmed and started - before.read_at >= SETTLE_S
                same = before.write_date == text(row.get("write_date")) and not settling
                (unchanged.add if same else todo.append)(row["id"])
        sent = self._clock()
        rows = self._conn.call("stock.lot", "read", [sorted(todo), ["lot_properties", "write_date"]],
                               what="read the units' properties") if todo else []
        newest = max(newest, self._observe(rows))
        received = self._clock()
        with self._lock:
            settled = _odoo_time(sent - self._behind - 1.0)  # write dates up to this second are over at Odoo
        fresh = []
        for row in rows:
            write_date, before = text(row.get("write_date")), known.get(row["id"])
            again = before is not None and before.write_date == write_date and sent - before.read_at >= SETTLE_S
            confirmed = bool(write_date) and (write_date < newest or write_date <= settled or again)
            fresh.append(LotReading(row["id"], write_date, properties_dict(row.get("lot_properties")), confirmed,
                                    received))
        answered = unchanged | {r.lot_id for r in fresh}  # a lot gone since the quants were read is not
        with self._lock:  # the figures' reading of every lot and the queues' share one cache
            self._readings.update((r.lot_id, r) for r in fresh)
            dropped = sorted(set(self._readings) - set(lot_ids)) if complete else []
            for lot_id in dropped:
                del self._readings[lot_id]
            merged = {i: self._readings[i].props for i in lot_ids if i in answered and i in self._readings}
            source = self._source
        if self._archive is not None and source is not None and (fresh or dropped):
            self._archive.save(source, fresh, dropped, only_source=complete)
        return merged

    def _known(self) -> dict[int, LotReading]:
        """The readings of the database the connection now points at (loaded from the archive at first use)."""
        settings = self._conn.settings
        source = f"{settings.url.strip()}|{settings.database}"
        with self._lock:
            if source == self._source:
                return dict(self._readings)
        try:
            loaded = self._archive.load(source) if self._archive is not None else []
        except KnownError as exc:  # the local store cannot be read: this reading fetches every lot
            log.odoo.info("the lots' properties kept locally cannot be read: %s", exc)
            loaded = []
        with self._lock:
            if source != self._source:
                self._source, self._behind = source, CLOCK_MARGIN_S
                self._readings = {r.lot_id: r for r in loaded}
            return dict(self._readings)

    def _observe(self, rows: list[dict]) -> str:
        """The newest write date of an answer just received: Odoo's clock had reached it."""
        newest = max((text(row.get("write_date")) for row in rows), default="")
        try:
            stamp = datetime.strptime(newest, _ODOO_DATETIME).replace(tzinfo=UTC).timestamp()
        except ValueError:
            return newest
        after = self._clock()
        with self._lock:
            self._behind = min(self._behind, after - stamp)
        return newest


def _odoo_time(seconds: float) -> str:
    """Odoo's form of a moment; "" (before every date) for one out of range (a server answering year 9999)."""
    try:
        return datetime.fromtimestamp(seconds, UTC).strftime(_ODOO_DATETIME)
    except (OverflowError, OSError, ValueError):
        return ""
