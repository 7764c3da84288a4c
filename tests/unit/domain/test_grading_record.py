from grading_station.domain.grading import GradingRecord

from tests.helpers.local_store import grading_record as make_record


def test_record_round_trips_through_json():
    record = make_record()
    assert GradingRecord.from_json(record.to_json()) == record


def test_intake_versus_regrade():
    assert make_record().is_intake
    assert not make_record(existing_lot_id=5, existing_variant_id=2, source=None).is_intake


def test_the_battery_source_travels_in_the_report_and_an_older_record_has_none():
    record = make_record(battery_source="device (adb)")
    assert record.to_json()["battery_source"] == "device (adb)"
    assert GradingRecord.from_json(record.to_json()) == record
    older = make_record().to_json()
    del older["battery_source"]  # queued by a version without the field
    assert GradingRecord.from_json(older).battery_source is None
