"""Run blocking work off the GUI thread and get the outcome back on it (anki's QueryOp, picard's thread pool).

❌ `unit = gateway.find_unit(serial)` in a slot: the GUI freezes while Odoo answers.
✅ `run_in_background(self, lambda: gateway.find_unit(serial), success=self._show_unit)`.

A failure nobody handles is shown: a KnownError in the message bar (in the user's words), anything else is a bug
and goes to the crash handler (log with traceback, and the crash dialog unless `--no-err-windows`).
Work that reports progress takes a `Progress` argument: `run_in_background(self, lambda p: batch(p), progress=bar)`.
"""

from __future__ import annotations

import concurrent.futures
import threading
from collections.abc import Callable
from typing import Any

import shiboken6

from PySide6.QtCore import QCoreApplication, QObject, Signal

from grading_station.ui import crash, messages

from grading_station.errors import KnownError

_network_pool = concurrent.futures.ThreadPoolExecutor(max_workers=4, thread_name_prefix="net")

ProgressSink = Callable[[int, int, str], None]  # (done, total, what) on the GUI thread


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


class Progress:
    """Given to work that reports progress; `report(done, total, what)` is safe from the worker thread and
    reaches the GUI thread's sink in order (skipped once the owner is gone)."""

    def __init__(self, owner: QObject | None, sink: ProgressSink) -> None:
        self._owner, self._sink = owner, sink

    def report(self, done: int, total: int, what: str = "") -> None:
        def deliver() -> None:
            if self._owner is None or shiboken6.isValid(self._owner):
                self._sink(done, total, what)

        call_in_gui(deliver)


def show_failure(exc: BaseException, replace: str | None = None) -> None:
    """The default for a failure nobody handled: a known error in the message bar, a bug to the crash handler."""
    if isinstance(exc, KnownError):
        messages.error(exc.user_message, replace=replace)
    else:
        crash.report_bug(exc)


def run_in_background(
    owner: QObject | None,
    op: Callable[..., Any],
    success: Callable[[Any], None] | None = None,
    failure: Callable[[BaseException], None] | None = None,
    executor: concurrent.futures.Executor | None = None,
    *,
    progress: ProgressSink | None = None,
    replace: str | None = None,
) -> concurrent.futures.Future:
    """Run `op` on `executor` (the network pool by default); call `success(result)` or `failure(exc)` on the
    GUI thread. Without a `failure` handler the failure is shown (`show_failure`; `replace` is the message-bar
    key). With `progress`, `op` is called with a Progress whose reports reach `progress(done, total, what)`.
    Callbacks are skipped when `owner` has been deleted meanwhile."""
    relay = _gui_relay()

    def done(future: concurrent.futures.Future) -> None:
        def deliver() -> None:
            # Checked when the result arrives (no per-call connection to `destroyed`, which piles up on owners
            # that run thousands of jobs a shift).
            if owner is not None and not shiboken6.isValid(owner):
                return
            if future.cancelled():  # the pool was shut down at exit before the job ran
                return
            exc = future.exception()
            if exc is None:
                if success:
                    success(future.result())
            elif failure:
                failure(exc)
            else:
                show_failure(exc, replace)

        relay.finished.emit(deliver)

    work = (lambda: op(Progress(owner, progress))) if progress is not None else op
    future = (executor or _network_pool).submit(work)
    future.add_done_callback(done)
    return future
