import json

from grading_station.domain.checklist import LOCK, PHOTOS_MISSING
from grading_station.domain.grading import GradingRecord

from tests.helpers.local_store import grading_record as make_record


def test_record_round_trips_through_json():
    record = make_record()
    assert GradingRecord.from_json(record.to_json()) == record


def test_intake_versus_regrade():
    assert make_record().is_intake
    assert not make_record(existing_lot_id=5, existing_variant_id=2, source=None).is_intake


def test_hold_reasons_round_trip_and_older_outbox_rows_still_load():
    lock = LOCK(lock="Find My (Activation Lock) is still on")
    photos = PHOTOS_MISSING(slots=("Front", "Back"), count=2)
    record = make_record(hold_reason="Find My (Activation Lock) is still on; photos missing: front, back",
                         hold_reasons=(lock, photos))
    data = json.loads(json.dumps(record.to_json()))  # as the outbox stores it
    assert GradingRecord.from_json(data) == record
    del data["hold_reasons"]  # a row queued before reasons were codes
    assert GradingRecord.from_json(data).hold_reasons == ()
    assert GradingRecord.from_json(data).hold_reason == record.hold_reason


def test_the_battery_source_travels_in_the_report_and_an_older_record_has_none():
    record = make_record(battery_source="device (adb)")
    assert record.to_json()["battery_source"] == "device (adb)"
    assert GradingRecord.from_json(record.to_json()) == record
    older = make_record().to_json()
    del older["battery_source"]  # queued by a version without the field
    assert GradingRecord.from_json(older).battery_source is None
