"""Named loggers per subsystem and an in-memory tail for the Activity panel."""

from __future__ import annotations

import collections
import json
import logging
import logging.handlers
import os
import threading
from pathlib import Path

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
        return json.dumps(entry, ensure_ascii=False)


TAIL = TailHandler()
LOG_FILE_NAME = "grading-station.log"
_TEXT_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"


def init(level: int = logging.INFO, json_logging: bool = False) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(
        JsonFormatter() if json_logging else logging.Formatter(_TEXT_FORMAT)
    )
    TAIL.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s", "%H:%M:%S"))
    root.addHandler(handler)
    root.addHandler(TAIL)
    root.setLevel(level)


class _PrivateRotatingFile(logging.handlers.RotatingFileHandler):
    """A rotating log file only its user can read (it names serials and technicians)."""

    def _open(self):  # noqa: ANN202 (logging's signature)
        stream = super()._open()
        os.chmod(self.baseFilename, 0o600)
        return stream


def add_log_file(log_dir: Path, json_lines: bool = False, max_bytes: int = 5_000_000, backups: int = 5) -> Path:
    """Also write the log to `log_dir`/grading-station.log (rotated at `max_bytes`, `backups` old files kept);
    the secrets mask (grading_station.secrets) scrubs every record before any handler sees it."""
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / LOG_FILE_NAME
    remove_log_file()  # a second station in one process (tests) replaces the file handler
    handler = _PrivateRotatingFile(path, maxBytes=max_bytes, backupCount=backups, encoding="utf-8", delay=True)
    handler.setFormatter(JsonFormatter() if json_lines else logging.Formatter(_TEXT_FORMAT))
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > logging.INFO:
        root.setLevel(logging.INFO)
    return path


def remove_log_file() -> None:
    for handler in list(root.handlers):
        if isinstance(handler, _PrivateRotatingFile):
            root.removeHandler(handler)
            handler.close()
