"""GradingService without Qt, against the Odoo simulator over HTTP and a real local store."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from grading_station.domain.checklist import StepKind
from grading_station.domain.units import IntakeSource, Placement

from grading_station.odoo import OdooGateway
from grading_station.store.local import Store

from grading_station.services.bench_models import NewIntake, UnitFound, UnitLeased
from grading_station.services.bench_store import StationStore
from grading_station.services.grading import BenchIdentity, GradingService

from grading_station.errors import InputError, KnownError
from grading_station.resources import load_grade_scale
from tests.helpers.bench_rig import NOW, grades, jpeg_bytes, odoo_settings

SERIAL = "353918111045122"  # demo: iPhone 13 128GB Midnight, Excellent, WH/Stock


@pytest.fixture
def gateway(seeded_sim) -> Iterator[OdooGateway]:
    gw = OdooGateway(odoo_settings(seeded_sim), grades=grades())
    gw.search_models("warm the catalogue cache")
    yield gw
    gw.close()


@pytest.fixture
def make_service(gateway, paths, templates):
    stores: list[Store] = []

    def make(station: str = "Bench 1", clock=lambda: NOW) -> GradingService:
        store = Store.open(paths)
        stores.append(store)
        return GradingService(
            gateway,
            StationStore(store, station),
            templates,
            load_grade_scale(),
            BenchIdentity(station, "Ana"),
            clock=clock,
            new_id=lambda: "g-1",
        )

    yield make
    for store in stores:
        store.close()


def answer_all(
    service: GradingService,
    *,
    condition: str = "flawless",
    confirm: str = "yes",
    photos: bool = True,
    fail: str = "",
) -> None:
    template = service._require_open().session.template
    for step in template.steps:
        if step.kind == StepKind.PASS_FAIL:
            service.record_answer(step.id, "fail" if step.id == fail else "pass")
        elif step.kind == StepKind.CONFIRM:
            service.record_answer(step.id, confirm if step.hold_if_not_confirmed else "yes")
        elif step.kind == StepKind.CHOICE:
            service.record_answer(step.id, "none" if step.multiple else step.options[0].id)
        elif step.kind == StepKind.COSMETIC:
            for zone in step.zones:
                service.record_answer(f"{step.id}.{zone.id}", condition)
        elif step.kind == StepKind.BATTERY:
            service.record_battery("95", "120")
        elif step.kind == StepKind.PHOTOS and photos:
            for slot in step.slots:
                service.add_photo(slot.id, jpeg_bytes(), f"{slot.id}.jpg")


def test_a_scan_shows_the_unit_after_one_rpc_and_no_lease_yet(make_service, seeded_sim):
    service = make_service()
    seeded_sim.reset_counts()
    found = service.find(SERIAL)
    assert isinstance(found, UnitFound) and found.lease is None
    assert seeded_sim.rpc_count() == 1  # model, grade and location come from that single stock.lot read
    assert found.unit.model_name and found.grade_title == "Excellent" and found.unit.location == "WH/Stock"
    claimed = service.claim(found)
    assert isinstance(claimed, UnitFound) and claimed.lease.station == "Bench 1"


def test_a_scan_resolves_in_one_rpc_then_takes_the_lease(make_service, seeded_sim):
    service = make_service()
    seeded_sim.reset_counts()
    outcome = service.lookup(SERIAL)
    assert isinstance(outcome, UnitFound)
    assert seeded_sim.rpc_count("stock.lot", "search_read") == 1  # find_unit: ONE call
    assert outcome.lease.station == "Bench 1" and outcome.lease.until == "2026-11-27T10:00:00Z"
    assert outcome.grade_title == "Excellent" and outcome.unit.location == "WH/Stock"


def test_unknown_serial_is_a_new_intake_and_costs_one_rpc(make_service, seeded_sim):
    service = make_service()
    seeded_sim.reset_counts()
    assert service.lookup("R58M12345AB") == NewIntake("R58M12345AB")
    assert seeded_sim.rpc_count() == 1


def test_a_lease_taken_by_another_bench_between_find_and_claim_wins(make_service):
    first, second = make_service("Bench 1"), make_service("Bench 2")
    found = first.find(SERIAL)
    assert isinstance(second.lookup(SERIAL), UnitFound)  # bench 2 was quicker
    outcome = first.claim(found)
    assert isinstance(outcome, UnitLeased) and outcome.lease.station == "Bench 2"


def test_another_bench_lease_is_reported_not_overwritten(make_service):
    first, second = make_service("Bench 1"), make_service("Bench 2")
    assert isinstance(first.lookup(SERIAL), UnitFound)
    outcome = second.lookup(SERIAL)
    assert isinstance(outcome, UnitLeased)
    assert outcome.lease.station == "Bench 1"
    later = make_service("Bench 2", clock=lambda: datetime(2026, 11, 27, 10, 1, tzinfo=UTC))
    assert isinstance(later.lookup(SERIAL), UnitFound)  # the lease expired: the unit is free again


def test_commit_freezes_the_record_and_queues_it_in_one_transaction(make_service, gateway):
    service = make_service()
    found = service.lookup(SERIAL)
    service.begin_regrade(found.unit, found.model)
    answer_all(service)
    advice = service.suggest()
    assert advice.grade == "premium" and advice.complete and not advice.hold_reasons
    summary = service.commit("premium")
    assert summary.placement == "stock" and not summary.overridden
    item = service.store._store.outbox.get(summary.outbox_id)
    record = item.payload
    model = gateway.search_models("IP13-128-MID")[0]
    assert record["variant_id"] == model.variant_ids_by_grade["premium"]
    assert record["tested_at"] == "2026-11-27T09:30:00Z" and record["technician"] == "Ana"
    assert record["existing_lot_id"] == found.unit.lot_id and record["source"] is None
    assert len(record["photos"]) == 6 and record["battery_health"] == 95
    assert service.store.open_draft() is None
    with pytest.raises(InputError, match="No unit is being graded"):
        service.commit("premium")


@pytest.mark.parametrize(
    ("answers", "grade", "placement", "hold"),
    [
        ({"fail": "power_on"}, "repair", Placement.REPAIR, ""),
        ({"confirm": "no"}, "premium", Placement.HOLD, "Activation Lock"),
        ({"photos": False}, "premium", Placement.HOLD, "photos missing"),
    ],
)
def test_placement_follows_the_rules(make_service, answers, grade, placement, hold):
    service = make_service()
    service.begin_intake("R58M12345AB", _model(service), IntakeSource.TRADE_IN)
    answer_all(service, **answers)
    assert service.suggest().grade == grade
    summary = service.commit(grade)
    assert summary.placement == placement.value
    assert hold.lower() in summary.hold_reason.lower()


def test_override_needs_a_reason_and_cannot_sell_a_repair(make_service):
    service = make_service()
    service.begin_intake("R58M12345AB", _model(service), IntakeSource.RETURN)
    answer_all(service, condition="visible")
    assert service.suggest().grade == "fair"
    with pytest.raises(InputError, match="say why"):
        service.commit("good")
    assert service.store.open_draft() is not None  # nothing committed
    summary = service.commit("good", "scratches polished out after the test")
    assert summary.overridden
    [entry] = service.store._store.audit.entries(subject="R58M12345AB", action="grade_override")
    assert entry.detail == {
        "grading_id": "g-1",
        "from": "fair",
        "to": "good",
        "reason": "scratches polished out after the test",
    }


def test_battery_and_photo_refusals_leave_the_draft_alone(make_service):
    service = make_service()
    service.begin_intake("R58M12345AB", _model(service), IntakeSource.OTHER)
    for health, reason in (("140", "not possible"), ("abc", "not a number"), ("", "Enter the battery")):
        with pytest.raises(InputError, match=reason):
            service.record_battery(health, "10")
    with pytest.raises(InputError, match="not a readable photo"):
        service.add_photo("front", jpeg_bytes()[:200], "front.jpg")
    draft = service.store.open_draft()
    assert draft["session"]["battery"] is None and draft["session"]["photos"] == {}


def test_a_new_service_on_the_same_store_resumes_the_draft(make_service):
    service = make_service()
    found = service.lookup(SERIAL)
    service.begin_regrade(found.unit, found.model)
    service.record_answer("power_on", "pass")
    service.record_answer("cosmetic.screen", "light")
    service.record_battery("88", "300")
    service.add_photo("front", jpeg_bytes(), "front.jpg")
    restarted = make_service()
    view = restarted.resume()
    assert view.resumed and view.serial == SERIAL and view.unit.lot_id == found.unit.lot_id
    answers = {step.id: step.answer for step in view.steps}
    assert answers["power_on"] == "pass" and answers["cosmetic.screen"] == "light"
    assert (view.battery_health, view.battery_cycles) == (88, 300)
    assert view.photos["front"].thumbnail_png  # the thumbnail comes back from the photo store


def test_a_reading_from_the_device_keeps_its_source_into_the_record(make_service):
    service = make_service()
    found = service.lookup(SERIAL)
    service.begin_regrade(found.unit, found.model)
    answer_all(service)
    assert service.record_battery("91", "412", "device (adb)") == (91, 412, "device (adb)")
    view = make_service().resume()  # the draft keeps where the reading came from
    assert (view.battery_health, view.battery_source) == (91, "device (adb)")
    summary = service.commit("premium")
    record = service.store._store.outbox.get(summary.outbox_id).payload
    assert record["battery_source"] == "device (adb)" and record["battery_health"] == 91
    service.begin_regrade(found.unit, found.model)
    assert service.record_battery("90", "") == (90, None, "manual")  # typed: manual


def test_a_model_without_a_checklist_is_refused(make_service):
    service = make_service()
    model = _model(service)
    odd = type(model)(**{**model.__dict__, "category": "camera"})
    with pytest.raises(KnownError, match="no checklist for the category"):
        service.begin_intake("R58M12345AB", odd, IntakeSource.OTHER)


def _model(service: GradingService):
    return service.search_models("IP13-128-MID")[0]


def test_remarks_survive_a_restart_and_are_frozen_into_the_record(make_service):
    service = make_service()
    service.begin_intake("R58M12345AB", _model(service), IntakeSource.TRADE_IN)
    assert service.record_note("speakers", "  crackles at full volume ") == "crackles at full volume"
    service.record_note("cosmetic.back", "scuff near the camera")  # a zone's remark goes to its step
    service.record_note("power_on", "typo")
    service.record_note("power_on", "")  # cleared
    restarted = make_service()
    view = restarted.resume()
    notes = {step.id: step.note for step in view.steps if step.note}
    assert notes == {
        "speakers": "crackles at full volume",
        **{s.id: "scuff near the camera" for s in view.steps if s.id.startswith("cosmetic.")},
    }
    answer_all(restarted)
    restarted.commit("premium")
    [item] = restarted.store._store.outbox.list_items()
    assert item.payload["notes"] == {"speakers": "crackles at full volume", "cosmetic": "scuff near the camera"}


def test_discard_drops_the_draft_and_says_which_unit_was_open(make_service):
    service = make_service()
    found = service.lookup(SERIAL)
    service.begin_regrade(found.unit, found.model)
    service.record_answer("power_on", "pass")
    assert service.discard() == SERIAL
    assert service.store.open_draft() is None and make_service().resume() is None
    assert service.discard() is None
    with pytest.raises(InputError, match="No unit is being graded"):
        service.record_note("power_on", "late")
