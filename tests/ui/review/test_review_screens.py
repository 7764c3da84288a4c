"""The Review workspace inside the main window at 1366×768 and 1920×1080: nothing forces the window larger, and a
screenshot of each queue is saved (to $REVIEW_SHOTS_DIR when set, e.g. /work/wt/shots/review, else tmp_path)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from grading_station.ui.main_window import MainWindow, Workspace
from grading_station.ui.review.panel import ReviewPanel

from tests.helpers.review_rig import NOW, make_review_service


@pytest.mark.qt_log_ignore("does not support propagateSizeHints")
@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_every_review_queue_fits_and_is_captured(review, tmp_path, qtbot, size):
    folder = Path(os.environ.get("REVIEW_SHOTS_DIR") or tmp_path / "shots")
    folder.mkdir(parents=True, exist_ok=True)
    panel = ReviewPanel(make_review_service(review.gateway, review.store, days=5), supervisor="Marie",
                        clock=lambda: NOW)
    window = MainWindow("Review desk")
    qtbot.add_widget(window)
    window.add_workspace(Workspace("review", "Review", panel, "F6"))
    window.resize(*size)
    with qtbot.wait_signal(panel.queues_did_load, timeout=5000):
        window.show()
    qtbot.waitExposed(window)

    def shot(name: str) -> None:
        qtbot.wait(30)
        assert (window.width(), window.height()) == size, f"{name} does not fit {size}"
        window.grab().save(str(folder / f"{name}-{size[0]}x{size[1]}.png"))

    panel.on_scan("352830111790931", "scanner")
    shot("01-held")
    panel.on_scan("354660111378439", "scanner")
    shot("02-retest")
    panel.tabs.setCurrentIndex(2)
    panel.on_scan("354660111457621", "scanner")  # in the re-test queue too: the queue shown keeps it
    assert panel.current_table() is panel.tables["overrides"]
    shot("03-overrides")
    qtbot.waitUntil(lambda: panel.figures.figures is not None, timeout=5000)
    panel.tabs.setCurrentWidget(panel.figures)
    shot("05-figures")
    panel.tabs.setCurrentIndex(0)
    review.sim.down = True
    with qtbot.wait_signal(panel.queues_did_load, timeout=5000):
        panel.refresh()
    shot("04-odoo-down")
