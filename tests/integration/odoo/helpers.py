"""Grading records for the gateway tests."""

from __future__ import annotations

import uuid

from grading_station.domain.grading import GradingRecord
from grading_station.domain.units import IntakeSource, Placement, Unit

PHOTO = bytes.fromhex("ffd8ffe000104a46494600010100000100010000ffd9")  # a tiny JPEG header + EOI


def intake(model, serial: str, grade: str = "good", **overrides) -> GradingRecord:
    values = dict(
        grading_id=str(uuid.uuid4()),
        serial=serial,
        template_id=model.template_id,
        variant_id=model.variant_ids_by_grade[grade],
        model_name=model.name,
        category=model.category,
        grade=grade,
        suggested_grade=grade,
        override_reason="",
        placement=Placement.STOCK,
        hold_reason="",
        battery_health=88,
        battery_cycles=410,
        technician="alice",
        station="bench-1",
        tested_at="2026-11-27T10:00:00Z",
        checklist_id=model.category,
        checklist_version=1,
        results={"display": "pass", "camera": "pass"},
        source=IntakeSource.TRADE_IN,
    )
    values.update(overrides)
    return GradingRecord(**values)


def regrade(model, unit: Unit, grade: str, **overrides) -> GradingRecord:
    values = dict(existing_lot_id=unit.lot_id, existing_variant_id=unit.variant_id, source=None)
    values.update(overrides)
    return intake(model, unit.serial, grade, **values)


def files(record: GradingRecord) -> dict[str, bytes]:
    return {
        f"{record.serial}-{record.grading_id[:8]}-report.json": b'{"ok": true}',
        f"{record.serial}-{record.grading_id[:8]}-front.jpg": PHOTO,
    }
