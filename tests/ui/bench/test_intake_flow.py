"""New intake: model picked by keyboard, source chosen, graded, delivered; a double intake refused."""

from __future__ import annotations

import pytest

from PySide6.QtCore import Qt

from grading_station.domain.identifiers import luhn_check_digit

from tests.helpers.bench_rig import lot_property


def new_imei(body: str) -> str:
    return body + str(luhn_check_digit(body))


def take_in(bench, serial: str, search: str = "iphone 13", source_key: str = "1") -> None:
    view = bench.view
    bench.scan(serial)
    bench.wait_page(view.picker)
    assert bench.focused() is view.picker.query
    bench.type_text(search)
    bench.qtbot.waitUntil(lambda: view.picker.results.count() > 0, timeout=5000)
    bench.press(Qt.Key.Key_Down, Qt.Key.Key_Return)  # into the results, pick the highlighted model
    assert view.picker.model is not None
    bench.press(source_key)
    bench.wait_page(view.checklist)


def test_new_intake_by_keyboard_creates_one_lot(make_bench, tmp_path, qtbot):
    bench = make_bench()
    view = bench.view
    serial = new_imei("35391811177777")
    take_in(bench, serial, search="IP13-128", source_key="2")  # by internal reference; corporate lease
    assert view.card.model.text() == "iPhone 13 128GB Midnight"
    assert "Corporate lease" in view.card.details.text()

    bench.answer_checklist(tmp_path, zone_key="2", health="86", cycles="400")
    bench.wait_page(view.grade)
    assert view.grade.suggestion.grade == "excellent"  # light micro-scratches
    bench.press(Qt.Key.Key_Return)
    bench.wait_page(view.idle)
    assert bench.focused() is view.scan_bar.field

    assert bench.deliver() == 1
    qtbot.waitUntil(lambda: "Delivered" in view.idle.delivery.text(), timeout=5000)
    [lot] = bench.lots(serial)
    model = bench.gateway.search_models("IP13-128-MID")[0]
    assert lot["product_id"][0] == model.variant_ids_by_grade["excellent"]
    assert lot["product_qty"] == 1 and lot["location_id"][1] == "WH/Stock"
    assert lot_property(lot, "source") == "corporate_lease"
    assert lot_property(lot, "grade") == "excellent"


def test_search_by_ean_and_unknown_model(make_bench, qtbot):
    bench = make_bench()
    view = bench.view
    bench.scan(new_imei("35391811166666"))
    bench.wait_page(view.picker)
    bench.type_text("nokia 3310")
    qtbot.waitUntil(lambda: "No managed model matches" in view.picker.status.text(), timeout=5000)
    assert view.picker.results.count() == 0
    view.picker.query.clear()
    bench.type_text("0194253410140")  # the EAN of the iPhone 14 Pro
    qtbot.waitUntil(lambda: view.picker.results.count() == 1, timeout=5000)
    assert "iPhone 14 Pro" in view.picker.results.item(0).text()


def test_the_same_new_unit_taken_in_twice_is_refused_by_odoo(make_bench, tmp_path, qtbot, expected_logs):
    expected_logs.expect("grading_station.outbox", r"refused")
    serial = new_imei("35391811188888")
    first = make_bench("Bench 1", base="b1")
    take_in(first, serial)
    first.press("G")  # grade now, with the checklist still open: the unit will be held
    first.wait_page(first.view.grade)
    assert first.view.grade.hold.isVisible()
    first.press(Qt.Key.Key_Return)
    first.wait_page(first.view.idle)
    assert "WH/Hold" in first.view.idle.body.text()

    second = make_bench("Bench 2", base="b2")
    take_in(second, serial)  # not delivered yet: Odoo does not know the unit, so it looks new here too
    second.press("G")
    second.wait_page(second.view.grade)
    second.press(Qt.Key.Key_Return)
    second.wait_page(second.view.idle)

    assert first.deliver() == 1
    assert second.deliver() == 1
    qtbot.waitUntil(lambda: "Not delivered" in second.view.idle.delivery.text(), timeout=5000)
    assert "already in Odoo" in second.view.idle.delivery.text()
    live = [lot for lot in second.lots(serial) if lot["product_qty"] > 0]
    assert len(live) == 1 and live[0]["location_id"][1] == "WH/Hold"
    [item] = second.store.outbox.list_items()
    assert item.state == "failing" and item.permanent


@pytest.mark.parametrize(
    ("search", "serial"), [("macbook air", "C02XK0ABQ6L4"), ("ipad air", "DMPXK1ABCD12")]
)
def test_laptop_and_tablet_checklists_by_keyboard(make_bench, tmp_path, qtbot, search, serial):
    bench = make_bench()
    view = bench.view
    take_in(bench, serial, search=search)
    category = view.checklist.session.category
    assert category == ("laptop" if "macbook" in search else "tablet")
    bench.answer_checklist(tmp_path)
    bench.wait_page(view.grade)
    bench.press(Qt.Key.Key_Return)
    bench.wait_page(view.idle)
    assert bench.deliver() == 1
    qtbot.waitUntil(lambda: "Delivered" in view.idle.delivery.text(), timeout=5000)
    [lot] = bench.lots(serial)
    assert lot["product_qty"] == 1 and lot["location_id"][1] == "WH/Stock"
    assert lot_property(lot, "checklist") == f"{category}@1"


def test_scanning_the_boxs_ean_in_the_picker_picks_that_model(make_bench):
    bench = make_bench()
    view = bench.view
    bench.scan(new_imei("35391811177123"))
    bench.wait_page(view.picker)
    bench.scan("0194253401483")  # the EAN on the iPhone 13 box: not a serial, the model
    bench.qtbot.waitUntil(lambda: view.picker.model is not None, timeout=5000)
    assert view.picker.model.name == "iPhone 13 128GB Midnight"
    assert view.scan_bar.error_text() == ""
    bench.press("1")
    bench.wait_page(view.checklist)
    assert view.checklist.session.model_name == "iPhone 13 128GB Midnight"
