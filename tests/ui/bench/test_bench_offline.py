"""The bench with Odoo down: a unit seen before is looked up in the local cache (the card says so, and how
old it is), graded, and its commit waits in the outbox until Odoo is back; an unknown serial is an intake
from the cached catalogue."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.helpers.bench_rig import lot_property

SERIAL = "353918111045122"  # demo unit in stock (iPhone 13, Excellent)


def test_odoo_down_a_cached_unit_is_graded_and_delivered_when_odoo_is_back(make_bench, tmp_path, qtbot,
                                                                           expected_logs):
    bench = make_bench()
    view = bench.view
    bench.scan(SERIAL)  # seen once while Odoo is up: remembered in the station's cache
    bench.wait_page(view.lookup)
    bench.sim.down = True
    bench.scan(SERIAL)
    qtbot.waitUntil(lambda: "local cache" in view.card.details.text(), timeout=10000)
    bench.wait_page(view.lookup)
    assert "iPhone 13 128GB Midnight" == view.card.model.text()
    assert "min ago" in view.card.details.text()  # its age
    assert "local copy" in view.lookup.source.text() and view.lookup.source.isVisible()
    bench.start_grading()
    qtbot.waitUntil(lambda: "Not reserved in Odoo" in view.card.lease.text(), timeout=10000)
    bench.answer_checklist(tmp_path)
    bench.wait_page(view.grade)
    bench.press(Qt.Key.Key_Return)
    bench.wait_page(view.idle)
    [item] = bench.store.outbox.list_items()
    assert item.kind == "grading"

    expected_logs.expect("grading_station.outbox", ".*")
    expected_logs.expect("grading_station.odoo", ".*")
    bench.deliver()  # Odoo still down: it waits (the deliverer retries later)
    assert bench.store.outbox.get(item.id).state != "delivered"
    bench.sim.down = False
    bench.store.outbox.retry_now(item.id)
    assert bench.deliver() == 1
    [lot] = [lot for lot in bench.lots(SERIAL) if lot["product_qty"] > 0]
    assert lot_property(lot, "grade") == "premium" and lot["location_id"][1] == "WH/Stock"


def test_odoo_down_an_unknown_serial_is_taken_in_from_the_cached_catalogue(make_bench, qtbot):
    bench = make_bench()
    view = bench.view
    bench.scan(SERIAL)  # a look-up while Odoo is up remembers the unit's model too
    bench.wait_page(view.lookup)
    bench.sim.down = True
    bench.scan("R58M99999ZZ")
    bench.wait_page(view.picker, timeout=10000)
    assert "local cache" in view.scan_bar.status.text() or "cache" in view.scan_bar.status.text()
    bench.type_text("iphone 13")
    qtbot.waitUntil(lambda: view.picker.results.count() > 0, timeout=10000)
    assert "iPhone 13 128GB Midnight" in view.picker.results.item(0).text()
