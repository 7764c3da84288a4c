from datetime import UTC, datetime, timedelta

import pytest

from grading_station.domain.grading import GradingRecord

from grading_station.store import audit
from grading_station.store import outbox as ob
from grading_station.store.db import StoreExecutor
from grading_station.store.drafts import open_draft, save_draft
from grading_station.store.local import Outbox

from grading_station.errors import KnownError
from tests.helpers.local_store import grading_record as make_record

T0 = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def executor(tmp_path):
    executor = StoreExecutor(tmp_path / "db.sqlite3")
    yield executor
    executor.close()


@pytest.fixture
def outbox(executor, clock) -> Outbox:
    return Outbox(executor, clock)


def ids(items) -> list[str]:
    return [i.id for i in items]


def test_enqueue_returns_a_uuid_and_items_come_due_in_order(outbox):
    first = outbox.enqueue("a", {"n": 1})
    second = outbox.enqueue("b", {"n": 2})
    assert len(first) == 36 and first != second
    assert ids(outbox.due()) == [first, second]
    item = outbox.get(first)
    assert (item.kind, item.payload, item.state, item.attempts) == ("a", {"n": 1}, ob.PENDING, 0)


def test_delivery_life_cycle(outbox, clock):
    item_id = outbox.enqueue("a", {})
    assert outbox.mark_delivering(item_id)
    assert not outbox.mark_delivering(item_id)  # already claimed
    assert outbox.due() == []  # not offered twice while it is being delivered
    clock.advance(1)
    outbox.mark_delivered(item_id, {"lot_id": 42})
    item = outbox.get(item_id)
    assert (item.state, item.result, item.attempts) == (ob.DELIVERED, {"lot_id": 42}, 1)
    assert item.delivered_at == "2026-11-27T09:00:01.000000Z"
    with pytest.raises(KnownError, match="already delivered"):
        outbox.mark_delivered(item_id)
    with pytest.raises(KnownError):
        outbox.retry_now(item_id)


def test_a_temporary_failure_waits_until_its_retry_time(outbox, clock):
    item_id = outbox.enqueue("a", {})
    outbox.mark_delivering(item_id)
    outbox.mark_failed(item_id, "Odoo did not answer", retry_at=T0 + timedelta(seconds=30))
    item = outbox.get(item_id)
    assert (item.state, item.last_error, item.needs_attention) == (ob.FAILING, "Odoo did not answer", False)
    assert outbox.due() == []
    assert ids(outbox.due(T0 + timedelta(seconds=30))) == [item_id]
    clock.advance(31)
    assert outbox.mark_delivering(item_id) and outbox.get(item_id).attempts == 2


def test_a_permanent_failure_waits_for_a_person(executor, outbox, clock):
    item_id = outbox.enqueue("a", {})
    outbox.mark_delivering(item_id)
    outbox.mark_failed(item_id, "Odoo refused: no such product", retry_at=None, permanent=True)
    assert outbox.get(item_id).needs_attention
    assert outbox.due(T0 + timedelta(days=365)) == []
    outbox.retry_now(item_id, actor="supervisor")
    assert ids(outbox.due()) == [item_id] and not outbox.get(item_id).needs_attention
    assert outbox.get(item_id).state == ob.PENDING
    [entry] = executor.call(audit.entries, action=audit.RETRY)
    assert (entry.actor, entry.subject) == ("supervisor", item_id)


def test_a_temporary_failure_needs_a_retry_time(outbox):
    item_id = outbox.enqueue("a", {})
    with pytest.raises(ValueError):
        outbox.mark_failed(item_id, "x", retry_at=None)


def test_items_of_one_key_are_delivered_in_order(outbox):
    first = outbox.enqueue("grading", {"n": 1}, key="unit:SN1")
    other = outbox.enqueue("grading", {"n": 1}, key="unit:SN2")
    second = outbox.enqueue("grading", {"n": 2}, key="unit:SN1")
    loose = outbox.enqueue("mail", {})
    assert ids(outbox.due()) == [first, other, loose]
    outbox.mark_delivering(first)
    assert ids(outbox.due()) == [other, loose]  # the second waits while the first is in flight
    outbox.mark_failed(first, "timeout", retry_at=T0 + timedelta(minutes=1))
    assert ids(outbox.due()) == [other, loose]  # ... and while it is failing
    outbox.mark_delivering(first)
    outbox.mark_delivered(first)
    assert ids(outbox.due()) == [other, second, loose]


def test_coalescing_keeps_only_the_latest_waiting_item_per_key(outbox, caplog):
    caplog.set_level("INFO", logger="grading_station.outbox")
    old = outbox.enqueue("bm-stock", {"quantity": 3}, key="bm-listing:SKU-1", coalesce=True)
    other = outbox.enqueue("bm-stock", {"quantity": 7}, key="bm-listing:SKU-2", coalesce=True)
    new = outbox.enqueue("bm-stock", {"quantity": 4}, key="bm-listing:SKU-1", coalesce=True)
    assert outbox.get(old) is None
    assert [(i.id, i.payload["quantity"]) for i in outbox.due()] == [(other, 7), (new, 4)]
    assert "replaces 1 waiting item(s)" in caplog.text


def test_coalescing_never_replaces_an_item_being_delivered(outbox):
    flying = outbox.enqueue("bm-stock", {"quantity": 3}, key="bm-listing:SKU-1", coalesce=True)
    outbox.mark_delivering(flying)
    waiting = outbox.enqueue("bm-stock", {"quantity": 2}, key="bm-listing:SKU-1", coalesce=True)
    latest = outbox.enqueue("bm-stock", {"quantity": 1}, key="bm-listing:SKU-1", coalesce=True)
    assert outbox.get(flying).state == ob.DELIVERING and outbox.get(waiting) is None
    assert outbox.due() == []  # waits for the delivery in flight: order per key is kept
    outbox.mark_delivered(flying)
    assert [(i.id, i.payload) for i in outbox.due()] == [(latest, {"quantity": 1})]


def test_coalescing_replaces_a_failing_item(outbox):
    failing = outbox.enqueue("bm-stock", {"quantity": 3}, key="bm-listing:SKU-1", coalesce=True)
    outbox.mark_delivering(failing)
    outbox.mark_failed(failing, "429", retry_at=T0 + timedelta(seconds=10))
    latest = outbox.enqueue("bm-stock", {"quantity": 5}, key="bm-listing:SKU-1", coalesce=True)
    assert outbox.get(failing) is None and ids(outbox.due()) == [latest]


def test_coalescing_needs_a_key(outbox):
    with pytest.raises(ValueError):
        outbox.enqueue("bm-stock", {}, coalesce=True)


def test_list_items_and_counts(outbox):
    a = outbox.enqueue("a", {})
    b = outbox.enqueue("b", {})
    c = outbox.enqueue("c", {})
    outbox.mark_delivering(b)
    outbox.mark_delivering(c)
    outbox.mark_delivered(c)
    assert ids(outbox.list_items()) == [c, b, a]
    assert ids(outbox.list_items(limit=1)) == [c]
    assert ids(outbox.list_items(states=[ob.PENDING, ob.DELIVERING])) == [b, a]
    assert outbox.counts() == {"pending": 1, "delivering": 1, "failing": 0, "delivered": 1}


def test_listeners_hear_every_change(outbox):
    heard = []
    outbox.listeners.append(heard.append)
    item_id = outbox.enqueue("a", {})
    outbox.mark_delivering(item_id)
    outbox.mark_failed(item_id, "x", retry_at=T0)
    outbox.retry_now(item_id)
    outbox.mark_delivering(item_id)
    outbox.mark_delivered(item_id)
    assert heard == [item_id] * 6


def test_recover_interrupted(outbox, caplog):
    caplog.set_level("INFO", logger="grading_station.outbox")
    a = outbox.enqueue("a", {})
    b = outbox.enqueue("b", {})
    outbox.mark_delivering(a)
    assert outbox.recover_interrupted() == [a]
    item = outbox.get(a)
    assert (item.state, item.attempts) == (ob.PENDING, 1)
    assert "interrupted" in item.last_error
    assert ids(outbox.due()) == [a, b]
    assert f"delivery of {a} was interrupted" in caplog.text


def commit(executor, clock, record: GradingRecord, also=()) -> str:
    draft_id = executor.call(save_draft, record.station, {"serial": record.serial}, clock())
    return Outbox(executor, clock).commit_grading(draft_id, record, also)


def test_commit_grading_closes_the_draft_and_enqueues_atomically(executor, outbox, clock):
    record = make_record(grading_id="5f0c1d9e-0000-4000-8000-000000000001")
    also = [ob.OutboxCommand("bm-stock", {"quantity": 1}, key="bm-listing:SKU-1", coalesce=True)]
    item_id = commit(executor, clock, record, also)
    assert item_id == record.grading_id
    assert executor.call(open_draft, record.station) is None
    grading, stock = outbox.due()
    assert (grading.kind, grading.key) == (ob.GRADING, "unit:SN-1")
    assert GradingRecord.from_json(grading.payload) == record
    assert (stock.kind, stock.payload) == ("bm-stock", {"quantity": 1})
    actions = [(e.action, e.detail.get("reason")) for e in executor.call(audit.entries)]
    assert actions == [("commit", None)]  # graded as suggested: no override entry


def test_commit_grading_audits_an_override_with_its_reason(executor, clock):
    record = make_record(grading_id="g-2", grade="fair", override_reason="dent near the camera")
    commit(executor, clock, record)
    [override] = executor.call(audit.entries, action=audit.GRADE_OVERRIDE)
    assert override.detail == {
        "grading_id": "g-2",
        "from": "good",
        "to": "fair",
        "reason": "dent near the camera",
    }
    assert (override.actor, override.subject) == ("alice", "SN-1")


def test_committing_twice_returns_the_same_item(executor, outbox, clock):
    record = make_record(grading_id="g-3")
    draft_id = executor.call(save_draft, record.station, {}, clock())
    assert outbox.commit_grading(draft_id, record) == "g-3"
    assert outbox.commit_grading(draft_id, record) == "g-3"
    assert outbox.counts()["pending"] == 1


def test_a_failed_commit_changes_nothing(executor, outbox, clock):
    record = make_record(grading_id="g-4")
    draft_id = executor.call(save_draft, record.station, {"keep": True}, clock())
    broken = [ob.OutboxCommand("bm-stock", {}, key=None, coalesce=True)]  # refused: coalescing needs a key
    with pytest.raises(ValueError):
        outbox.commit_grading(draft_id, record, broken)
    assert executor.call(open_draft, record.station).payload == {"keep": True}
    assert outbox.counts()["pending"] == 0 and executor.call(audit.entries) == []


def test_committing_a_closed_draft_is_refused(executor, outbox, clock):
    draft_id = executor.call(save_draft, "bench-1", {}, clock())
    outbox.commit_grading(draft_id, make_record(grading_id="g-5"))
    with pytest.raises(KnownError, match="already committed or discarded"):
        outbox.commit_grading(draft_id, make_record(grading_id="g-6"))


def test_many_threads_share_the_store_thread_safely(outbox):
    import concurrent.futures

    def producer(n: int) -> list[str]:
        return [outbox.enqueue("a", {"producer": n, "i": i}, key=f"p{n}") for i in range(40)]

    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        produced = list(pool.map(producer, range(8)))
    assert outbox.counts()["pending"] == 320
    due = outbox.due(limit=500)
    assert len(due) == 8  # one head per key: the rest wait behind it
    for ids_of_producer in produced:
        items = [outbox.get(i) for i in ids_of_producer]
        assert [i.payload["i"] for i in sorted(items, key=lambda i: i.seq)] == list(range(40))  # order kept
