"""Settings that apply while the station runs: each key and the running object it changes (Qt-free).

The window title (station name) is the UI's own business; keys not listed here that the user can still
change say "after restart" in Settings (`RESTART_KEYS`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from grading_station.domain.identifiers import DEFAULT_SERIAL_PATTERNS, compile_serial_patterns

from grading_station.services.delivery import Deliverer
from grading_station.services.grading import BenchIdentity, GradingService

from grading_station.config import Config

# Read once at start-up (the language: every screen is built in it).
RESTART_KEYS = frozenset({"station.language"})


class LiveSettings:
    """`apply(key)` pushes the config's current value of `key` into the running objects that use it.

    `scan_buffer` is the keyboard-wedge ScanBuffer (prefix, suffix, key interval); `photos` the PhotoStore."""

    def __init__(self, config: Config, grading: GradingService, deliverer: Deliverer,
                 scan_buffer: Any, photos: Any) -> None:
        self.config = config
        get = config.get
        self._appliers: dict[str, Callable[[], None]] = {
            "station.name": lambda: self._identity(),
            "station.technician": lambda: self._identity(),
            "scanner.prefix": lambda: _set(grading, "scan_prefix", get("scanner.prefix"),
                                           scan_buffer, "prefix"),
            "scanner.suffix": lambda: _set(grading, "scan_suffix", get("scanner.suffix"),
                                           scan_buffer, "suffix"),
            "scanner.max_key_interval_ms": lambda: setattr(scan_buffer, "max_interval_ms",
                                                           get("scanner.max_key_interval_ms")),
            "scanner.serial_patterns": lambda: setattr(grading, "serial_patterns", serial_patterns(config)),
            "photos.jpeg_quality": lambda: setattr(photos, "quality", get("photos.jpeg_quality")),
            "outbox.retry_initial_s": lambda: self._backoff(),
            "outbox.retry_max_s": lambda: self._backoff(),
        }
        self._grading, self._deliverer = grading, deliverer

    def applies_live(self, key: str) -> bool:
        return key in self._appliers

    def apply(self, key: str) -> bool:
        """True when `key` took effect now (False: not a live setting, e.g. one read at start-up)."""
        applier = self._appliers.get(key)
        if applier is None:
            return False
        applier()
        return True

    def _identity(self) -> None:
        station = self.config.get("station.name")
        self._grading.identity = BenchIdentity(station, self.config.get("station.technician") or station)

    def _backoff(self) -> None:
        self._deliverer.backoff = dataclasses.replace(
            self._deliverer.backoff,
            initial=self.config.get("outbox.retry_initial_s"), maximum=self.config.get("outbox.retry_max_s"),
        )


def serial_patterns(config: Config) -> tuple:
    return tuple(compile_serial_patterns(config.get("scanner.serial_patterns"))) + tuple(DEFAULT_SERIAL_PATTERNS)


def _set(first: Any, first_name: str, value: Any, second: Any, second_name: str) -> None:
    setattr(first, first_name, value)
    setattr(second, second_name, value)
