"""A real process killed mid-checklist or mid-delivery: what it committed must be there after a restart."""

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from grading_station.store import outbox as ob
from grading_station.store.local import Store

ROOT = Path(__file__).resolve().parents[3]


def run_and_kill(base: Path, body: str) -> None:
    """Run `body` in a fresh interpreter that opens the store under `base`, then SIGKILLs itself (no cleanup,
    no close: as in a crash or a power cut of the app)."""
    script = (
        textwrap.dedent(
            """
        import os, signal, sys
        from pathlib import Path
        from grading_station.paths import paths_under
        from grading_station.store.local import Store
        store = Store.open(paths_under(Path(sys.argv[1])))
        """
        )
        + textwrap.dedent(body)
        + "\nos.kill(os.getpid(), signal.SIGKILL)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(base)], cwd=ROOT, capture_output=True, timeout=60
    )
    assert result.returncode == -signal.SIGKILL, result.stderr.decode()


def test_a_killed_process_mid_checklist_resumes_at_the_last_step(tmp_path):
    run_and_kill(
        tmp_path,
        """
        for step in ("power_on", "display_pixels", "touch_grid"):
            store.drafts.save("bench-1", {"serial": "C02XG0FDH7JY", "answers": {step: "pass"}, "last": step})
        """,
    )
    from grading_station.paths import paths_under

    store = Store.open(paths_under(tmp_path))
    try:
        draft = store.drafts.load("bench-1")
        assert draft is not None and draft.payload["last"] == "touch_grid"
        assert draft.payload["serial"] == "C02XG0FDH7JY"
    finally:
        store.close()


def test_a_delivering_item_is_retried_once_after_restart(tmp_path, caplog):
    caplog.set_level("INFO", logger="grading_station.outbox")
    run_and_kill(
        tmp_path,
        """
        done = store.outbox.enqueue("grading", {"n": 0}, key="unit:A")
        store.outbox.mark_delivering(done)
        store.outbox.mark_delivered(done, {"lot_id": 1})
        flying = store.outbox.enqueue("grading", {"n": 1}, key="unit:B")
        store.outbox.enqueue("grading", {"n": 2}, key="unit:B")
        store.outbox.mark_delivering(flying)
        print(flying, flush=True)
        """,
    )
    from grading_station.paths import paths_under

    store = Store.open(paths_under(tmp_path))  # recovery runs on open
    try:
        due = store.outbox.due()
        assert [i.payload["n"] for i in due] == [1]  # the interrupted one first; its follower still waits
        interrupted = due[0]
        assert (interrupted.state, interrupted.attempts) == (ob.PENDING, 1)
        assert store.outbox.mark_delivering(interrupted.id)
        store.outbox.mark_delivered(interrupted.id, {"lot_id": 2})
        assert [i.payload["n"] for i in store.outbox.due()] == [2]
        assert store.outbox.get(interrupted.id).attempts == 2  # attempted exactly once more
        assert store.outbox.counts() == {"pending": 1, "delivering": 0, "failing": 0, "delivered": 2}
    finally:
        store.close()
    # A second restart finds nothing left to recover.
    store = Store.open(paths_under(tmp_path))
    try:
        assert store.outbox.recover_interrupted() == []
    finally:
        store.close()
    assert caplog.text.count("was interrupted by a restart") == 1


def test_a_commit_is_all_or_nothing_across_a_kill(tmp_path):
    run_and_kill(
        tmp_path,
        """
        from tests.helpers.local_store import grading_record as make_record
        draft = store.drafts.save("bench-1", {"serial": "SN-1"})
        store.outbox.commit_grading(draft, make_record(grading_id="g-1"))
        store.drafts.save("bench-1", {"serial": "SN-2"})
        """,
    )
    from grading_station.paths import paths_under

    store = Store.open(paths_under(tmp_path))
    try:
        assert [i.id for i in store.outbox.due()] == ["g-1"]
        assert store.drafts.load("bench-1").payload == {"serial": "SN-2"}
        assert [e.action for e in store.audit.entries()] == ["commit"]
    finally:
        store.close()
    assert os.path.exists(paths_under(tmp_path).database)
