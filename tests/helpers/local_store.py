"""Fixtures and builders for the domain and the local store: the shipped checklists and grade scale, a real
Store on SQLite in tmp_path, and a fully answered checklist session to start tests from."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from grading_station.domain.battery import BatteryReading
from grading_station.domain.checklist import NA, PASS, YES, ChecklistSession, ChecklistTemplate, StepKind
from grading_station.domain.grades import GradeScale
from grading_station.domain.grading import GradingRecord, PhotoRef
from grading_station.domain.units import IntakeSource, Placement

from grading_station.store.local import Store

from grading_station.paths import Paths
from grading_station.resources import load_checklist, load_grade_scale


def answered_session(
    template: ChecklistTemplate,
    battery: BatteryReading | None = None,
    condition: str = "flawless",
    photos: bool = True,
) -> ChecklistSession:
    """Every step answered as for a flawless, unlocked unit: tests pass, confirm steps "yes" (or "na" where
    allowed), battery 95 % / 120 cycles unless given, every zone `condition`, every slot photographed (fake
    refs), no accessories."""
    session = ChecklistSession(template).with_battery(battery or BatteryReading(95, 120))
    for step in template.steps:
        if step.kind == StepKind.PASS_FAIL:
            session = session.answer(step.id, PASS)
        elif step.kind == StepKind.CONFIRM:
            session = session.answer(step.id, NA if step.allow_na else YES)
        elif step.kind == StepKind.CHOICE:
            session = session.answer(step.id, [] if step.multiple else [step.options[0].id])
        elif step.kind == StepKind.COSMETIC:
            for zone in step.zones:
                session = session.with_cosmetic(zone.id, condition)
        elif step.kind == StepKind.PHOTOS and photos:
            for slot in step.slots:
                photo = PhotoRef(slot.id, f"/photos/{slot.id}.jpg", "0" * 40, f"{slot.id}.jpg")
                session = session.with_photo(photo)
    return session


def grading_record(**overrides) -> GradingRecord:
    """A plausible committed grading (SN-1 graded good as suggested, bench-1, alice); override any field."""
    values = dict(
        grading_id="0b0c", serial="SN-1", template_id=1, variant_id=3, model_name="iPhone", category="phone",
        grade="good", suggested_grade="good", override_reason="", placement=Placement.STOCK, hold_reason="",
        battery_health=88, battery_cycles=300, technician="alice", station="bench-1",
        tested_at="2026-11-27T10:00:00Z", checklist_id="phone", checklist_version=1,
        results={"display": "pass"},
        photos=(PhotoRef("front", "/tmp/a.jpg", "abc", "front.jpg"),), source=IntakeSource.TRADE_IN,
    )  # fmt: skip
    values.update(overrides)
    return GradingRecord(**values)


@pytest.fixture(scope="session")
def grade_scale() -> GradeScale:
    return load_grade_scale()


@pytest.fixture(scope="session")
def phone_checklist() -> ChecklistTemplate:
    return load_checklist("phone")


@pytest.fixture(scope="session")
def laptop_checklist() -> ChecklistTemplate:
    return load_checklist("laptop")


@pytest.fixture
def local_store(paths: Paths) -> Iterator[Store]:
    """A real local store (SQLite in tmp_path), closed after the test."""
    opened = Store.open(paths)
    yield opened
    opened.close()
