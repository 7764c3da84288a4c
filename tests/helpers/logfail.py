"""Strict logging: any WARNING (or worse) from our loggers fails the test unless the test declared it.

`expected_logs.expect(logger, regex)` allows such a record; `expected_logs.require(logger, regex)` also fails the
test when no matching record (of any level) was logged by its end — for a test whose point is the log line.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

import pytest


@dataclass
class ExpectedLogs:
    """Patterns of log messages a test expects (allowed) or requires (must appear)."""

    patterns: list[tuple[str, re.Pattern[str]]] = field(default_factory=list)
    required: list[tuple[str, re.Pattern[str]]] = field(default_factory=list)
    records: list[logging.LogRecord] = field(default_factory=list)

    def expect(self, logger: str, pattern: str) -> None:
        self.patterns.append((logger, re.compile(pattern)))

    def require(self, logger: str, pattern: str) -> None:
        """Allow it, and fail the test if it was never logged (at any level)."""
        self.expect(logger, pattern)
        self.required.append((logger, re.compile(pattern)))

    def allows(self, record: logging.LogRecord) -> bool:
        return any(_matches(record, name, rx) for name, rx in self.patterns)

    def missing(self) -> list[str]:
        return [f"{name}: {rx.pattern}" for name, rx in self.required
                if not any(_matches(r, name, rx) for r in self.records)]

    def seen_all(self) -> bool:
        """True once every required message was logged (for `qtbot.waitUntil(expected_logs.seen_all)`)."""
        return not self.missing()


def _matches(record: logging.LogRecord, name: str, rx: re.Pattern[str]) -> bool:
    return record.name.startswith(name) and bool(rx.search(record.getMessage()))


class _Collector(logging.Handler):
    def __init__(self, level: int) -> None:
        super().__init__(level=level)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def expected_logs(_log_collector) -> ExpectedLogs:
    expected = ExpectedLogs()
    expected.records = _log_collector.records  # the same list: `seen_all` sees records as they arrive
    return expected


@pytest.fixture
def _log_collector():
    collector = _Collector(logging.DEBUG)
    root = logging.getLogger("grading_station")
    previous = root.level
    if root.level == logging.NOTSET or root.level > logging.INFO:
        root.setLevel(logging.INFO)  # required INFO lines must reach the collector
    root.addHandler(collector)
    yield collector
    root.removeHandler(collector)
    root.setLevel(previous)


@pytest.fixture(autouse=True)
def _fail_on_unexpected_warning_logs(request: pytest.FixtureRequest, _log_collector):
    yield
    expected = request.node.funcargs.get("expected_logs") if hasattr(request.node, "funcargs") else None
    warnings = [r for r in _log_collector.records if r.levelno >= logging.WARNING]
    unexpected = [r for r in warnings if not (expected and expected.allows(r))]
    if unexpected:
        lines = "\n".join(f"{r.levelname} {r.name}: {r.getMessage()}" for r in unexpected)
        pytest.fail(f"unexpected warning logs:\n{lines}", pytrace=False)
    missing = expected.missing() if expected else []
    if missing:
        pytest.fail("required log messages never logged:\n" + "\n".join(missing), pytrace=False)
