"""Scans (one RPC), model search, leases between benches, unit history."""

from __future__ import annotations

import concurrent.futures
import json

from grading_station.domain.units import Lease

from tests.integration.odoo.helpers import PHOTO, regrade


def test_find_unit_is_one_rpc_and_maps_the_lot(prepared):
    with prepared.connection.metered() as meter:
        unit = prepared.find_unit("354660111457621")
    assert meter.calls == 1
    model = prepared.search_models("IP14P-256-PUR")[0]
    assert unit.serial == "354660111457621" and unit.grade == "good" and unit.location == "WH/Stock"
    assert unit.variant_id == model.variant_ids_by_grade["good"] and unit.template_id == model.template_id
    assert unit.category == "phone" and unit.model_name == model.name and unit.lease is None
    assert unit.properties["battery_health"] == 88 and unit.properties["source"] == "trade_in"


def test_unknown_serial_is_none_in_one_rpc(prepared):
    with prepared.connection.metered() as meter:
        assert prepared.find_unit("NO-SUCH-SERIAL") is None
    assert meter.calls == 1


def test_held_unit_shows_its_location_and_reason(prepared):
    unit = prepared.find_unit("352830111790931")
    assert unit.location == "WH/Hold" and unit.properties["hold_reason"].startswith("Back photo missing")


def test_search_models_by_name_reference_and_ean(prepared):
    assert [m.default_code for m in prepared.search_models("galaxy s23")] == ["SM-S911B-128-BLK"]
    assert [m.name for m in prepared.search_models("mba-m1")] == ['MacBook Air 13" M1 8GB 256GB Space Gray']
    assert [m.category for m in prepared.search_models("0194253405757")] == ["tablet"]
    assert prepared.search_models("nokia 3310") == []
    assert len(prepared.search_models("iphone", limit=1)) == 1


def test_lease_conflict_and_expiry(prepared):
    unit = prepared.find_unit("353918111045122")
    now = "2026-11-27T10:00:00Z"
    assert prepared.take_lease(unit, "bench-1", "2026-11-27T10:15:00Z", now) == Lease(
        "bench-1", "2026-11-27T10:15:00Z"
    )
    # another bench sees bench-1's lease, unchanged
    assert prepared.take_lease(unit, "bench-2", "2026-11-27T10:20:00Z", now).station == "bench-1"
    assert prepared.find_unit(unit.serial).lease == Lease("bench-1", "2026-11-27T10:15:00Z")
    # once it expired, bench-2 takes it over; every other property survived the writes
    lease = prepared.take_lease(unit, "bench-2", "2026-11-27T10:40:00Z", "2026-11-27T10:16:00Z")
    assert lease.station == "bench-2"
    again = prepared.find_unit(unit.serial)
    assert again.properties["battery_health"] == 91 and again.grade == "excellent"
    prepared.release_lease(unit, "bench-1")  # not ours: left alone
    assert prepared.find_unit(unit.serial).lease.station == "bench-2"
    prepared.release_lease(unit, "bench-2")
    assert prepared.find_unit(unit.serial).lease is None


def test_scans_from_several_workers_share_one_connection(prepared):
    serials = ["353918111045122", "354660111378439", "358508112045059", "PF3ABC12"] * 5
    before = prepared.rpc_count
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        units = list(pool.map(prepared.find_unit, serials))
    assert [u.serial for u in units] == serials
    assert prepared.rpc_count - before == len(serials)


def test_history_lists_chatter_newest_first(prepared):
    unit = prepared.find_unit("PF3ABC12")
    prepared.connection.call(
        "stock.lot",
        "message_post",
        [[unit.lot_id]],
        {
            "body": "<p>Keyboard cleaned</p>",
            "message_type": "comment",
            "subtype_xmlid": "mail.mt_note",
            "body_is_html": True,
        },
    )
    history = prepared.unit_history(unit.lot_id)
    assert history[0]["body"] == "Keyboard cleaned" and history[0]["author"] == "Administrator"
    assert history[0]["date"].endswith("Z")


def test_a_serial_on_an_unmanaged_product_reloads_the_catalogue_once(prepared):
    conn = prepared.connection
    cable = conn.call(
        "product.product",
        "create",
        [
            {
                "name": "USB-C Cable",
                "type": "consu",
                "is_storable": True,
                "tracking": "serial",
                "default_code": "CABLE-USBC",
            }
        ],
    )
    lot = conn.call("stock.lot", "create", [{"name": "CABLE-0001", "product_id": cable}])
    conn.call(
        "stock.quant",
        "create",
        [{"product_id": cable, "location_id": 8, "lot_id": lot, "inventory_quantity_auto_apply": 1}],
        {"context": {"inventory_mode": True}},
    )
    first = prepared.find_unit("CABLE-0001")
    assert first.model_name == "USB-C Cable" and first.category == "" and first.template_id == 0
    with conn.metered() as meter:
        prepared.find_unit("CABLE-0001")
    assert meter.calls == 1


def test_last_test_report_is_the_newest_json_report_on_the_lot_in_one_rpc(prepared):
    unit = prepared.find_unit("352830111790931")
    with prepared.connection.metered() as meter:
        assert prepared.last_test_report(unit.lot_id) is None  # seeded without a report
    assert meter.calls == 1
    model = prepared.search_models("SM-S911B-128-BLK")[0]
    record = regrade(model, unit, "good")
    report = json.dumps(record.to_json()).encode()
    prepared.deliver_grading(record, {f"test-report-{record.serial}-{record.grading_id}.json": report,
                                      f"{record.serial}-front.jpg": PHOTO})
    live = prepared.find_unit(unit.serial)
    with prepared.connection.metered() as meter:
        found = prepared.last_test_report(live.lot_id)
    assert meter.calls == 1
    assert found["grading_id"] == record.grading_id and found["results"] == record.results
