"""Named loggers per subsystem and an in-memory tail for the Activity panel."""

from __future__ import annotations

import collections
import json
import logging
import threading

root = logging.getLogger("grading_station")
app = logging.getLogger("grading_station.app")
odoo = logging.getLogger("grading_station.odoo")
backmarket = logging.getLogger("grading_station.backmarket")
outbox = logging.getLogger("grading_station.outbox")
store = logging.getLogger("grading_station.store")
hardware = logging.getLogger("grading_station.hardware")
ui = logging.getLogger("grading_station.ui")
sim = logging.getLogger("grading_station.sim")


class TailHandler(logging.Handler):
    """Keeps the last `capacity` formatted records for the Activity panel (thread-safe)."""

    def __init__(self, capacity: int = 2000) -> None:
        super().__init__()
        self._records: collections.deque[str] = collections.deque(maxlen=capacity)
        self._lock = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        line = self.format(record)
        with self._lock:
            self._records.append(line)

    def lines(self) -> list[str]:
        with self._lock:
            return list(self._records)


class JsonFormatter(logging.Formatter):
    """One JSON object per line (`--json-logging`), read by the end-to-end tests."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "created": record.created,
            "levelname": record.levelname,
            "name": record.name,
            "message": record.getMessage(),
        }
        event = getattr(record, "event", None)
        if event:
            entry["event"] = event
        if record.exc_info:
            entry["traceback"] = self.formatException(record.exc_info)
        elif record.exc_text:  # the secrets mask leaves a scrubbed traceback here
            entry["traceback"] = record.exc_text
        return json.dumps(entry)


TAIL = TailHandler()


def init(level: int = logging.INFO, json_logging: bool = False) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(
        JsonFormatter() if json_logging else logging.Formatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s")
    )
    TAIL.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s", "%H:%M:%S"))
    root.addHandler(handler)
    root.addHandler(TAIL)
    root.setLevel(level)
