"""The outbox deliverer: a background thread applying queued commands to Odoo / Back Market, with back-off.

❌ Calling the gateway from the bench's commit: a dead network loses the grading or freezes the bench.
✅ Commit enqueues an outbox item; the deliverer applies it when it can; the Activity panel shows its state.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from grading_station.domain.grading import GradingRecord

from grading_station.services.ports import GradingSink

from grading_station import log
from grading_station.errors import KnownError, RemoteBug
from grading_station.i18n import _

Handler = Callable[[Any], Any]  # OutboxItem -> JSON-able result kept in the outbox row
# How an attempt failed, as the store records it (store.outbox.RETRY, REFUSED, BUG).
RETRY, REFUSED, BUG = "retry", "refused", "bug"


@dataclass(frozen=True)
class Backoff:
    """Wait before retry n (1-based): initial × factor^(n-1), never more than `maximum` seconds."""

    initial: float = 5.0
    factor: float = 2.0
    maximum: float = 600.0

    def delay(self, attempts: int) -> float:
        return min(self.initial * self.factor ** max(0, attempts - 1), self.maximum)


class Deliverer:
    """Takes due outbox items in order, runs the handler registered for their `kind`, records the outcome.

    Exactly-once: an item is marked delivering before its attempt, and handlers are idempotent (they check
    what the remote already has), so an attempt cut short by a crash is simply tried again.
    Outcomes: a result → delivered; a retryable KnownError (RemoteUnavailable) → failing, retried by itself
    after `backoff`; any other KnownError (RemoteRefused) → failing with its reason until someone presses
    Retry; a bug (ours, or Odoo's ValueError/TypeError: RemoteBug) → failing as a bug, logged once as an error
    with its traceback, until someone presses Retry. Listeners (`on_change`, `add_listener`) get
    the stored item after every state change the deliverer makes, on the deliverer thread.
    `outbox` is grading_station.store.local.Outbox (or anything with its methods).
    """

    def __init__(self, outbox: Any, *, backoff: Backoff = Backoff(),
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC),
                 on_change: Callable[[Any], None] | None = None, idle_wait: float = 30.0) -> None:
        self.outbox = outbox
        self.backoff = backoff
        self.clock = clock
        self.idle_wait = idle_wait  # longest sleep when nothing is due (a safety net, e.g. clock jumps)
        self._listeners: list[Callable[[Any], None]] = [on_change] if on_change else []
        self._handlers: dict[str, Handler] = {}
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._store_trouble = ""  # the store failure last logged (logged again only when it changes)
        # Enqueue (the bench's commit) and Retry wake the deliverer; its own marks need not.
        outbox.listeners.append(self._outbox_changed)

    def register(self, kind: str, handler: Handler) -> None:
        """Deliver items of `kind` with `handler(item) -> result`; registering a kind twice is a bug."""
        if kind in self._handlers:
            raise ValueError(f"a handler for outbox kind {kind!r} is already registered")
        self._handlers[kind] = handler

    def add_listener(self, listener: Callable[[Any], None]) -> None:
        """Call `listener(item)` after every state change the deliverer makes (on its thread)."""
        self._listeners.append(listener)

    @property
    def kinds(self) -> list[str]:
        return list(self._handlers)

    # -- thread -----------------------------------------------------------------------------------------
    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="outbox-deliverer", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        """Look for due items now (safe from any thread)."""
        self._wake.set()

    def _outbox_changed(self, _item_id: str) -> None:
        if threading.current_thread() is not self._thread:
            self._wake.set()

    def stop(self, timeout: float = 10.0) -> bool:
        """Finish the attempt in progress, then end the thread; True when it ended within `timeout`."""
        self._stop.set()
        self._wake.set()
        thread, self._thread = self._thread, None
        if thread is None:
            return True
        thread.join(timeout)
        return not thread.is_alive()

    def _run(self) -> None:
        log.outbox.info("outbox deliverer started (%s)", ", ".join(self._handlers) or "no handlers")
        while not self._stop.is_set():
            self._wake.clear()
            try:
                self.deliver_due()
                wait = self._time_to_next()
                self._store_trouble = ""
            except Exception as exc:  # the store failed (disk full, locked): keep the thread alive, try later
                self._store_failed(exc)
                wait = self.backoff.initial
            self._wake.wait(wait)
        log.outbox.info("outbox deliverer stopped")

    def _store_failed(self, exc: Exception) -> None:
        """Log a store failure once (with its traceback when it is a bug), not at every pass while it lasts."""
        what = f"{type(exc).__name__}: {exc}"
        if what == self._store_trouble:
            log.outbox.debug("outbox still unreadable: %s", what)
            return
        self._store_trouble = what
        if isinstance(exc, KnownError):
            log.outbox.error("outbox deliverer cannot read the outbox: %s (%s); trying again every %.0f s",
                             exc.user_message, exc.detail, self.backoff.initial)
        else:
            log.outbox.exception("outbox deliverer could not read the outbox")

    def _time_to_next(self) -> float:
        """Seconds until the earliest automatic retry (at most `idle_wait`)."""
        waiting = [item.next_attempt_at for item in self.outbox.list_items(limit=500, states=("failing",))
                   if item.kind in self._handlers and not item.permanent and item.next_attempt_at]
        if not waiting:
            return self.idle_wait
        next_at = datetime.fromisoformat(min(waiting))
        return min(max(0.0, (next_at - self.clock()).total_seconds()), self.idle_wait)

    # -- delivering -------------------------------------------------------------------------------------
    def deliver_due(self) -> int:
        """Attempt every item due now, oldest first; returns how many were attempted (tests call it)."""
        seen: set[str] = set()  # one attempt per item and pass, even when its retry is due at once
        while not self._stop.is_set():
            # Items of other kinds are delivered by another part of the app (or a newer version): left alone.
            batch = [item for item in self.outbox.due(self.clock())
                     if item.kind in self._handlers and item.id not in seen]
            if not batch:
                break
            for item in batch:
                if self._stop.is_set():
                    break
                seen.add(item.id)
                self.attempt(item)
        return len(seen)

    def attempt(self, item: Any) -> Any:
        """Deliver one item and record the outcome; returns the item as stored afterwards (None if another
        deliverer claimed it first)."""
        handler = self._handlers[item.kind]
        if not self.outbox.mark_delivering(item.id):
            return None
        claimed = self._changed(item.id)
        try:
            result = handler(claimed)
        except RemoteBug as exc:  # Odoo's ValueError/TypeError: retrying the same call cannot help
            log.outbox.error("%s %s stopped on a bug: %s (%s)", item.kind, item.id, exc.user_message,
                             exc.detail, exc_info=True, extra={"event": "outbox_bug"})
            self.outbox.mark_failed(item.id, exc.user_message, None, permanent=True, failure=BUG,
                                    detail=exc.detail)
        except KnownError as exc:
            if exc.retryable:  # RemoteUnavailable and its kin: the world may be better later
                retry_in = self.backoff.delay(claimed.attempts)
                log.outbox.info("%s %s not delivered: %s (%s); retry in %.0f s", item.kind, item.id,
                                exc.user_message, exc.detail, retry_in)
                self.outbox.mark_failed(item.id, exc.user_message, self.clock() + timedelta(seconds=retry_in),
                                        failure=RETRY, detail=exc.detail)
            else:  # RemoteRefused, a missing photo...: the same call would fail again
                log.outbox.warning("%s %s refused: %s (%s)", item.kind, item.id, exc.user_message, exc.detail)
                self.outbox.mark_failed(item.id, exc.user_message, None, permanent=True, failure=REFUSED,
                                        detail=exc.detail)
        except Exception as exc:  # our bug: keep the item (nothing is lost) and the traceback, once
            log.outbox.error("%s %s stopped on a bug", item.kind, item.id, exc_info=True,
                             extra={"event": "outbox_bug"})
            self.outbox.mark_failed(item.id, _("Stopped on a bug in Grading Station (details in the log)."),
                                    None, permanent=True, failure=BUG,
                                    detail="".join(traceback.format_exception_only(exc)).strip())
        else:
            self.outbox.mark_delivered(item.id, result if isinstance(result, dict) else {"result": result})
            log.outbox.info("%s %s delivered", item.kind, item.id, extra={"event": "outbox_delivered"})
        return self._changed(item.id)

    def _changed(self, item_id: str) -> Any:
        item = self.outbox.get(item_id)
        for listener in list(self._listeners):
            try:
                listener(item)
            except Exception:  # a listener's bug must not stop deliveries
                log.outbox.exception("outbox change listener failed")
        return item


KIND_GRADING = "grading"  # what the store's commit_grading enqueues (store.outbox.GRADING)


def record_of(item: Any) -> GradingRecord:
    """The GradingRecord of a KIND_GRADING item (its payload is the record's JSON)."""
    return GradingRecord.from_json(item.payload)


def report_filename(record: GradingRecord) -> str:
    """The JSON test report's attachment name; fixed per grading so a retry finds the one already sent."""
    return f"test-report-{record.serial}-{record.grading_id}.json"


class GradingHandler:
    """Delivers KIND_GRADING items: the JSON test report and the photos (from disk) to the GradingSink."""

    def __init__(self, sink: GradingSink) -> None:
        self.sink = sink

    def __call__(self, item: Any) -> dict:
        record = record_of(item)
        attachments = {report_filename(record): record.report_bytes()}
        for photo in record.photos:
            try:
                attachments[photo.filename] = Path(photo.path).read_bytes()
            except OSError as exc:
                raise KnownError(_("The photo “{slot}” of {serial} is missing from this computer ({path}).").format(
                    slot=photo.slot, serial=record.serial, path=photo.path), detail=str(exc)) from exc
        return asdict(self.sink.deliver_grading(record, attachments))
