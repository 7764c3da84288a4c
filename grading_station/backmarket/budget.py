"""The 2,000 SKU-lines/hour listing budget, tracked locally and persisted so a restart does not reset it."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from pathlib import Path

from grading_station.backmarket.errors import BackMarketError, Failure

from grading_station import log
from grading_station.paths import write_private_text


class ListingBudget:
    """Counts SKU lines written (CSV rows and single updates) over a sliding hour.

    `spend(n)` records n lines or raises BackMarketError(BUDGET) (retryable) when they would pass the limit;
    `refund(n)` gives back lines Back Market certainly did not take; the file at `path` keeps the spending
    across restarts. Wall-clock time, since it must survive a restart.
    """

    def __init__(
        self,
        path: Path | None,
        limit: int = 2000,
        window: float = 3600.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.path, self.limit, self.window, self._clock = path, limit, window, clock
        self._lock = threading.Lock()
        self._spent: list[tuple[float, int]] = self._load()

    def _load(self) -> list[tuple[float, int]]:
        if self.path is None or not self.path.exists():
            return []
        try:
            return [(float(t), int(n)) for t, n in json.loads(self.path.read_text(encoding="utf-8"))]
        except (OSError, ValueError, TypeError) as exc:
            # A damaged file must not stop listing: start over, counting the limit from now.
            log.backmarket.warning(
                "listing budget file %s unreadable (%s); assuming it is spent", self.path, exc
            )
            return [(self._clock(), self.limit)]

    def _save(self) -> None:
        if self.path is None:
            return
        write_private_text(self.path, json.dumps(self._spent))

    def _prune(self, now: float) -> None:
        self._spent = [(t, n) for t, n in self._spent if t > now - self.window]

    def remaining(self) -> int:
        with self._lock:
            self._prune(self._clock())
            return self.limit - sum(n for _, n in self._spent)

    def spend(self, lines: int) -> None:
        if lines <= 0:
            return
        with self._lock:
            now = self._clock()
            self._prune(now)
            used = sum(n for _, n in self._spent)
            if used + lines > self.limit:
                free_at = self._spent[0][0] + self.window if self._spent else now
                raise BackMarketError(
                    Failure.BUDGET,
                    message=f"{used} of {self.limit} SKU lines used this hour; "
                    f"{lines} more must wait {max(free_at - now, 0) / 60:.0f} min",
                    operation="listing budget",
                )
            self._spent.append((now, lines))
            self._save()

    def refund(self, lines: int) -> None:
        """Give back the `lines` spent last: the write was refused, throttled or never left. (A write that timed
        out may have landed, so its caller keeps it counted.) Taken from the newest entries so the refund
        leaves the window together with the spending it cancels."""
        if lines <= 0:
            return
        with self._lock:
            kept: list[tuple[float, int]] = []
            for t, n in reversed(self._spent):
                take = min(n, lines)
                lines -= take
                if n - take:
                    kept.append((t, n - take))
            self._spent = kept[::-1]
            self._save()
