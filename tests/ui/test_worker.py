"""run_in_background: the op runs off the GUI thread, its outcome comes back on it, never to a deleted owner."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject

from grading_station.ui.kit.background import run_in_background

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


def test_known_error_without_handler_is_shown_to_the_user(qtbot, messages):
    def boom():
        raise RemoteUnavailable("Odoo cannot be reached.")

    run_in_background(None, boom, replace="odoo")
    qtbot.waitUntil(lambda: bool(messages.errors), timeout=3000)
    assert messages.errors == ["Odoo cannot be reached."] and messages.showing("odoo") == "Odoo cannot be reached."


def test_a_bug_without_handler_goes_to_the_crash_handler(qtbot, messages, expected_logs):
    expected_logs.require("grading_station.app", r"unexpected error: .*mapping bug")

    def boom():
        raise KeyError("mapping bug")

    run_in_background(None, boom)
    qtbot.waitUntil(lambda: expected_logs.seen_all(), timeout=3000)
    assert messages.errors == []  # a bug is not dressed up as a user message


def test_progress_reaches_the_gui_thread_in_order_before_success(qtbot):
    gui, seen = threading.current_thread(), []

    def work(progress):
        for done in range(3):
            progress.report(done, 3, f"step {done}")
        return "finished"

    run_in_background(None, work, success=seen.append,
                      progress=lambda done, total, what: seen.append((done, total, what,
                                                                      threading.current_thread() is gui)))
    qtbot.waitUntil(lambda: "finished" in seen, timeout=3000)
    assert seen == [(0, 3, "step 0", True), (1, 3, "step 1", True), (2, 3, "step 2", True), "finished"]


def test_no_callback_for_an_owner_deleted_meanwhile(qtbot):
    owner, release, called = QObject(), threading.Event(), []
    run_in_background(owner, release.wait, success=called.append)
    owner.deleteLater()
    qtbot.waitUntil(lambda: not _alive(owner), timeout=3000)
    release.set()
    done = []
    run_in_background(None, lambda: None, success=done.append)  # queued after the first job's callback
    qtbot.waitUntil(lambda: bool(done), timeout=3000)  # callbacks run in order: the first one's turn has passed
    assert called == []


def _alive(obj: QObject) -> bool:
    import shiboken6

    return shiboken6.isValid(obj)


def test_station_events_published_on_a_worker_reach_screens_on_the_gui_thread(qtbot):
    from grading_station.services.events import ListingDidChange, StationEvents, UnitDidChange

    from grading_station.ui.kit.events import EventSignals

    hub, gui, seen = StationEvents(), threading.current_thread(), []
    signals = EventSignals(hub)
    signals.unit_did_change.connect(lambda e: seen.append(("unit", e.serial, threading.current_thread() is gui)))
    signals.listing_did_change.connect(lambda e: seen.append(("listing", e.skus, threading.current_thread() is gui)))
    worker = threading.Thread(target=lambda: (hub.publish(UnitDidChange("S1")), hub.publish(ListingDidChange(("K",)))))
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=3000)
    assert seen == [("unit", "S1", True), ("listing", ("K",), True)]
    signals.detach()
    hub.publish(UnitDidChange("S2"))  # detached: the relay hears nothing more
    seen_before = list(seen)
    done = []
    from grading_station.ui.kit.background import call_in_gui

    call_in_gui(lambda: done.append(True))  # queued after anything the publish could have queued
    qtbot.waitUntil(lambda: bool(done), timeout=3000)
    assert seen == seen_before
