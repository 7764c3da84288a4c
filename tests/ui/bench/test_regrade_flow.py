"""A technician re-grades a unit in stock, by keyboard only, against the Odoo simulator; delivery follows."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.helpers.bench_rig import jpeg_bytes, write_file

SERIAL = "353918111045122"  # demo unit: iPhone 13 128GB Midnight, graded Excellent, in WH/Stock


def answer_checklist(bench, tmp_path, *, zone_key: str = "1", health: str = "93", cycles: str = "210") -> None:
    """Walk every step like a technician: P for tests, Y for confirmations, a number for zones, the battery
    typed, photos chosen in the file dialog with their number key, Enter at the end."""
    view = bench.view
    panel = view.checklist
    while view.pages.currentWidget() is panel:
        step = panel.current_step()
        index = panel.index
        if step.kind == "check":
            bench.press("P")
        elif step.kind == "confirm":
            bench.press("Y")
        elif step.kind == "choice":
            bench.press(zone_key)
        elif step.kind == "accessories":
            bench.press("1", Qt.Key.Key_Return)
        elif step.kind == "battery":
            assert bench.focused() is panel.editors["battery"].health
            bench.type_text(health)
            bench.press(Qt.Key.Key_Return)
            assert bench.focused() is panel.editors["battery"].cycles
            bench.type_text(cycles)
            bench.press(Qt.Key.Key_Return)
        elif step.kind == "photos":
            for number, (slot, _, _) in enumerate(step.slots, start=1):
                bench.chosen_files.append(write_file(tmp_path, f"{slot}.jpg", jpeg_bytes((number * 30, 90, 120))))
                bench.press(str(number))
                bench.qtbot.waitUntil(lambda s=slot: s in panel.session.photos, timeout=5000)
            bench.press(Qt.Key.Key_Return)
        if panel.index == index and view.pages.currentWidget() is panel:
            if panel.index == len(panel.session.steps) - 1 and panel.session.step_done(panel.current_step()):
                bench.press(Qt.Key.Key_Return)  # the last step answered: Enter goes to the grade
            else:
                bench.qtbot.waitUntil(lambda i=index: panel.index != i or view.pages.currentWidget() is not panel,
                                      timeout=5000)


def test_regrade_by_keyboard_is_delivered_to_odoo(make_bench, tmp_path, qtbot):
    bench = make_bench()
    view = bench.view
    assert bench.focused() is view.scan_bar.field

    bench.scan(SERIAL)
    qtbot.waitUntil(lambda: view.pages.currentWidget() is view.checklist, timeout=5000)
    assert view.card.model.text() == "iPhone 13 128GB Midnight"
    assert "Excellent" in view.card.details.text() and "WH/Stock" in view.card.details.text()
    qtbot.waitUntil(lambda: "Reserved for this bench" in view.card.lease.text(), timeout=5000)
    [lot] = bench.lots(SERIAL)
    assert lot["lot_properties"] and _prop(lot, "lease_station") == "Bench 1"  # the lease is in Odoo
    assert bench.focused() is view.checklist

    answer_checklist(bench, tmp_path)
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
    qtbot.waitUntil(lambda: _prop(bench.lots(SERIAL)[0], "lease_station") in (False, "", None), timeout=5000)

    assert bench.deliver() == 1
    qtbot.waitUntil(lambda: "Delivered" in view.idle.delivery.text(), timeout=5000)
    live = [lot for lot in bench.lots(SERIAL) if lot["product_qty"] > 0]
    assert len(live) == 1
    lot = live[0]
    model = bench.gateway.search_models("IP13-128-MID")[0]
    assert lot["product_id"][0] == model.variant_ids_by_grade["premium"]
    assert lot["location_id"][1] == "WH/Stock"
    assert _prop(lot, "grade") == "premium"
    assert _prop(lot, "battery_health") == 93 and _prop(lot, "battery_cycles") == 210
    assert _prop(lot, "technician") == "Ana" and _prop(lot, "station") == "Bench 1"
    assert _prop(lot, "tested_at").startswith("2026-11-27 09:30")
    assert _prop(lot, "checklist") == "phone@1" and _prop(lot, "outcome") == "stock"
    attachments = bench.admin.call("ir.attachment", "search_read",
                                   [[["res_model", "=", "stock.lot"], ["res_id", "=", lot["id"]]]],
                                   {"fields": ["name", "mimetype"]})
    names = sorted(a["name"] for a in attachments)
    assert sum(name.endswith(".jpg") for name in names) == 6  # every photo slot of the phone checklist
    assert any(name.startswith("test-report-") and name.endswith(".json") for name in names)
    notes = bench.admin.call("mail.message", "search_read",
                             [[["model", "=", "stock.lot"], ["res_id", "=", lot["id"]]]], {"fields": ["body"]})
    assert any("Premium" in (note["body"] or "") for note in notes)


def _prop(lot: dict, name: str):
    props = lot["lot_properties"]
    if isinstance(props, list):  # Odoo reads properties as a list of {name, value, ...}
        return next((p.get("value") for p in props if p.get("name") == name), None)
    return (props or {}).get(name)
