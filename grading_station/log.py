"""Named loggers per subsystem and an in-memory tail for the Activity panel."""

from __future__ import annotations

import collections
import copy
import json
import logging
import logging.handlers
import os
import queue
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


class _FileQueue(logging.handlers.QueueHandler):
    """Hands records to the file writer's thread: a log line from the GUI thread never waits for the disk."""

    def __init__(self, target: logging.Handler) -> None:
        self.queue_: queue.SimpleQueue = queue.SimpleQueue()
        super().__init__(self.queue_)
        self.listener = logging.handlers.QueueListener(self.queue_, target, respect_handler_level=True)
        self.target = target
        self.listener.start()

    def prepare(self, record: logging.LogRecord) -> logging.LogRecord:
        # Only what cannot cross threads is settled here (the arguments, the traceback as text): the writer's own
        # formatter still makes the line, so JSON lines keep "traceback" apart from "message".
        record = copy.copy(record)
        record.msg, record.args = record.getMessage(), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.exc_info = None
        return record

    def close(self) -> None:
        self.listener.stop()  # writes what is queued, then ends the thread
        self.target.close()
        super().close()


def add_log_file(log_dir: Path, json_lines: bool = False, max_bytes: int = 5_000_000, backups: int = 5) -> Path:
    """Also write the log to `log_dir`/grading-station.log (rotated at `max_bytes`, `backups` old files kept) on a
    writer thread; the secrets mask (grading_station.secrets) scrubs every record before any handler sees it."""
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / LOG_FILE_NAME
    remove_log_file()  # a second station in one process (tests) replaces the file handler
    handler = _PrivateRotatingFile(path, maxBytes=max_bytes, backupCount=backups, encoding="utf-8", delay=True)
    handler.setFormatter(JsonFormatter() if json_lines else logging.Formatter(_TEXT_FORMAT))
    root.addHandler(_FileQueue(handler))
    if root.level == logging.NOTSET or root.level > logging.INFO:
        root.setLevel(logging.INFO)
    return path


def remove_log_file() -> None:
    for handler in list(root.handlers):
        if isinstance(handler, _FileQueue):
            root.removeHandler(handler)
            handler.close()
