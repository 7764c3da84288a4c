"""The lots' properties cache: a reading fetches again only the lots written since, trusts a reading only once
Odoo's clock has left the second of its write date (write dates have one-second steps), and, with the local store
as its archive, starts a restarted station from what it read before."""

from __future__ import annotations

from datetime import UTC, datetime

from grading_station.odoo.connection import OdooSettings
from grading_station.odoo.lot_properties import CLOCK_MARGIN_S, SETTLE_S, LotPropertiesCache
from grading_station.store.db import StoreExecutor
from grading_station.store.lot_cache import LotCache

T0 = datetime(2026, 11, 27, 10, 0, 0, tzinfo=UTC).timestamp()


class FakeOdoo:
    """stock.lot `read` of write_date / lot_properties over lots kept here; Odoo's clock is the test's clock."""

    def __init__(self, clock: list[float], database: str = "grading") -> None:
        self.settings = OdooSettings("http://odoo.test", database, "admin", "admin")
        self.clock = clock
        self.lots: dict[int, tuple[str, dict]] = {}
        self.calls: list[tuple[str, list[int]]] = []  # ("dates" | "props", ids)

    def write(self, lot_id: int, props: dict) -> None:
        stamp = datetime.fromtimestamp(self.clock[0], UTC).strftime("%Y-%m-%d %H:%M:%S")
        self.lots[lot_id] = (stamp, props)

    def call(self, model: str, method: str, args: list, kwargs: dict | None = None, *, what: str = "") -> list:
        assert (model, method) == ("stock.lot", "read")
        ids, fields = args
        self.calls.append(("props" if "lot_properties" in fields else "dates", list(ids)))
        rows = []
        for lot_id in ids:
            if lot_id in self.lots:
                stamp, props = self.lots[lot_id]
                row = {"id": lot_id, "write_date": stamp}
                if "lot_properties" in fields:
                    row["lot_properties"] = [{"name": k, "type": "char", "string": k, "value": v}
                                             for k, v in props.items()]
                rows.append(row)
        return rows

    def read_props(self) -> list[list[int]]:
        """The ids of each properties read since the last call."""
        found = [ids for kind, ids in self.calls if kind == "props"]
        self.calls.clear()
        return found


def _cache(odoo: FakeOdoo, archive: LotCache | None = None) -> LotPropertiesCache:
    return LotPropertiesCache(odoo, archive, clock=lambda: odoo.clock[0])  # one clock: the station's is Odoo's


def test_a_later_reading_fetches_only_new_and_changed_lots():
    clock = [T0]
    odoo = FakeOdoo(clock)
    for lot_id in (1, 2, 3):
        odoo.write(lot_id, {"grade": "good"})
    clock[0] += CLOCK_MARGIN_S + 1  # written long before: Odoo's second is over even if its clock is behind
    cache = _cache(odoo)
    assert cache.read([1, 2, 3]) == {i: {"grade": "good"} for i in (1, 2, 3)}
    assert odoo.read_props() == [[1, 2, 3]]
    clock[0] += 5
    odoo.write(2, {"grade": "fair"})
    odoo.write(4, {"grade": "premium"})
    clock[0] += 1
    assert cache.read([1, 2, 3, 4]) == {1: {"grade": "good"}, 2: {"grade": "fair"}, 3: {"grade": "good"},
                                        4: {"grade": "premium"}}
    assert odoo.read_props() == [[2, 4]]
    assert cache.read([1, 2, 3, 4])[2] == {"grade": "fair"}
    assert odoo.read_props() == []  # write dates only


def test_a_lot_written_twice_in_the_second_of_a_reading_is_read_once_more_after_it():
    clock = [T0]
    odoo = FakeOdoo(clock)
    odoo.write(1, {"hold_reason": "photo missing"})
    cache = _cache(odoo)
    assert cache.read([1]) == {1: {"hold_reason": "photo missing"}}  # in the very second it was written
    odoo.write(1, {"hold_reason": ""})  # the same second: the same write date
    odoo.read_props()
    clock[0] += 0.5
    assert cache.read([1]) == {1: {"hold_reason": "photo missing"}}  # not yet known to be over: kept a moment
    assert odoo.read_props() == []
    clock[0] += SETTLE_S
    assert cache.read([1]) == {1: {"hold_reason": ""}}  # read once more, now that Odoo's second is over
    assert odoo.read_props() == [[1]]
    clock[0] += SETTLE_S
    cache.read([1])
    assert odoo.read_props() == []  # confirmed: not read again


def test_a_lot_older_than_the_newest_write_date_answered_is_trusted_at_once():
    clock = [T0]
    odoo = FakeOdoo(clock)
    odoo.write(1, {"grade": "good"})
    clock[0] += 1
    odoo.write(2, {"grade": "fair"})  # Odoo's clock has reached this second: lot 1's second is over
    cache = _cache(odoo)
    cache.read([1, 2])
    odoo.read_props()
    clock[0] += SETTLE_S
    cache.read([1, 2])
    assert odoo.read_props() == [[2]]  # only the lot of the newest second is read once more


def test_a_reading_of_every_lot_on_hand_forgets_the_others(tmp_path):
    clock = [T0]
    odoo = FakeOdoo(clock)
    for lot_id in (1, 2):
        odoo.write(lot_id, {"grade": "good"})
    clock[0] += 1
    executor = StoreExecutor(tmp_path / "station.sqlite3")
    try:
        cache = _cache(odoo, LotCache(executor))
        cache.read([1, 2])
        cache.read([2], complete=True)  # lot 1 was sold
        restarted = _cache(odoo, LotCache(executor))
        odoo.read_props()
        restarted.read([1, 2])
        assert odoo.read_props() == [[1]]  # lot 1 was forgotten, lot 2 kept
    finally:
        executor.close()


def test_a_restart_uses_the_stored_readings_and_still_sees_a_lot_changed_meanwhile(tmp_path):
    clock = [T0]
    odoo = FakeOdoo(clock)
    for lot_id in (1, 2, 3):
        odoo.write(lot_id, {"grade": "good", "technician": "alice"})
    clock[0] += CLOCK_MARGIN_S + 1
    path = tmp_path / "station.sqlite3"
    executor = StoreExecutor(path)
    _cache(odoo, LotCache(executor)).read([1, 2, 3])
    executor.close()  # the station quits
    clock[0] += 60
    odoo.write(3, {"grade": "fair", "technician": "bob"})  # while it was closed
    clock[0] += 1
    executor = StoreExecutor(path)
    try:
        odoo.read_props()
        restarted = _cache(odoo, LotCache(executor))
        assert restarted.read([1, 2, 3]) == {1: {"grade": "good", "technician": "alice"},
                                             2: {"grade": "good", "technician": "alice"},
                                             3: {"grade": "fair", "technician": "bob"}}
        assert odoo.read_props() == [[3]]
        # the readings belong to that Odoo database: another one starts from nothing
        other = FakeOdoo(clock, database="other")
        other.lots = dict(odoo.lots)
        _cache(other, LotCache(executor)).read([1, 2, 3])
        assert other.read_props() == [[1, 2, 3]]
    finally:
        executor.close()
