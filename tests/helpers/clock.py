"""A settable UTC clock for the store, the deliverer and the services under test."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

START = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


class Clock:
    """Returns `now` (settable); `advance(seconds)` moves it on."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)
