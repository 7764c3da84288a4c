"""Run blocking work off the GUI thread and get the outcome back on it (anki's QueryOp, picard's thread pool).

❌ `unit = gateway.find_unit(serial)` in a slot: the GUI freezes while Odoo answers.
✅ `run_in_background(self, lambda: gateway.find_unit(serial), success=self._show_unit)`.
"""

from __future__ import annotations

import concurrent.futures
import threading
from collections.abc import Callable
from typing import Any

import shiboken6

from PySide6.QtCore import QCoreApplication, QObject, Signal

from grading_station import log
from grading_station.errors import KnownError

_network_pool = concurrent.futures.ThreadPoolExecutor(max_workers=4, thread_name_prefix="net")


class _Relay(QObject):
    """Lives in the GUI thread; a queued signal carries a finished job's callback back to it."""

    finished = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.finished.connect(lambda callback: callback())


_relay: _Relay | None = None
_relay_lock = threading.Lock()


def _gui_relay() -> _Relay:
    global _relay
    with _relay_lock:
        if _relay is None:
            _relay = _Relay()
            # The first caller may be a worker thread: the relay must live (and run callbacks) in the GUI thread.
            _relay.moveToThread(QCoreApplication.instance().thread())
        return _relay


def call_in_gui(callback: Callable[[], None]) -> None:
    """Schedule `callback` on the GUI thread (safe from any thread)."""
    _gui_relay().finished.emit(callback)


def run_in_background(
    owner: QObject | None,
    op: Callable[[], Any],
    success: Callable[[Any], None] | None = None,
    failure: Callable[[BaseException], None] | None = None,
    executor: concurrent.futures.Executor | None = None,
) -> concurrent.futures.Future:
    """Run `op` on `executor` (the network pool by default); call `success(result)` or `failure(exc)` on the
    GUI thread. Without a `failure` handler a KnownError is logged as a warning and anything else as a bug.
    Callbacks are skipped when `owner` has been deleted meanwhile."""
    relay = _gui_relay()

    def done(future: concurrent.futures.Future) -> None:
        def deliver() -> None:
            # Checked when the result arrives (no per-call connection to `destroyed`, which piles up on owners
            # that run thousands of jobs a shift).
            if owner is not None and not shiboken6.isValid(owner):
                return
            exc = future.exception()
            if exc is None:
                if success:
                    success(future.result())
            elif failure:
                failure(exc)
            elif isinstance(exc, KnownError):
                log.ui.warning("%s", exc.user_message)
            else:
                log.ui.error("background task failed", exc_info=exc)

        relay.finished.emit(deliver)

    future = (executor or _network_pool).submit(op)
    future.add_done_callback(done)
    return future
