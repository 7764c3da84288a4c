"""Sync points for tests: wait for a later event that must follow the one checked, never a fixed sleep."""

from __future__ import annotations

import concurrent.futures

from grading_station.ui.kit.background import call_in_gui, run_in_background


def drain(qtbot, executor: concurrent.futures.Executor, timeout: int = 5000) -> None:
    """Return once every job queued so far on the single-worker `executor` has run and its callback has run on
    the GUI thread: a no-op queued behind them finishes after them, and callbacks reach the GUI in order."""
    done: list[bool] = []
    run_in_background(None, lambda: None, success=lambda _: done.append(True), executor=executor)
    qtbot.waitUntil(lambda: bool(done), timeout=timeout)


def gui_caught_up(qtbot, timeout: int = 5000) -> None:
    """Return once everything posted to the GUI thread so far (queued signals, job callbacks) was handled:
    posted events are delivered in order, so a marker posted now runs after them."""
    done: list[bool] = []
    call_in_gui(lambda: done.append(True))
    qtbot.waitUntil(lambda: bool(done), timeout=timeout)
