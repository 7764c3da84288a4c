from grading_station.domain.grading import GradingRecord, PhotoRef
from grading_station.domain.units import IntakeSource, Placement


def make_record(**overrides) -> GradingRecord:
    values = dict(
        grading_id="0b0c", serial="SN-1", template_id=1, variant_id=3, model_name="iPhone", category="phone", grade="good",
        suggested_grade="good", override_reason="", placement=Placement.STOCK, hold_reason="",
        battery_health=88, battery_cycles=300, technician="alice", station="bench-1",
        tested_at="2026-11-27T10:00:00Z", checklist_id="phone", checklist_version=1, results={"display": "pass"},
        photos=(PhotoRef("front", "/tmp/a.jpg", "abc", "front.jpg"),), source=IntakeSource.TRADE_IN,
    )
    values.update(overrides)
    return GradingRecord(**values)


def test_record_round_trips_through_json():
    record = make_record()
    assert GradingRecord.from_json(record.to_json()) == record


def test_intake_versus_regrade():
    assert make_record().is_intake
    assert not make_record(existing_lot_id=5, existing_variant_id=2, source=None).is_intake
