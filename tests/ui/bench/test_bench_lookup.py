"""A scan only looks a unit up (no lease, no draft); the grading starts on an explicit key. A held unit shows
why it is held and its record is completed without a full re-grade. Checked through the simulator's RPC."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt

from tests.helpers.bench_rig import jpeg_bytes, lot_property, write_file

SERIAL = "353918111045122"  # demo unit in stock (iPhone 13, Excellent)
OTHER = "354660111457621"  # demo unit in stock (iPhone 14 Pro)
HELD = "352830111790931"  # demo unit in WH/Hold: "Back photo missing: retake before listing"


def test_a_scan_shows_the_unit_without_a_lease_and_g_starts_the_grading(make_bench, qtbot):
    bench = make_bench()
    view = bench.view
    bench.scan(SERIAL)
    bench.wait_page(view.lookup)
    assert view.card.model.text() == "iPhone 13 128GB Midnight" and "WH/Stock" in view.card.details.text()
    assert "Start grading" in view.lookup.start.text()
    assert bench.focused() is view.lookup
    [lot] = bench.lots(SERIAL)
    assert not lot_property(lot, "lease_station")  # a look-up takes no lease in Odoo ...
    assert bench.store.drafts.load("Bench 1") is None  # ... and opens no draft

    bench.scan(OTHER)  # looking up another unit: still nothing taken
    qtbot.waitUntil(lambda: "iPhone 14 Pro" in view.card.model.text(), timeout=5000)
    bench.wait_page(view.lookup)
    assert not lot_property(bench.lots(SERIAL)[0], "lease_station")
    assert not lot_property(bench.lots(OTHER)[0], "lease_station")

    bench.start_grading("G")
    qtbot.waitUntil(lambda: "Reserved for this bench" in view.card.lease.text(), timeout=5000)
    assert lot_property(bench.lots(OTHER)[0], "lease_station") == "Bench 1"  # the lease comes with the start
    assert bench.store.drafts.load("Bench 1").payload["serial"] == OTHER


def test_a_held_unit_shows_why_and_its_record_is_completed_then_released_to_stock(make_bench, tmp_path, qtbot):
    bench = make_bench()
    view = bench.view
    bench.scan(SERIAL)
    bench.start_grading()
    bench.answer_checklist(tmp_path, skip_slots=("side_left",))  # one photo missing: held
    bench.wait_page(view.grade)
    bench.press(Qt.Key.Key_Return)
    bench.wait_page(view.idle)
    assert bench.deliver() == 1
    qtbot.waitUntil(lambda: "Delivered" in view.idle.delivery.text(), timeout=5000)

    bench.scan(SERIAL)
    bench.wait_page(view.lookup)
    assert "Held because:" in view.lookup.hold.text() and "left side" in view.lookup.hold.text()
    assert "left side" in view.card.details.text() and "WH/Hold" in view.card.details.text()
    assert "Complete the record" in view.lookup.start.text()
    bench.start_grading()  # Enter: complete the record, not a full re-grade
    panel = view.checklist
    assert panel.session.completing
    assert panel.current_step().kind == "photos"  # only the missing item is open
    assert [s.id for s in panel.session.steps if not panel.session.step_done(s)] == [panel.current_step().id]
    slots = [slot for slot, _, _ in panel.current_step().slots]
    bench.chosen_files.append(write_file(tmp_path, "left.jpg", jpeg_bytes((10, 200, 90))))
    bench.press(str(slots.index("side_left") + 1))
    qtbot.waitUntil(lambda: panel.session.complete, timeout=5000)
    bench.press(Qt.Key.Key_Return)
    bench.wait_page(view.grade)
    assert not view.grade.hold.isVisible()
    bench.press(Qt.Key.Key_Return)
    bench.wait_page(view.idle)
    assert bench.deliver() == 1
    qtbot.waitUntil(lambda: "Delivered" in view.idle.delivery.text(), timeout=5000)
    [lot] = [lot for lot in bench.lots(SERIAL) if lot["product_qty"] > 0]
    assert lot["location_id"][1] == "WH/Stock"  # released: WH/Hold -> WH/Stock
    assert lot_property(lot, "outcome") == "stock" and not lot_property(lot, "hold_reason")


def test_a_held_unit_graded_elsewhere_shows_its_hold_reason_from_the_one_lookup_rpc(make_bench, qtbot):
    bench = make_bench()
    view = bench.view
    before = bench.sim.rpc_count("stock.lot", "search_read")
    bench.scan(HELD)
    bench.wait_page(view.lookup)
    assert "Back photo missing: retake before listing" in view.lookup.hold.text()
    assert bench.sim.rpc_count("stock.lot", "search_read") - before == 1
    bench.press("R")  # a full re-grade is still one key away
    bench.wait_page(view.checklist)
    assert not view.checklist.session.completing


def test_another_bench_completes_the_record_from_the_lots_test_report(make_bench, tmp_path, qtbot):
    first = make_bench()
    first.scan(SERIAL)
    first.start_grading()
    first.answer_checklist(tmp_path, zone_key="2", skip_slots=("side_left",))
    first.wait_page(first.view.grade)
    first.press(Qt.Key.Key_Return)
    first.wait_page(first.view.idle)
    assert first.deliver() == 1
    first.kill()

    second = make_bench("Bench 2", base="b2")  # no local record of this unit: its answers come from Odoo
    view = second.view
    before = second.sim.rpc_count("ir.attachment", "search_read")
    second.scan(SERIAL)
    second.wait_page(view.lookup)
    assert view.lookup.held
    second.start_grading()
    assert second.sim.rpc_count("ir.attachment", "search_read") - before == 1  # the test report, once
    panel = view.checklist
    assert panel.session.completing
    answers = {s.id: s.answer for s in panel.session.steps}
    assert answers["power_on"] == "pass"  # the first bench's answers ...
    cosmetic = [s for s in panel.session.steps if s.id.startswith("cosmetic.")]
    assert cosmetic and all(s.answer == cosmetic[0].options[1][0] for s in cosmetic)  # ... zones: key 2
    assert panel.session.battery_health == 93  # from the lot's properties
    open_steps = [s.kind for s in panel.session.steps if not panel.session.step_done(s)]
    assert open_steps == ["photos"]  # the photos are on the first bench's disk: taken again here
    if os.environ.get("BENCH_SHOTS_DIR"):  # see test_screens.py
        qtbot.wait(20)
        view.grab().save(str(Path(os.environ["BENCH_SHOTS_DIR"]) / "14-complete-the-record-on-bench-2.png"))
