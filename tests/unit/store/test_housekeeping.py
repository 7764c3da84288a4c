from datetime import UTC, datetime, timedelta

from grading_station.store import outbox as ob
from grading_station.store.db import connect
from grading_station.store.drafts import ABANDONED, close_draft, open_draft, save_draft
from grading_station.store.housekeeping import PruneReport, prune
from grading_station.store.local import Store

from grading_station.paths import paths_under

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def test_prune_removes_only_old_finished_rows(tmp_path, caplog):
    caplog.set_level("INFO", logger="grading_station.store")
    conn = connect(tmp_path / "db.sqlite3")
    old_done = ob.enqueue(conn, "a", {}, T0)
    ob.mark_delivering(conn, old_done, T0)
    ob.mark_delivered(conn, old_done, None, T0)
    old_failing = ob.enqueue(conn, "a", {}, T0)
    ob.mark_delivering(conn, old_failing, T0)
    ob.mark_failed(conn, old_failing, "refused", None, True, T0)
    old_pending = ob.enqueue(conn, "a", {}, T0)
    recent = ob.enqueue(conn, "a", {}, T0 + timedelta(days=80))
    ob.mark_delivering(conn, recent, T0 + timedelta(days=80))
    ob.mark_delivered(conn, recent, None, T0 + timedelta(days=80))
    closed = save_draft(conn, "bench-1", {}, T0)
    close_draft(conn, closed, ABANDONED, T0)
    save_draft(conn, "bench-2", {"open": True}, T0)  # open drafts are kept however old

    assert prune(conn, T0 + timedelta(days=100), keep_days=90) == PruneReport(outbox_items=1, drafts=1)
    assert {i.id for i in ob.list_items(conn)} == {old_failing, old_pending, recent}
    assert open_draft(conn, "bench-2").payload == {"open": True}
    assert "pruned 1 delivered outbox item(s) and 1 closed draft(s)" in caplog.text
    assert prune(conn, T0 + timedelta(days=100), keep_days=90) == PruneReport(0, 0)
    conn.close()


def test_store_open_prunes(tmp_path):
    paths = paths_under(tmp_path)
    store = Store.open(paths, clock=lambda: T0)
    item = store.outbox.enqueue("a", {})
    store.outbox.mark_delivering(item)
    store.outbox.mark_delivered(item)
    store.close()
    store = Store.open(paths, keep_days=30, clock=lambda: T0 + timedelta(days=31))
    assert store.outbox.get(item) is None
    store.close()
