"""Delivering gradings: intake, re-grade, placements, budgets, idempotent retries, refusals."""

from __future__ import annotations

import threading
import time

import pytest

from grading_station.domain.units import Placement

from grading_station.odoo import OdooGateway
from grading_station.odoo.mappers import properties_dict

from grading_station.errors import KnownError, RemoteRefused, RemoteUnavailable
from tests.integration.odoo.conftest import create_user, settings_for
from tests.integration.odoo.helpers import files, intake, regrade
from tests.integration.odoo.simhooks import fail_next


def model_of(gw, code):
    return next(m for m in gw.search_models(code) if m.default_code == code)


def lots_named(gw, serial):
    return gw.connection.call(
        "stock.lot",
        "search_read",
        [[["name", "=", serial]]],
        {"fields": ["product_id", "product_qty", "location_id", "lot_properties"], "order": "id"},
    )


def internal_quants(gw, lot_id):
    return gw.connection.call(
        "stock.quant",
        "search_read",
        [[["lot_id", "=", lot_id], ["location_id.usage", "=", "internal"]]],
        {"fields": ["location_id", "quantity"]},
    )


def test_intake_in_at_most_six_rpcs_and_everything_lands(prepared):
    model = model_of(prepared, "IP13-128-MID")
    record = intake(model, "353918111203507", "good", notes={"camera": "slight dust"})
    report = prepared.deliver_grading(record, files(record))
    assert report.rpc_calls <= 6 and report.location == "WH/Stock"
    lot = lots_named(prepared, record.serial)
    assert len(lot) == 1 and lot[0]["id"] == report.lot_id and lot[0]["product_qty"] == 1.0
    assert lot[0]["product_id"][0] == model.variant_ids_by_grade["good"]
    props = properties_dict(lot[0]["lot_properties"])
    assert props["grade"] == "good" and props["battery_health"] == 88 and props["checklist"] == "phone@1"
    assert (
        props["grading_id"] == record.grading_id
        and props["outcome"] == "stock"
        and props["source"] == "trade_in"
    )
    assert [q["location_id"][1] for q in internal_quants(prepared, report.lot_id) if q["quantity"]] == [
        "WH/Stock"
    ]
    atts = prepared.connection.call(
        "ir.attachment",
        "search_read",
        [[["res_model", "=", "stock.lot"], ["res_id", "=", report.lot_id]]],
        {"fields": ["name", "mimetype"]},
    )
    assert sorted(a["name"] for a in atts) == sorted(files(record)) and sorted(
        report.attachment_ids
    ) == sorted(a["id"] for a in atts)
    notes = prepared.connection.call(
        "mail.message",
        "search_read",
        [[["model", "=", "stock.lot"], ["res_id", "=", report.lot_id], ["message_type", "=", "comment"]]],
        {"fields": ["body", "attachment_ids", "subtype_id"]},
    )
    assert len(notes) == 1 and notes[0]["id"] == report.message_id and "<b>" in notes[0]["body"]
    assert "slight dust" in notes[0]["body"] and sorted(notes[0]["attachment_ids"]) == sorted(
        report.attachment_ids
    )
    assert notes[0]["subtype_id"][1] == "Note"
    found = prepared.find_unit(record.serial)
    assert found.lot_id == report.lot_id and found.grade == "good"


@pytest.mark.parametrize(
    "placement, location", [(Placement.HOLD, "WH/Hold"), (Placement.REPAIR, "WH/Repair")]
)
def test_hold_and_repair_placements(prepared, placement, location):
    model = model_of(prepared, "PX7-128-OBS")
    grade = "repair" if placement is Placement.REPAIR else "fair"
    record = intake(model, "358508112124243", grade, placement=placement, hold_reason="no charger test")
    report = prepared.deliver_grading(record, files(record))
    assert report.location == location
    unit = prepared.find_unit(record.serial)
    assert unit.location == location and unit.properties["outcome"] == placement.value
    assert prepared.sellable_quantities([record.variant_id]) == {record.variant_id: 0}


def test_regrade_to_another_variant_makes_a_new_lot_and_zeroes_the_old(prepared):
    model = model_of(prepared, "IP14P-256-PUR")
    unit = prepared.find_unit("354660111457621")  # good
    record = regrade(model, unit, "fair", battery_health=79)
    report = prepared.deliver_grading(record, files(record))
    assert report.rpc_calls <= 6 and report.lot_id != unit.lot_id
    lots = {lot["id"]: lot for lot in lots_named(prepared, unit.serial)}
    assert lots[unit.lot_id]["product_qty"] == 0.0 and lots[report.lot_id]["product_qty"] == 1.0
    props = properties_dict(lots[report.lot_id]["lot_properties"])
    assert (
        props["grade"] == "fair" and props["battery_health"] == 79 and props["source"] == "trade_in"
    )  # kept
    again = prepared.find_unit(unit.serial)
    assert again.lot_id == report.lot_id and again.variant_id == model.variant_ids_by_grade["fair"]


def test_regrade_on_the_same_variant_moves_the_lot_to_hold(prepared):
    model = model_of(prepared, "IP13-128-MID")
    unit = prepared.find_unit("353918111124315")
    record = regrade(model, unit, "good", placement=Placement.HOLD, hold_reason="screen to recheck")
    report = prepared.deliver_grading(record, files(record))
    assert report.lot_id == unit.lot_id and report.rpc_calls <= 6
    assert [q["location_id"][1] for q in internal_quants(prepared, unit.lot_id) if q["quantity"]] == [
        "WH/Hold"
    ]
    moved = prepared.find_unit(unit.serial)
    assert moved.location == "WH/Hold" and moved.properties["hold_reason"] == "screen to recheck"


def test_back_and_forth_between_stock_and_hold_follows_the_quants(prepared):
    # stock.lot.location_id is stored and is not recomputed when only a quant's quantity changes (transcript
    # 05): after Stock -> Hold -> Stock it still says Hold. Each move must start from where the quant really is.
    model = model_of(prepared, "IP13-128-MID")
    serial = "353918111124315"
    for placement, expected in [(Placement.HOLD, "WH/Hold"), (Placement.STOCK, "WH/Stock"),
                                (Placement.HOLD, "WH/Hold"), (Placement.STOCK, "WH/Stock")]:
        unit = prepared.find_unit(serial)
        record = regrade(model, unit, "good", placement=placement,
                         hold_reason="screen to recheck" if placement is Placement.HOLD else "")
        report = prepared.deliver_grading(record, files(record))
        assert report.rpc_calls <= 6
        live = [q["location_id"][1] for q in internal_quants(prepared, unit.lot_id) if q["quantity"] > 0]
        assert live == [expected], (placement, live)


def test_a_second_intake_of_a_live_serial_is_refused(prepared):
    model = model_of(prepared, "IP14P-256-PUR")
    record = intake(model, "354660111378439", "fair")
    with pytest.raises(RemoteRefused, match="already in Odoo") as caught:
        prepared.deliver_grading(record, files(record))
    assert not caught.value.retryable
    assert len(lots_named(prepared, record.serial)) == 1


def test_delivering_twice_changes_nothing(prepared):
    model = model_of(prepared, "SM-X700-128-GRA")
    record = intake(model, "R52T30ZZZZZ", "good")
    first = prepared.deliver_grading(record, files(record))
    second = prepared.deliver_grading(record, files(record))
    assert (second.lot_id, second.attachment_ids, second.message_id) == (
        first.lot_id,
        first.attachment_ids,
        first.message_id,
    )
    assert second.rpc_calls <= 4  # read lots, where its quants are, read attachments, read notes
    assert len(lots_named(prepared, record.serial)) == 1


@pytest.mark.parametrize(
    "model_name, method",
    [
        ("stock.quant", "create"),
        ("ir.attachment", "create"),
        ("stock.lot", "message_post"),
    ],
)
def test_retry_after_a_failure_between_steps_duplicates_nothing(prepared, odoo_sim, model_name, method):
    model = model_of(prepared, "MBA-M1-8-256-GRY")
    record = intake(model, "C02FK1ZZQ6L4", "fair")
    fail_next(odoo_sim, model_name, method)
    with pytest.raises(KnownError):
        prepared.deliver_grading(record, files(record))
    report = prepared.deliver_grading(record, files(record))
    lots = lots_named(prepared, record.serial)
    assert len(lots) == 1 and lots[0]["product_qty"] == 1.0
    atts = prepared.connection.call(
        "ir.attachment",
        "search_read",
        [[["res_model", "=", "stock.lot"], ["res_id", "=", report.lot_id]]],
        {"fields": ["name"]},
    )
    assert len(atts) == 2
    notes = prepared.connection.call(
        "mail.message",
        "search_count",
        [[["model", "=", "stock.lot"], ["res_id", "=", report.lot_id], ["message_type", "=", "comment"]]],
    )
    assert notes == 1


def test_regrade_retry_after_the_quant_step_failed(prepared, odoo_sim):
    model = model_of(prepared, "PX7-128-OBS")
    unit = prepared.find_unit("358508112045059")
    record = regrade(model, unit, "fair")
    fail_next(odoo_sim, "stock.quant", "create")
    with pytest.raises(KnownError):
        prepared.deliver_grading(record, files(record))
    report = prepared.deliver_grading(record, files(record))
    qty = {lot["id"]: lot["product_qty"] for lot in lots_named(prepared, unit.serial)}
    assert qty == {unit.lot_id: 0.0, report.lot_id: 1.0}


def test_stock_user_without_email_is_refused_with_odoos_reason_then_succeeds(prepared, odoo_sim):
    tech_id = create_user(prepared.connection, "tech", "tech-pass-1")
    tech = OdooGateway(settings_for(odoo_sim, "tech", "tech-pass-1"))
    model = model_of(tech, "IP13-128-MID")
    record = intake(model, "353918111299999", "good")
    with pytest.raises(RemoteRefused, match="configure the sender's email address"):
        tech.deliver_grading(record, files(record))
    prepared.connection.call("res.users", "write", [[tech_id], {"email": "tech@example.com"}])
    report = tech.deliver_grading(record, files(record))
    assert report.message_id and len(lots_named(prepared, record.serial)) == 1


def test_retry_after_a_timeout_once_odoo_applied_the_lot_duplicates_nothing(prepared, odoo_sim, monkeypatch):
    """The lot create reaches Odoo but its answer comes too late: the retry finds the lot by grading_id."""
    prepared.connection.settings = settings_for(odoo_sim, timeout=0.2)
    prepared.connection.reconnect()
    model = model_of(prepared, "IPAD-AIR5-64-GRY")
    record = intake(model, "DMPXK2ZZQ16V", "good")
    original, slowed, answered = odoo_sim.service.jsonrpc, threading.Event(), threading.Event()

    def answer_late_after_lot_create(params):
        result = original(params)
        if list(params.get("args") or [])[3:5] == ["stock.lot", "create"] and not slowed.is_set():
            slowed.set()
            time.sleep(0.35)  # the late answer (past the 0.2 s timeout)
            answered.set()
        return result

    monkeypatch.setattr(odoo_sim.service, "jsonrpc", answer_late_after_lot_create)
    with pytest.raises(RemoteUnavailable, match="did not answer in time"):
        prepared.deliver_grading(record, files(record))
    assert answered.wait(5)  # the server finishes the late answer
    report = prepared.deliver_grading(record, files(record))
    lots = lots_named(prepared, record.serial)
    assert [lot["id"] for lot in lots] == [report.lot_id] and lots[0]["product_qty"] == 1.0


def test_network_dying_mid_delivery_then_retry(prepared, odoo_sim, monkeypatch):
    """The connection drops right after the lot was created; the retry finishes without a second lot."""
    model = model_of(prepared, "TP-T14G2-I5-16-512")
    record = intake(model, "PF3ZZZ99", "good")
    original = odoo_sim.service.jsonrpc

    def drop_after_lot_create(params):
        result = original(params)
        if list(params.get("args") or [])[3:5] == ["stock.lot", "create"]:
            odoo_sim.down = True  # every following request is reset
        return result

    monkeypatch.setattr(odoo_sim.service, "jsonrpc", drop_after_lot_create)
    with pytest.raises(RemoteUnavailable) as caught:
        prepared.deliver_grading(record, files(record))
    assert caught.value.retryable
    odoo_sim.down = False
    monkeypatch.setattr(odoo_sim.service, "jsonrpc", original)
    report = prepared.deliver_grading(record, files(record))
    lots = lots_named(prepared, record.serial)
    assert [lot["id"] for lot in lots] == [report.lot_id] and lots[0]["product_qty"] == 1.0
    assert report.message_id


def test_regrade_keeps_a_unit_on_its_shelf_inside_wh_stock(prepared):
    conn = prepared.connection
    shelf = conn.call(
        "stock.location", "create", [{"name": "Shelf 2", "usage": "internal", "location_id": 8}]
    )
    unit = prepared.find_unit("352830111711747")  # excellent, WH/Stock
    conn.call(
        "stock.quant",
        "create",
        [
            [
                {
                    "product_id": unit.variant_id,
                    "location_id": 8,
                    "lot_id": unit.lot_id,
                    "inventory_quantity_auto_apply": 0,
                },
                {
                    "product_id": unit.variant_id,
                    "location_id": shelf,
                    "lot_id": unit.lot_id,
                    "inventory_quantity_auto_apply": 1,
                },
            ]
        ],
        {"context": {"inventory_mode": True}},
    )
    model = model_of(prepared, "SM-S911B-128-BLK")
    record = regrade(model, unit, "good")
    report = prepared.deliver_grading(record, files(record))
    assert report.location == "WH/Stock/Shelf 2"
    assert prepared.find_unit(unit.serial).location == "WH/Stock/Shelf 2"
    assert (
        prepared.sellable_quantities([model.variant_ids_by_grade["good"]])[model.variant_ids_by_grade["good"]]
        == 1
    )


def test_parallel_deliveries_and_scans_from_a_worker_pool(prepared, odoo_sim):
    import concurrent.futures

    model = model_of(prepared, "IP13-128-MID")
    records = [intake(model, f"POOL-{i:03d}", "good") for i in range(12)]
    odoo_sim.reset_counts()
    before = prepared.rpc_count
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        reports = list(pool.map(lambda r: prepared.deliver_grading(r, files(r)), records))
        units = list(pool.map(prepared.find_unit, [r.serial for r in records]))
    assert all(r.rpc_calls == 5 for r in reports)
    assert [u.lot_id for u in units] == [r.lot_id for r in reports]
    assert prepared.rpc_count - before == odoo_sim.rpc_count() == 12 * 5 + 12


def test_a_variant_the_catalogue_does_not_manage_is_refused_before_anything_is_written(prepared):
    model = model_of(prepared, "IP13-128-MID")
    record = intake(model, "353918111299992", "good", variant_id=999999)
    with pytest.raises(RemoteRefused, match="not one of the station's graded models"):
        prepared.deliver_grading(record, files(record))
    assert lots_named(prepared, record.serial) == []
