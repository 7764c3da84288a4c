"""Pure mappers against JSON recorded from a real Odoo 18 (tests/integration/odoo/data/recorded.json)."""

from __future__ import annotations

import json
from pathlib import Path

import odoorpc.error
import pytest

from grading_station.domain.grading import GradingRecord
from grading_station.domain.units import IntakeSource, Lease, Placement

from grading_station.odoo import mappers
from grading_station.odoo.errors import OdooWrongCredentials, OdooWrongDatabase, clean_message, map_rpc_error
from grading_station.odoo.mappers import VariantInfo
from grading_station.odoo.schema import (
    GradeScale,
    definitions_match,
    lot_property_definitions,
    merged_definitions,
)
from grading_station.odoo.version import OdooFlavour

from grading_station.errors import RemoteRefused, RemoteUnavailable

RECORDED = json.loads((Path(__file__).parent / "data" / "recorded.json").read_text())


def make_record(**overrides) -> GradingRecord:
    values = dict(
        grading_id="g-1",
        serial="SN-1001",
        template_id=1,
        variant_id=2,
        model_name="iPhone 14 Pro 256GB",
        category="phone",
        grade="good",
        suggested_grade="good",
        override_reason="",
        placement=Placement.STOCK,
        hold_reason="",
        battery_health=87,
        battery_cycles=312,
        technician="alice",
        station="bench-1",
        tested_at="2026-11-27T10:00:00Z",
        checklist_id="phone",
        checklist_version=3,
        results={"display": "pass", "camera": "fail"},
        source=IntakeSource.TRADE_IN,
    )
    values.update(overrides)
    return GradingRecord(**values)


def test_properties_read_shape_becomes_a_dict():
    row = RECORDED["lot_read_04_step8"][0]
    props = mappers.properties_dict(row["lot_properties"])
    assert props["grade"] == "good" and props["battery_health"] == 87 and props["hold_reason"] is False


def test_partial_write_left_other_properties_false():
    props = mappers.properties_dict(RECORDED["lot_props_after_partial_write_04_step15"][0]["lot_properties"])
    assert props["hold_reason"] == "scratch on screen"
    assert all(v is False for k, v in props.items() if k != "hold_reason")


def test_unit_from_recorded_lot():
    row = RECORDED["lot_read_04_step8"][0]
    info = VariantInfo(2, 1, "iPhone 14 Pro 256GB", "phone", "good", "IP14P-256-GOO")
    unit = mappers.unit_from_lot(row, info)
    assert (unit.lot_id, unit.serial, unit.variant_id, unit.template_id) == (1, "SN-1001", 2, 1)
    assert (unit.grade, unit.location, unit.category, unit.lease) == ("good", "WH/Stock", "phone", None)


def test_unit_without_catalogue_entry_uses_the_display_name():
    unit = mappers.unit_from_lot(RECORDED["lot_read_04_step8"][0], None)
    assert unit.model_name == "iPhone 14 Pro 256GB" and unit.category == ""


def test_invalid_selection_reads_false_so_grade_falls_back_to_the_variant():
    row = dict(
        RECORDED["lot_read_04_step8"][0],
        lot_properties=RECORDED["lot_props_invalid_values_04_step19"][0]["lot_properties"],
    )
    info = VariantInfo(2, 1, "iPhone", "phone", "good")
    assert mappers.unit_from_lot(row, info).grade == "good"


def test_lease_round_trip_and_expiry():
    props = {"lease_station": "bench-2", "lease_until": "2026-11-27 10:15:00"}
    lease = mappers.lease_from_properties(props)
    assert lease == Lease("bench-2", "2026-11-27T10:15:00Z")
    assert not mappers.lease_expired(lease, "2026-11-27T10:14:59+00:00")
    assert mappers.lease_expired(lease, "2026-11-27T11:15:00+01:00")


def test_datetimes_convert_to_odoo_utc():
    assert mappers.odoo_datetime("2026-11-27T12:00:00+02:00") == "2026-11-27 10:00:00"
    assert mappers.iso_datetime("2026-11-27 10:00:00") == "2026-11-27T10:00:00Z"
    assert mappers.iso_datetime(False) == ""


def test_grading_properties_keep_every_other_key():
    previous = mappers.properties_dict(RECORDED["old_lot_05_step3"][0]["lot_properties"])
    previous["warranty_end"] = "2027-01-01"
    props = mappers.grading_properties(
        make_record(grade="fair", placement=Placement.HOLD, hold_reason="no box"), previous
    )
    assert props["warranty_end"] == "2027-01-01" and props["listable"] is True  # carried over
    assert props["grade"] == "fair" and props["outcome"] == "hold" and props["hold_reason"] == "no box"
    assert props["checklist"] == "phone@3" and props["tested_at"] == "2026-11-27 10:00:00"
    assert props["grading_id"] == "g-1" and props["source"] == "trade_in" and props["lease_station"] is False
    assert props["battery_source"] is False  # no source known (a record queued before it was kept)


def test_the_battery_source_is_a_lot_property_and_in_the_summary():
    record = make_record(battery_source="device (adb)")
    assert mappers.grading_properties(record, {})["battery_source"] == "device (adb)"
    assert "Battery 87%, 312 cycles (device (adb))" in mappers.note_html(record, "Good", "Good", "WH/Stock")
    assert "battery_source" in {d["name"] for d in lot_property_definitions(GradeScale())}


def test_note_html_escapes_and_lists_failures():
    body = mappers.note_html(make_record(notes={"camera": "<blurry>"}), "Good", "Good", "WH/Stock")
    assert "camera" in body and "&lt;blurry&gt;" in body and "g-1" in body and "Battery 87%" in body


def test_history_entry_from_recorded_chatter():
    entries = [mappers.history_entry(r) for r in RECORDED["chatter_04_step43"]]
    assert entries[1]["body"] == "Graded Good: battery 87%, 312 cycles"
    assert entries[1]["author"] == "Administrator" and entries[1]["date"].endswith("Z")


def test_property_definitions_are_types_odoo_accepts_and_match_after_a_write():
    wanted = lot_property_definitions(GradeScale())
    assert {d["type"] for d in wanted} <= {
        "boolean",
        "integer",
        "float",
        "char",
        "date",
        "datetime",
        "selection",
    }
    assert not definitions_match(RECORDED["definitions_03_step20"][0]["lot_properties_definition"], wanted)
    merged = merged_definitions(RECORDED["definitions_03_step20"][0]["lot_properties_definition"], wanted)
    assert definitions_match(merged, wanted) and any(d["name"] == "listable" for d in merged)


def test_version_from_recorded_info():
    flavour = OdooFlavour.from_version_info(RECORDED["version_info"])
    assert flavour.major == 18 and flavour.storable_product_vals() == {"type": "consu", "is_storable": True}
    assert (
        OdooFlavour.from_version_info({"server_version_info": [17, 0]}).storable_product_vals()["type"]
        == "product"
    )
    assert not OdooFlavour.from_version_info({"server_version_info": [16, 0]}).supported


def _rpc_error(name: str, message: str) -> odoorpc.error.RPCError:
    info = {
        "code": 200,
        "message": "Odoo Server Error",
        "data": {"name": name, "message": message, "arguments": [message], "context": {}},
    }
    return odoorpc.error.RPCError(message, info)


@pytest.mark.parametrize(
    "name, message, kind, text",
    [
        (
            "odoo.exceptions.UserError",
            "You are not allowed to change the product linked to a serial",
            RemoteRefused,
            "not allowed to change the product",
        ),
        (
            "odoo.exceptions.MissingError",
            "Record does not exist or has been deleted.\n(Record: stock.lot(9,), User: 2)",
            RemoteRefused,
            "no longer exists",
        ),
        ("odoo.exceptions.AccessDenied", "Access Denied", OdooWrongCredentials, "no longer accepts"),
        (
            "psycopg2.OperationalError",
            'FATAL:  database "nosuchdb" does not exist',
            OdooWrongDatabase,
            "does not exist",
        ),
        ("psycopg2.errors.SerializationFailure", "could not serialize access", RemoteUnavailable, "retried"),
    ],
)
def test_rpc_errors_map_to_known_errors(name, message, kind, text):
    error = map_rpc_error(_rpc_error(name, message), "create the lot")
    assert isinstance(error, kind) and text in error.user_message


def test_clean_message_drops_the_record_suffix():
    raw = "Record does not exist or has been deleted.\n(Record: stock.lot(999999,), User: 2)"
    assert clean_message(raw) == "Record does not exist or has been deleted."
