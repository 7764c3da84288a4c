from datetime import UTC, datetime, timedelta

import pytest

from grading_station.store.db import connect
from grading_station.store.drafts import ABANDONED, close_draft, open_draft, save_draft

from grading_station.errors import KnownError

T0 = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


@pytest.fixture
def conn(tmp_path):
    conn = connect(tmp_path / "db.sqlite3")
    yield conn
    conn.close()


def test_one_open_draft_per_station_updated_at_every_step(conn):
    first = save_draft(conn, "bench-1", {"step": 1}, T0)
    again = save_draft(conn, "bench-1", {"step": 2}, T0 + timedelta(seconds=5))
    other = save_draft(conn, "bench-2", {"step": 9}, T0)
    assert first == again != other
    draft = open_draft(conn, "bench-1")
    assert draft.payload == {"step": 2}
    assert (draft.created_at, draft.updated_at) == (
        "2026-11-27T09:00:00.000000Z",
        "2026-11-27T09:00:05.000000Z",
    )
    assert open_draft(conn, "bench-3") is None


def test_closing_ends_the_draft_and_the_next_save_starts_a_new_one(conn):
    draft_id = save_draft(conn, "bench-1", {"serial": "A"}, T0)
    close_draft(conn, draft_id, ABANDONED, T0)
    assert open_draft(conn, "bench-1") is None
    with pytest.raises(KnownError, match=r"already committed or discarded"):
        close_draft(conn, draft_id, ABANDONED, T0)
    assert save_draft(conn, "bench-1", {"serial": "B"}, T0) != draft_id


def test_draft_store_facade(local_store, caplog):
    caplog.set_level("INFO", logger="grading_station.store")
    draft_id = local_store.drafts.save("bench-1", {"session": {"answers": {"power_on": "pass"}}})
    assert local_store.drafts.load("bench-1").payload["session"]["answers"] == {"power_on": "pass"}
    assert "resuming the draft of station bench-1" in caplog.text
    local_store.drafts.abandon(draft_id)
    assert local_store.drafts.load("bench-1") is None
