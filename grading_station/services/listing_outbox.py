"""Listing updates through the outbox: stock changes become "bm.stock" items (one per variant, the latest
wins), delivered in order by the deliverer, waiting while Back Market is down or throttling."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from grading_station.domain.grading import GradingRecord

from grading_station.backmarket.errors import BackMarketError, Failure

from grading_station.services.delivery import record_of
from grading_station.services.listing import ListingService
from grading_station.services.listing_outcomes import Progress, SkuOutcome, SyncReport

from grading_station import log
from grading_station.errors import RemoteRefused, RemoteUnavailable
from grading_station.i18n import _

KIND_STOCK = "bm.stock"
# The grading kinds (the deliverer's and the store's names): once in Odoo, the stock it changed is synced.
_COMPANIONS = 500  # due stock items looked at for new SKUs to batch together (a batch takes 14,999 rows)


class OutboxQueue(Protocol):
    def enqueue(self, kind: str, payload: dict, key: str | None = None, coalesce: bool = False) -> Any:
        """Queue an item; with `coalesce`, a pending item of the same key is replaced (the latest wins)."""


class DueItems(Protocol):
    def due(self, now: Any = None, limit: int = 50) -> list[Any]:
        """Items to attempt now, oldest first (the store's Outbox has it; a queue without it is not asked)."""


def as_remote_error(exc: BackMarketError) -> RemoteUnavailable | RemoteRefused:
    """The deliverer's vocabulary: retry later, or stop and show why (an expired token is not retried)."""
    if exc.retryable:
        return RemoteUnavailable(exc.user_message, detail=exc.detail)
    return RemoteRefused(exc.user_message, detail=exc.detail)


class ListingFeed:
    """Enqueues and delivers listing syncs. `after_grading` wraps the grading handler: a grading delivered to
    Odoo (new unit, re-grade) queues a sync of the variants it changed; `request_sync` does it for anything
    else that moves stock (a unit picked, sent to repair)."""

    def __init__(
        self,
        service: ListingService,
        outbox: OutboxQueue,
        wake: Callable[[], None] = lambda: None,
        auto_list: Callable[[], bool] = lambda: True,
    ) -> None:
        self.service, self.outbox, self.wake, self.auto_list = service, outbox, wake, auto_list

    # --- enqueueing ---------------------------------------------------------------------------------------
    def request_sync(self, variant_ids: Sequence[int], serial: str = "") -> None:
        """Queue a sync per variant sold on Back Market (Repair/Parts variants, unknown ids: skipped)."""
        facts = self.service.catalogue.variant_facts(list(variant_ids))
        for vid in dict.fromkeys(variant_ids):
            f = facts.get(vid)
            if f is None or not f.backmarket_grade:
                log.backmarket.debug("variant %s is not sold on Back Market: no listing sync", vid)
                continue
            payload = {
                "variant_id": vid,
                "sku": f.sku,
                "serial": serial,
                "model_name": f"{f.model_name} ({f.grade})",
            }
            self.outbox.enqueue(KIND_STOCK, payload, key=f"{KIND_STOCK}:{vid}", coalesce=True)
        self.wake()

    def on_grading_delivered(self, record: GradingRecord) -> None:
        self.service.note_graded(record.serial, record.variant_id)
        variants = [record.variant_id]
        if record.existing_variant_id and record.existing_variant_id != record.variant_id:
            variants.append(record.existing_variant_id)  # a re-grade: the old SKU loses the unit
        if self.auto_list():
            self.request_sync(variants, record.serial)

    def after_grading(self, handler: Callable[[Any], Any]) -> Callable[[Any], Any]:
        """Wrap the grading handler: once a grading is in Odoo, queue the sync of the stock it changed
        (`deliverer.register(KIND_GRADING, feed.after_grading(GradingHandler(gateway)))`). The grading is in
        Odoo once `handler` returns: a failure to queue the follow-up must not mark it undelivered."""

        def deliver_then_list(item: Any) -> Any:
            result = handler(item)
            record = record_of(item)
            try:
                self.on_grading_delivered(record)
            except Exception:  # noqa: BLE001 (logged for the Activity panel; the grading itself is delivered)
                log.backmarket.error(
                    "%s is in Odoo, but its Back Market update could not be queued: list it from the Listing "
                    "workspace", record.serial, exc_info=True,
                )
            return result

        return deliver_then_list

    # --- delivering ---------------------------------------------------------------------------------------
    def handle(self, item: Any) -> dict:
        """Deliverer handler for KIND_STOCK: sync one variant with the quantity Odoo has now."""
        variant_id = int(item.payload["variant_id"])
        try:
            report = self.service.sync_variants([variant_id], companions=self._due_variants(item))
        except BackMarketError as exc:
            raise as_remote_error(exc) from exc
        outcome = next(
            (o for o in report.outcomes if o.variant_id == variant_id),
            SkuOutcome(variant_id, "", "failed", reason="?"),
        )
        if outcome.state == "pending":
            raise RemoteUnavailable(
                _("Waiting for Back Market to create the listing of {sku}.").format(sku=outcome.sku),
                detail=outcome.reason
            )
        if outcome.state == "failed":
            raise RemoteRefused(f"{outcome.sku or 'Listing'}: {outcome.reason}")
        return {
            "sku": outcome.sku,
            "state": outcome.state,
            "quantity": outcome.quantity,
            "requests": report.requests,
        }

    def _due_variants(self, item: Any) -> list[int]:
        """The variants of the other stock items due now: new SKUs among them join this item's CSV batch (one
        task instead of one per item); each item is still delivered on its own, in order."""
        due = getattr(self.outbox, "due", None)
        if due is None:
            return []
        return [
            int(other.payload["variant_id"])
            for other in due(limit=_COMPANIONS)
            if other.kind == KIND_STOCK and other.id != getattr(item, "id", None)
        ]

    def list_batch(self, serials: Sequence[str], progress: Progress | None = None) -> SyncReport:
        """The batch action for units this station graded (their variants from the local registry)."""
        return self.list_variants(
            sorted({u.variant_id for s in serials if (u := self.service.registry.unit(s))}), progress)

    def list_variants(self, variant_ids: Sequence[int], progress: Progress | None = None) -> SyncReport:
        """The batch action (runs on a worker thread) for these variants, whichever station graded their units.
        When Back Market cannot take it now, the variants go to the outbox and wait there; their units show
        "pending" until it is delivered."""
        variants = sorted(set(variant_ids))
        try:
            return self.service.sync_variants(variants, progress)
        except BackMarketError as exc:
            if exc.failure is Failure.AUTH or not exc.retryable:
                raise
            log.backmarket.info(
                "batch listing deferred to the outbox (%s): %d variants", exc.failure, len(variants)
            )
            self.request_sync(variants)
            return SyncReport(
                tuple(SkuOutcome(v, "", "pending", reason=exc.user_message) for v in variants), 0
            )
