"""The Review workspace as a supervisor uses it: queues from the Odoo simulator, scan-to-jump, actions that reach
Odoo through the outbox with their audit entry and chatter note."""

from __future__ import annotations

import pytest

from PySide6.QtCore import Qt

from grading_station.services.review import HELD, OVERRIDES, RETEST

from grading_station.ui.review.panel import ReviewPanel

from tests.helpers.bench_rig import lot_property
from tests.helpers.review_rig import NOW

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform, on show()

HELD_SERIAL = "352830111790931"
OLD_SERIAL = "354660111378439"
OVERRIDE_SERIAL = "354660111457621"


@pytest.fixture
def panel(qtbot, review):
    view = ReviewPanel(review.service, supervisor="Marie", clock=lambda: NOW)
    qtbot.add_widget(view)
    view.resize(1366, 720)
    with qtbot.wait_signal(view.queues_did_load, timeout=5000):
        view.show()
    return view


def reload(qtbot, view):
    with qtbot.wait_signal(view.queues_did_load, timeout=5000):
        view.refresh()


def test_each_queue_shows_its_units_and_counts(panel):
    assert panel.tabs.tabText(0).endswith("(1)") and panel.tabs.tabText(1).endswith("(1)")
    held = panel.tables[HELD].model
    assert held.data(held.index(0, 0)) == HELD_SERIAL
    assert "Back photo" in held.data(held.index(0, 6))
    overrides = panel.tables[OVERRIDES].model
    assert [overrides.data(overrides.index(0, c)) for c in (0, 2, 3)] == [OVERRIDE_SERIAL, "Fair", "Good"]


def test_a_scan_jumps_to_the_unit_in_its_queue(panel, qtbot):
    panel.on_scan(OVERRIDE_SERIAL, "scanner")
    assert panel.tabs.currentWidget() is panel.tables[OVERRIDES]
    assert panel.selected.serial == OVERRIDE_SERIAL
    assert OVERRIDE_SERIAL in panel.detail.facts.text() and "Scratch on the frame" in panel.detail.facts.text()
    panel.on_scan(OLD_SERIAL, "scanner")
    assert panel.tabs.currentWidget() is panel.tables[RETEST] and panel.selected.serial == OLD_SERIAL


def test_a_scan_of_a_unit_in_no_queue_says_so(panel, messages):
    panel.on_scan("353918111045122", "scanner")
    assert "none of the review queues" in messages.showing("scan")


def test_filter_and_sort(panel, qtbot, review):
    from tests.helpers.review_rig import make_review_service

    panel.service = make_review_service(review.gateway, review.store, days=5)
    reload(qtbot, panel)
    table = panel.tables[RETEST]
    assert table.proxy.rowCount() == 11
    table.view.sortByColumn(3, Qt.SortOrder.AscendingOrder)  # value, lowest first
    values = [table.proxy.index(r, 3).data() for r in range(table.proxy.rowCount())]
    assert float(values[0].replace(",", "")) <= float(values[-1].replace(",", ""))
    qtbot.keyClicks(table.filter, "iPad")
    assert table.proxy.rowCount() == 1
    assert panel.select_serial(OLD_SERIAL)  # a scan clears a filter that hides the unit
    assert table.filter.text() == "" and panel.selected.serial == OLD_SERIAL


def test_send_to_repair_from_the_screen_reaches_odoo(panel, qtbot, review):
    panel.on_scan(OVERRIDE_SERIAL, "scanner")
    qtbot.keyClicks(panel.form.reason, "Customer dispute: speaker crackles")
    qtbot.mouseClick(panel.form.buttons["repair"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "saved" in panel.form.status.text(), timeout=5000)
    assert panel.form.reason.text() == "" and panel.form.supervisor.text() == "Marie"
    qtbot.waitUntil(lambda: "speaker crackles" in panel.detail.history.text(), timeout=5000)
    assert review.deliver() == 1
    assert review.where(OVERRIDE_SERIAL) == ["WH/Repair"]
    reload(qtbot, panel)
    assert panel.select_serial(OVERRIDE_SERIAL) and panel.tabs.currentWidget() is panel.tables[HELD]


def test_an_action_without_a_reason_is_refused_on_screen(panel, qtbot, review):
    panel.on_scan(HELD_SERIAL, "scanner")
    qtbot.mouseClick(panel.form.buttons["release"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "reason" in panel.form.status.text(), timeout=5000)
    assert review.store.outbox.counts()["pending"] == 0


def test_regrade_and_release_from_the_screen(panel, qtbot, review):
    panel.on_scan(HELD_SERIAL, "scanner")
    assert panel.form.buttons["release"].isEnabled()
    qtbot.keyClicks(panel.form.reason, "Photo retaken")
    qtbot.mouseClick(panel.form.buttons["release"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "saved" in panel.form.status.text(), timeout=5000)
    panel.on_scan(OLD_SERIAL, "scanner")
    assert not panel.form.buttons["release"].isEnabled()  # not held
    panel.form.grade.setCurrentIndex(panel.form.grade.findData("excellent"))
    qtbot.keyClicks(panel.form.reason, "Battery re-tested at 89 %")
    qtbot.mouseClick(panel.form.buttons["regrade"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "saved" in panel.form.status.text() and panel.form.reason.text() == "", timeout=5000)
    assert review.deliver() == 2
    assert review.where(HELD_SERIAL) == ["WH/Stock"]
    live = [lot for lot in review.lots(OLD_SERIAL) if lot["product_qty"] > 0]
    assert lot_property(live[0], "grade") == "excellent"


def test_reinspect_asks_for_the_bench(panel, qtbot):
    panel.on_scan(HELD_SERIAL, "scanner")
    with qtbot.wait_signal(panel.reinspect_did_request, timeout=1000) as blocker:
        qtbot.mouseClick(panel.form.buttons["reinspect"], Qt.MouseButton.LeftButton)
    assert blocker.args == [HELD_SERIAL]


def test_odoo_down_shows_the_age_of_what_is_shown(panel, qtbot, review):
    review.sim.down = True
    reload(qtbot, panel)
    assert panel.note.isVisible() and "cannot be reached" in panel.note.text()
    assert panel.tables[HELD].count() == 1  # the last reading stays


def test_figures_per_operator_and_grade_with_csv_export(panel, qtbot, tmp_path):
    qtbot.waitUntil(lambda: panel.figures.figures is not None, timeout=5000)
    figures = panel.figures.figures
    assert figures.units == 12
    demo = next(r for r in figures.operators if r.technician == "demo")
    assert demo.graded == 12 and demo.overrides == 1
    assert panel.figures.chart.bars[0] == ("demo", 12)
    target = tmp_path / "figures.csv"
    panel.figures.file_chooser = lambda parent, name: str(target)
    panel.tabs.setCurrentWidget(panel.figures)
    qtbot.mouseClick(panel.figures.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(target.exists, timeout=5000)
    text = target.read_text(encoding="utf-8")
    assert text.startswith("technician,graded,") and "\ndemo,12," in text and "phone,good," in text


def test_parts_from_the_screen_takes_the_unit_off_sale(panel, qtbot, review):
    panel.on_scan(OVERRIDE_SERIAL, "scanner")
    qtbot.keyClicks(panel.form.reason, "Board corroded")
    qtbot.mouseClick(panel.form.buttons["parts"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "saved" in panel.form.status.text(), timeout=5000)
    assert review.store.audit.entries(subject=OVERRIDE_SERIAL)[0].action == "review_parts"
    assert review.deliver() == 1
    live = [lot for lot in review.lots(OVERRIDE_SERIAL) if lot["product_qty"] > 0]
    assert lot_property(live[0], "grade") == "parts" and review.where(OVERRIDE_SERIAL) == ["WH/Repair"]
    assert any("Board corroded" in n for n in review.notes(OVERRIDE_SERIAL))
