"""A technician re-grades a unit in stock, by keyboard only, against the Odoo simulator; delivery follows."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.helpers.bench_rig import lot_property

SERIAL = "353918111045122"  # demo unit: iPhone 13 128GB Midnight, graded Excellent, in WH/Stock


def test_regrade_by_keyboard_is_delivered_to_odoo(make_bench, tmp_path, qtbot):
    bench = make_bench()
    view = bench.view
    assert bench.focused() is view.scan_bar.field

    bench.scan(SERIAL)
    bench.start_grading()
    assert view.card.model.text() == "iPhone 13 128GB Midnight"
    assert "Excellent" in view.card.details.text() and "WH/Stock" in view.card.details.text()
    qtbot.waitUntil(lambda: "Reserved for this bench" in view.card.lease.text(), timeout=5000)
    [lot] = bench.lots(SERIAL)
    assert lot["lot_properties"] and lot_property(lot, "lease_station") == "Bench 1"  # the lease is in Odoo
    assert bench.focused() is view.checklist

    bench.answer_checklist(tmp_path)
    qtbot.waitUntil(lambda: view.pages.currentWidget() is view.grade, timeout=5000)
    assert view.grade.suggestion.grade == "premium"
    assert "Premium" in view.grade.title.text()

    bench.press(Qt.Key.Key_Return)  # commit the suggested grade
    qtbot.waitUntil(lambda: view.pages.currentWidget() is view.idle, timeout=5000)
    assert bench.focused() is view.scan_bar.field  # ready for the next scan at once
    assert SERIAL in view.idle.body.text() and "Premium" in view.idle.body.text()
    assert bench.store.drafts.load("Bench 1") is None  # the draft is closed
    [item] = bench.store.outbox.list_items()
    assert item.kind == "grading" and item.state == "pending"
    # No separate lease release after the commit (it would race the delivery's write of lot_properties):
    # the lease stays until the delivered grading clears it.
    assert lot_property(bench.lots(SERIAL)[0], "lease_station") == "Bench 1"

    assert bench.deliver() == 1
    qtbot.waitUntil(lambda: "Delivered" in view.idle.delivery.text(), timeout=5000)
    live = [lot for lot in bench.lots(SERIAL) if lot["product_qty"] > 0]
    assert len(live) == 1
    lot = live[0]
    assert lot_property(lot, "lease_station") in (False, "", None)  # the delivered grading ended the lease
    model = bench.gateway.search_models("IP13-128-MID")[0]
    assert lot["product_id"][0] == model.variant_ids_by_grade["premium"]
    assert lot["location_id"][1] == "WH/Stock"
    assert lot_property(lot, "grade") == "premium"
    assert lot_property(lot, "battery_health") == 93 and lot_property(lot, "battery_cycles") == 210
    assert lot_property(lot, "technician") == "Ana" and lot_property(lot, "station") == "Bench 1"
    assert lot_property(lot, "tested_at").startswith("2026-11-27 09:30")
    assert lot_property(lot, "checklist") == "phone@1" and lot_property(lot, "outcome") == "stock"
    attachments = bench.admin.call(
        "ir.attachment",
        "search_read",
        [[["res_model", "=", "stock.lot"], ["res_id", "=", lot["id"]]]],
        {"fields": ["name", "mimetype"]},
    )
    names = sorted(a["name"] for a in attachments)
    assert sum(name.endswith(".jpg") for name in names) == 6  # every photo slot of the phone checklist
    assert any(name.startswith("test-report-") and name.endswith(".json") for name in names)
    notes = bench.admin.call(
        "mail.message",
        "search_read",
        [[["model", "=", "stock.lot"], ["res_id", "=", lot["id"]]]],
        {"fields": ["body"]},
    )
    assert any("Premium" in (note["body"] or "") for note in notes)
