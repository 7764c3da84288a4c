"""The local store as the composition root builds it: one store thread, drafts, outbox, audit log, photos.

store = Store.open(paths)       # migrates, and re-queues deliveries a crash interrupted
store.drafts.save(station, payload); store.outbox.commit_grading(draft_id, record)
store.close()
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from grading_station.domain.grading import GradingRecord

from grading_station.store import outbox as ob
from grading_station.store.audit import AuditLog
from grading_station.store.db import StoreExecutor, utc_now
from grading_station.store.drafts import DraftStore
from grading_station.store.housekeeping import prune
from grading_station.store.photos import PhotoStore

from grading_station.paths import Paths


class Outbox:
    """The outbox through the store thread. Calls block until the store thread has run them: call them from a
    worker thread (the deliverer, `run_in_background`), never from the GUI thread.

    `listeners` are called with the item id after each change (from the calling thread), so the deliverer can
    wake up and the Activity panel can refresh.
    """

    def __init__(self, executor: StoreExecutor, clock: Callable[[], datetime] = utc_now) -> None:
        self._executor = executor
        self._clock = clock
        self.listeners: list[Callable[[str], None]] = []

    def _changed(self, item_id: str) -> None:
        for listener in list(self.listeners):
            listener(item_id)

    def enqueue(self, kind: str, payload: dict, key: str | None = None, coalesce: bool = False) -> str:
        item_id = self._executor.call(ob.enqueue, kind, payload, self._clock(), key=key, coalesce=coalesce)
        self._changed(item_id)
        return item_id

    def commit_grading(
        self, draft_id: str, record: GradingRecord, also: Sequence[ob.OutboxCommand] = ()
    ) -> str:
        item_id = self._executor.call(ob.commit_grading, draft_id, record, self._clock(), also)
        self._changed(item_id)
        return item_id

    def due(self, now: datetime | None = None, limit: int = 50) -> list[ob.OutboxItem]:
        return self._executor.call(ob.due, now or self._clock(), limit)

    def mark_delivering(self, item_id: str) -> bool:
        claimed = self._executor.call(ob.mark_delivering, item_id, self._clock())
        self._changed(item_id)
        return claimed

    def mark_delivered(self, item_id: str, result: dict | None = None) -> None:
        self._executor.call(ob.mark_delivered, item_id, result, self._clock())
        self._changed(item_id)

    def mark_failed(
        self, item_id: str, reason: str, retry_at: datetime | None, permanent: bool = False, *,
        failure: str = "", detail: str = "",
    ) -> None:
        self._executor.call(ob.mark_failed, item_id, reason, retry_at, permanent, self._clock(), failure, detail)
        self._changed(item_id)

    def retry_now(self, item_id: str, actor: str = "") -> None:
        self._executor.call(ob.retry_now, item_id, self._clock(), actor)
        self._changed(item_id)

    def recover_interrupted(self) -> list[str]:
        return self._executor.call(ob.recover_interrupted, self._clock())

    def get(self, item_id: str) -> ob.OutboxItem | None:
        return self._executor.call(ob.get, item_id)

    def list_items(self, limit: int = 100, states: Sequence[str] = ()) -> list[ob.OutboxItem]:
        return self._executor.call(ob.list_items, limit, tuple(states))

    def counts(self) -> dict[str, int]:
        return self._executor.call(ob.counts)


class Store:
    """Everything local, built once by app.py and passed to the services that need it."""

    def __init__(
        self, executor: StoreExecutor, photos: PhotoStore, clock: Callable[[], datetime] = utc_now
    ) -> None:
        self.executor = executor
        self.drafts = DraftStore(executor, clock)
        self.outbox = Outbox(executor, clock)
        self.audit = AuditLog(executor, clock)
        self.photos = photos

    @classmethod
    def open(
        cls,
        paths: Paths,
        photo_quality: int = 88,
        keep_days: int = 90,
        clock: Callable[[], datetime] = utc_now,
    ) -> Store:
        """Open the database under `paths` (creating and migrating it), re-queue deliveries that a crash
        interrupted, and prune delivered items and closed drafts older than `keep_days`."""
        paths.ensure()
        store = cls(StoreExecutor(paths.database), PhotoStore(paths.photo_dir, quality=photo_quality), clock)
        store.outbox.recover_interrupted()
        store.executor.call(prune, clock(), keep_days)
        return store

    def close(self) -> None:
        self.executor.close()
