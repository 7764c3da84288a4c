"""run_in_background: the op runs off the GUI thread, its outcome comes back on it, never to a deleted owner."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject

from grading_station.ui.worker import run_in_background

from grading_station.errors import RemoteUnavailable


def test_op_runs_on_a_worker_and_success_on_the_gui_thread(qtbot):
    gui, seen = threading.current_thread(), {}
    run_in_background(None, lambda: threading.current_thread(), success=lambda t: seen.update(op=t,
                      callback=threading.current_thread()))
    qtbot.waitUntil(lambda: "callback" in seen, timeout=3000)
    assert seen["op"] is not gui and seen["callback"] is gui


def test_failure_reaches_the_failure_handler(qtbot):
    failures = []

    def boom():
        raise RemoteUnavailable("Odoo cannot be reached.")

    run_in_background(None, boom, success=lambda _: failures.append("success?"), failure=failures.append)
    qtbot.waitUntil(lambda: bool(failures), timeout=3000)
    assert isinstance(failures[0], RemoteUnavailable)


def test_known_error_without_handler_is_logged_for_the_user(qtbot, expected_logs, caplog):
    expected_logs.expect("grading_station.ui", "Odoo cannot be reached")

    def boom():
        raise RemoteUnavailable("Odoo cannot be reached.")

    run_in_background(None, boom)
    qtbot.waitUntil(lambda: any("Odoo cannot be reached" in r.getMessage() for r in caplog.records), timeout=3000)


def test_no_callback_for_an_owner_deleted_meanwhile(qtbot):
    owner, release, called = QObject(), threading.Event(), []
    run_in_background(owner, release.wait, success=called.append)
    owner.deleteLater()
    qtbot.waitUntil(lambda: not _alive(owner), timeout=3000)
    release.set()
    done = []
    run_in_background(None, lambda: None, success=done.append)  # queued after the first job's callback
    qtbot.waitUntil(lambda: bool(done), timeout=3000)
    qtbot.wait(50)
    assert called == []


def _alive(obj: QObject) -> bool:
    import shiboken6

    return shiboken6.isValid(obj)
