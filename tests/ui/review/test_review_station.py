"""The Review workspace inside the running demo station: F6, a scan routed to it, Re-inspect on the bench."""

from __future__ import annotations

import pytest

from PySide6.QtCore import Qt

HELD_SERIAL = "352830111790931"


@pytest.fixture
def station(demo_station):
    return demo_station


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_f6_shows_review_a_scan_jumps_and_reinspect_goes_to_the_bench(station, qtbot):
    qtbot.waitUntil(lambda: station.review is not None, timeout=15000)  # built once the bench is ready to scan
    qtbot.keyClick(station.window, Qt.Key.Key_F6)
    assert station.window.current_workspace() == "review"
    qtbot.waitUntil(lambda: station.review.queues is not None and station.review.tables["held"].count() == 1,
                    timeout=10000)
    station.router.submit(HELD_SERIAL, "scanner")  # routed to the workspace shown
    qtbot.waitUntil(lambda: station.review.selected is not None, timeout=5000)
    assert station.review.selected.serial == HELD_SERIAL
    qtbot.mouseClick(station.review.form.buttons["reinspect"], Qt.MouseButton.LeftButton)
    assert station.window.current_workspace() == "bench"
    qtbot.waitUntil(lambda: HELD_SERIAL in station.bench.card.serial.text(), timeout=10000)
    # the checklist opens by itself, filled in with what the lot already has (its battery reading)
    qtbot.waitUntil(lambda: station.bench.pages.currentWidget() is station.bench.checklist, timeout=10000)
    session = station.bench.checklist.session
    assert session.serial == HELD_SERIAL and not session.untouched
