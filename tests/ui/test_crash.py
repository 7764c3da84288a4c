"""The crash handler: an exception in any thread reaches the log and the crash dialog, on the GUI thread."""

from __future__ import annotations

import logging
import sys
import threading

import pytest

from grading_station.ui import crash


@pytest.fixture
def dialogs(qapp):
    shown: list[tuple[str, str]] = []
    crash.install(True, lambda kind, exc, tb: shown.append((str(exc), threading.current_thread().name)))
    yield shown
    crash.uninstall()


def test_an_exception_in_a_worker_thread_is_logged_and_shown_on_the_gui_thread(qtbot, dialogs, caplog,
                                                                              expected_logs):
    expected_logs.expect("grading_station.app", r"unexpected error: boom \(thread odoo-worker\)")

    def work() -> None:
        raise RuntimeError("boom")

    worker = threading.Thread(target=work, name="odoo-worker")
    worker.start()
    worker.join()
    qtbot.wait_until(lambda: dialogs != [])
    assert dialogs == [("boom", threading.main_thread().name)]
    [record] = [r for r in caplog.records if r.name == "grading_station.app"]
    assert record.levelno == logging.CRITICAL and record.exc_info[1].args == ("boom",)


def test_the_gui_thread_hook_still_logs_and_shows(qtbot, dialogs, expected_logs):
    expected_logs.expect("grading_station.app", r"unexpected error: slot bug \(thread MainThread\)")
    try:
        raise ValueError("slot bug")
    except ValueError as exc:
        sys.excepthook(type(exc), exc, exc.__traceback__)
    qtbot.wait_until(lambda: dialogs != [])
    assert dialogs == [("slot bug", "MainThread")]


def test_system_exit_in_a_thread_is_not_a_crash(qtbot, dialogs, expected_logs):
    expected_logs.expect("grading_station.app", r"unexpected error: marker \(thread after\)")
    worker = threading.Thread(target=lambda: (_ for _ in ()).throw(SystemExit(0)))
    worker.start()
    worker.join()
    # A real crash from a later thread: its dialog is queued behind any the SystemExit would have queued.
    after = threading.Thread(target=lambda: (_ for _ in ()).throw(RuntimeError("marker")), name="after")
    after.start()
    after.join()
    qtbot.wait_until(lambda: dialogs != [])
    assert dialogs == [("marker", threading.main_thread().name)]


def test_report_bug_from_a_worker_shows_the_dialog_on_the_gui_thread(qtbot, dialogs, expected_logs):
    expected_logs.expect("grading_station.app", r"unexpected error: lost \(thread pool-1\)")
    worker = threading.Thread(target=lambda: crash.report_bug(RuntimeError("lost")), name="pool-1")
    worker.start()
    worker.join()
    qtbot.wait_until(lambda: dialogs != [])
    assert dialogs == [("lost", threading.main_thread().name)]
