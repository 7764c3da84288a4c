"""Strict logging: any WARNING (or worse) from our loggers fails the test unless the test declared it."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

import pytest


@dataclass
class ExpectedLogs:
    """Patterns of warning/error messages a test expects; `expect(logger, regex)` registers one."""

    patterns: list[tuple[str, re.Pattern[str]]] = field(default_factory=list)

    def expect(self, logger: str, pattern: str) -> None:
        self.patterns.append((logger, re.compile(pattern)))

    def allows(self, record: logging.LogRecord) -> bool:
        return any(
            record.name.startswith(name) and rx.search(record.getMessage()) for name, rx in self.patterns
        )


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def expected_logs() -> ExpectedLogs:
    return ExpectedLogs()


@pytest.fixture(autouse=True)
def _fail_on_unexpected_warning_logs(request: pytest.FixtureRequest):
    collector = _Collector()
    root = logging.getLogger("grading_station")
    root.addHandler(collector)
    yield
    root.removeHandler(collector)
    expected = request.node.funcargs.get("expected_logs") if hasattr(request.node, "funcargs") else None
    unexpected = [r for r in collector.records if not (expected and expected.allows(r))]
    if unexpected:
        lines = "\n".join(f"{r.levelname} {r.name}: {r.getMessage()}" for r in unexpected)
        pytest.fail(f"unexpected warning logs:\n{lines}", pytrace=False)
