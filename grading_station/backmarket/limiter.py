"""Client-side throttling: a sliding-window request limiter with a pause after a 429 (API-NOTES §2)."""

from __future__ import annotations

import collections
import threading
import time
from collections.abc import Callable

from grading_station import log


class RateLimiter:
    """At most `limit` requests in any `window` seconds, and none while a 429 pause runs.

    Back Market's edge blocks for ~10 s past 200 requests / 10 s (20 / 10 s on catalog endpoints), so the
    defaults leave a margin. `clock` and `sleep` are parameters so tests run on a fake clock.
    """

    def __init__(
        self,
        limit: int = 180,
        window: float = 10.0,
        pause_after_429: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        name: str = "general",
    ) -> None:
        if limit < 1 or window <= 0:
            raise ValueError("limit and window must be positive")
        self.limit, self.window, self.pause_after_429 = limit, window, pause_after_429
        self.name = name
        self._clock, self._sleep = clock, sleep
        self._sent: collections.deque[float] = collections.deque()
        self._blocked_until = 0.0
        self._lock = threading.Lock()

    def acquire(self) -> float:
        """Wait for a free slot and take it; returns the seconds waited."""
        waited = 0.0
        while True:
            with self._lock:
                now = self._clock()
                while self._sent and self._sent[0] <= now - self.window:
                    self._sent.popleft()
                delay = max(self._blocked_until - now, 0.0)
                if not delay and len(self._sent) >= self.limit:
                    delay = self._sent[0] + self.window - now
                if delay <= 0:
                    self._sent.append(now)
                    return waited
            waited += delay
            self._sleep(delay)

    def throttled(self) -> None:
        """Back Market answered 429: nobody sends for `pause_after_429` seconds (no Retry-After is sent)."""
        with self._lock:
            self._blocked_until = max(self._blocked_until, self._clock() + self.pause_after_429)
        log.backmarket.info(
            "429 from Back Market: pausing %s requests for %.1f s", self.name, self.pause_after_429
        )

    @property
    def blocked_for(self) -> float:
        with self._lock:
            return max(self._blocked_until - self._clock(), 0.0)
