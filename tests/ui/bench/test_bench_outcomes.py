"""Where a graded unit lands in Odoo (WH/Hold, WH/Repair) and what the bench says when Odoo refuses or is away;
driven by keyboard like a technician, checked through the simulator's RPC."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from PySide6.QtCore import Qt

from grading_station.services.delivery import KIND_GRADING, Deliverer, GradingHandler

from grading_station.errors import RemoteUnavailable
from tests.helpers.bench_rig import lot_property
from tests.ui.bench.test_intake_flow import new_imei, take_in

SERIAL = "353918111045122"  # demo unit in stock (iPhone 13, Excellent)


def test_a_missing_required_photo_holds_the_unit_in_wh_hold(make_bench, tmp_path, qtbot):
    bench = make_bench()
    view = bench.view
    bench.scan(SERIAL)
    bench.start_grading()
    bench.answer_checklist(tmp_path, skip_slots=("side_left",))
    bench.wait_page(view.grade)
    assert view.grade.hold.isVisible() and "photo missing: left side" in view.grade.hold.text()
    bench.press(Qt.Key.Key_Return)
    bench.wait_page(view.idle)
    assert "WH/Hold" in view.idle.body.text()

    assert bench.deliver() == 1
    qtbot.waitUntil(lambda: "Delivered" in view.idle.delivery.text(), timeout=5000)
    [lot] = [lot for lot in bench.lots(SERIAL) if lot["product_qty"] > 0]
    assert lot["location_id"][1] == "WH/Hold"
    assert lot_property(lot, "outcome") == "hold"
    assert "left side" in lot_property(lot, "hold_reason")


def test_a_failed_functional_test_sends_the_unit_to_wh_repair(make_bench, tmp_path, qtbot):
    bench = make_bench()
    view = bench.view
    bench.scan(SERIAL)
    bench.start_grading()
    bench.answer_checklist(tmp_path, fail=("speakers",))
    bench.wait_page(view.grade)
    assert view.grade.suggestion.grade == "repair"
    assert any("Speakers" in reason or "speakers" in reason for reason in view.grade.suggestion.reasons)
    bench.press(Qt.Key.Key_Return)
    bench.wait_page(view.idle)
    assert "WH/Repair" in view.idle.body.text()

    assert bench.deliver() == 1
    qtbot.waitUntil(lambda: "Delivered" in view.idle.delivery.text(), timeout=5000)
    [lot] = [lot for lot in bench.lots(SERIAL) if lot["product_qty"] > 0]
    assert lot["location_id"][1] == "WH/Repair"
    assert lot_property(lot, "outcome") == "repair" and lot_property(lot, "grade") == "repair"


def test_odoo_refusing_the_write_is_shown_on_the_bench_and_the_grading_kept(
    make_bench, tmp_path, qtbot, messages, expected_logs
):
    expected_logs.expect("grading_station.outbox", r"refused")
    bench = make_bench()
    view = bench.view
    serial = new_imei("35391811155555")
    take_in(bench, serial)
    bench.answer_checklist(tmp_path)
    bench.wait_page(view.grade)
    bench.press(Qt.Key.Key_Return)
    bench.wait_page(view.idle)
    reason = "You are not allowed to create 'Lot/Serial' (stock.lot) records."
    bench.sim.fail_next("stock.lot", "create", name="odoo.exceptions.AccessError", message=reason)

    assert bench.deliver() == 1
    qtbot.waitUntil(lambda: "Not delivered" in view.idle.delivery.text(), timeout=5000)
    assert reason in view.idle.delivery.text()  # Odoo's own words, on the bench
    assert reason in view.scan_bar.error_text()
    assert any(serial in text and reason in text for text in messages.errors)
    assert bench.lots(serial) == []
    [item] = bench.store.outbox.list_items()
    assert item.state == "failing" and item.permanent  # kept, waiting for a person

    bench.store.outbox.retry_now(item.id)  # what Activity's Retry does once the rights are fixed
    assert bench.deliver() == 1
    [lot] = bench.lots(serial)
    assert lot["location_id"][1] == "WH/Stock"
    assert bench.store.outbox.get(item.id).state == "delivered"


def test_odoo_away_at_delivery_waits_in_the_outbox_and_delivers_once(make_bench, tmp_path, qtbot):
    bench = make_bench()
    view = bench.view
    serial = new_imei("35391811144444")
    take_in(bench, serial)
    bench.answer_checklist(tmp_path)
    bench.wait_page(view.grade)
    bench.press(Qt.Key.Key_Return)
    bench.wait_page(view.idle)
    assert bench.focused() is view.scan_bar.field  # the next scan does not wait for Odoo

    bench.sim.down = True
    assert bench.deliver() == 1
    qtbot.waitUntil(lambda: "will retry" in view.idle.delivery.text(), timeout=5000)
    [item] = bench.store.outbox.list_items()
    assert item.state == "failing" and not item.permanent
    bench.sim.down = False
    later = datetime.now(UTC) + timedelta(hours=1)  # past the back-off
    deliverer = Deliverer(bench.store.outbox, clock=lambda: later)
    deliverer.register(KIND_GRADING, GradingHandler(bench.gateway))
    assert deliverer.deliver_due() == 1
    assert deliverer.deliver_due() == 0
    qtbot.waitUntil(lambda: "Delivered" in view.idle.delivery.text(), timeout=5000)
    assert len(bench.lots(serial)) == 1


def test_the_app_killed_mid_delivery_delivers_once_after_restart(make_bench, tmp_path, qtbot):
    bench = make_bench("Bench 1", base="b1")
    view = bench.view
    bench.scan(SERIAL)
    bench.start_grading()
    bench.answer_checklist(tmp_path)
    bench.wait_page(view.grade)
    bench.press(Qt.Key.Key_Return)
    bench.wait_page(view.idle)
    [item] = bench.store.outbox.list_items()
    # The deliverer took the item, Odoo applied the lot, the move and the attachments, then the app died
    # before the chatter note (the last step): Odoo keeps the half, the outbox row says "delivering".
    assert bench.store.outbox.mark_delivering(item.id)
    bench.sim.fail_next("stock.lot", "message_post", name="psycopg2.OperationalError", message="server gone")
    with pytest.raises(RemoteUnavailable):
        GradingHandler(bench.gateway)(bench.store.outbox.get(item.id))
    [half] = [lot for lot in bench.lots(SERIAL) if lot["product_qty"] > 0]
    assert lot_property(half, "grade") == "premium"  # the half that reached Odoo
    bench.kill()

    again = make_bench("Bench 1", base="b1")  # restarted: opening the store re-queues the interrupted item
    assert again.store.outbox.get(item.id).state == "pending"
    assert again.deliver() == 1
    assert again.deliver() == 0
    live = [lot for lot in again.lots(SERIAL) if lot["product_qty"] > 0]
    assert len(live) == 1 and live[0]["location_id"][1] == "WH/Stock"
    lot_id = live[0]["id"]
    files = again.admin.call(
        "ir.attachment",
        "search_read",
        [[["res_model", "=", "stock.lot"], ["res_id", "=", lot_id]]],
        {"fields": ["name"]},
    )
    names = [f["name"] for f in files]
    assert len(names) == len(set(names)) and sum(n.startswith("test-report-") for n in names) == 1
    notes = again.admin.call(
        "mail.message",
        "search_read",
        [[["model", "=", "stock.lot"], ["res_id", "=", lot_id], ["body", "ilike", "Grading "]]],
        {"fields": ["body"]},
    )
    assert len(notes) == 1
