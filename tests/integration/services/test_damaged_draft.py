"""A damaged draft (issue 13 point 6) is set aside: the bench starts and scans again instead of failing on it."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from grading_station.odoo.gateway import OdooGateway
from grading_station.store.local import Store

from grading_station.services.bench_store import StationStore, draft_problem
from grading_station.services.grading import BenchIdentity, GradingService

from grading_station.resources import load_grade_scale
from tests.helpers.bench_rig import NOW, grades, odoo_settings

SERIAL = "353918111045122"  # demo: iPhone 13 128GB Midnight, Excellent, WH/Stock


@pytest.fixture
def service_on(seeded_sim, paths, templates) -> Iterator:
    gateway = OdooGateway(odoo_settings(seeded_sim), grades=grades())
    stores: list[Store] = []

    def make() -> tuple[GradingService, Store]:
        store = Store.open(paths)
        stores.append(store)
        service = GradingService(gateway, StationStore(store, "Bench 1"), templates, load_grade_scale(),
                                 BenchIdentity("Bench 1", "Ana"), clock=lambda: NOW, new_id=lambda: "g-1")
        return service, store

    yield make
    for store in stores:
        store.close()
    gateway.close()


def damage(store: Store, change) -> None:
    def edit(conn):
        (text,) = conn.execute("SELECT payload FROM drafts WHERE closed_at IS NULL").fetchone()
        payload = json.loads(text)
        change(payload)
        conn.execute("UPDATE drafts SET payload = ? WHERE closed_at IS NULL", (json.dumps(payload),))

    store.executor.call(edit)


@pytest.mark.parametrize("change", [
    lambda d: d.update(unit={"lot_id": 1}),  # a unit missing its fields
    lambda d: d.update(model=["iPhone"]),
    lambda d: d["session"].update(photos={"front": {"slot": "front"}}),
    lambda d: d.update(source="carrier pigeon"),
])
def test_a_damaged_draft_is_set_aside_and_the_bench_goes_on(service_on, change, expected_logs):
    expected_logs.expect("grading_station.store", r"could not be resumed and was set aside: the grading")
    service, store = service_on()
    found = service.lookup(SERIAL)
    service.begin_regrade(found.unit, found.model)
    damage(store, change)
    restarted, _store = service_on()
    assert restarted.resume() is None  # was: TypeError/ValueError at every start
    again = restarted.lookup(SERIAL)  # and every scan
    assert again.unit is not None
    reasons = store.executor.call(lambda c: [r[0] for r in c.execute("SELECT closed_reason FROM drafts")])
    assert any(r and r.startswith("quarantined: the grading in progress is damaged") for r in reasons)


def test_a_sound_draft_has_no_problem(service_on):
    service, store = service_on()
    found = service.lookup(SERIAL)
    service.begin_regrade(found.unit, found.model)
    draft = StationStore(store, "Bench 1").open_draft()
    assert draft is not None and draft_problem(draft) == ""
