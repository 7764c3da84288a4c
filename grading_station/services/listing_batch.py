"""Creates listings for new SKUs through the CSV batch and follows its task until done or failed."""

from __future__ import annotations

from collections.abc import Callable

from grading_station.backmarket.catalog_csv import MAX_ROWS, ListingRow, build_catalog
from grading_station.backmarket.client import BackMarketClient
from grading_station.backmarket.errors import BackMarketError, Failure
from grading_station.backmarket.models import BatchTask, Listing
from grading_station.backmarket.registry import ListingRegistry

from grading_station.services.listing_outcomes import (
    Plan,
    SkuOutcome,
    Steps,
    pushed_prices,
    record_pushed,
    sent_min_price,
)

from grading_station.i18n import _

LOST_TASK = 0  # task_id of SKUs whose batch timed out: Back Market may have it, under an id we never saw
_TASK_GONE = object()  # what `_wait` returns when Back Market answers 404 for a task it had given us


class TaskChecks:
    """When to check each batch task next: `first` seconds after it is sent, then twice as long after each
    check that finds it running, up to 5 minutes (Back Market takes ~5 min: polling every few ms only adds
    traffic). A task this process did not send (a restart) is checked at once, then backs off alike."""

    CAP = 300.0

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._next: dict[int, tuple[float, float]] = {}  # task id -> (due at, interval)

    def sent(self, task_id: int, first: float) -> None:
        self._next[task_id] = (self._clock() + first, first)

    def due_at(self, task_id: int, first: float) -> float:
        return self._next.setdefault(task_id, (self._clock(), first / 2))[0]

    def still_running(self, task_id: int, first: float) -> None:
        interval = min(self._next.get(task_id, (0.0, first / 2))[1] * 2, max(self.CAP, first))
        self._next[task_id] = (self._clock() + interval, interval)

    def done(self, task_id: int) -> None:
        self._next.pop(task_id, None)


class BatchCreator:
    """One CSV for all new SKUs of a sync; the task is polled for up to `task_wait` seconds, then left pending
    (its id is kept, so the next attempt polls it instead of sending the rows again).

    A batch whose answer was lost (timeout: no idempotency, GOTCHAS 1) is not sent again blindly: its SKUs are
    looked up on Back Market, and only resent once `lost_grace` seconds have passed without them appearing
    (Back Market takes ~5 min for a task).
    """

    def __init__(
        self,
        client: BackMarketClient,
        registry: ListingRegistry,
        task_wait: float,
        task_poll: float,
        sleep: Callable[[float], None],
        clock: Callable[[], float],
        lost_grace: float = 600.0,
        *,
        backpricer: bool = False,
        checks: TaskChecks | None = None,
    ) -> None:
        self.client, self.registry, self.lost_grace = client, registry, lost_grace
        self.backpricer = backpricer
        self.checks = checks or TaskChecks(clock)
        self.task_wait, self.task_poll, self._sleep, self._clock = task_wait, task_poll, sleep, clock

    def create(
        self, plans: list[Plan], step: Steps, push_other_markets: Callable[[str, Plan, dict], None]
    ) -> dict[int, SkuOutcome]:
        outcomes: dict[int, SkuOutcome] = {}
        by_task: dict[int, list[Plan]] = {}
        fresh = []
        for plan in plans:
            record = self.registry.listing(plan.facts.sku)
            if record and record.state == "pending" and record.task_id == LOST_TASK:
                outcome = self._recover(plan, record.updated_at, push_other_markets)
                if outcome is None:
                    fresh.append(plan)
                else:
                    outcomes[plan.facts.variant_id] = outcome
                    step.done(plan.facts.sku)
            elif record and record.state == "pending" and record.task_id is not None:
                by_task.setdefault(record.task_id, []).append(plan)
            elif not plan.facts.ean:
                outcomes[plan.facts.variant_id] = self._failed(
                    plan, f"{plan.facts.model_name} has no EAN in Odoo: Back Market cannot match the product"
                )
                step.done(plan.facts.sku)
            else:
                fresh.append(plan)
        for start in range(0, len(fresh), MAX_ROWS):  # a catalog holds 15,000 lines
            chunk = fresh[start : start + MAX_ROWS]
            by_task.setdefault(self._submit(chunk), []).extend(chunk)
        for task_id, group in by_task.items():
            task = self._wait(task_id)
            if task is _TASK_GONE:
                for plan in group:  # handled like a lost answer: looked up, and resent after `lost_grace`
                    self.registry.set_listing(
                        plan.facts.sku, "pending", task_id=LOST_TASK,
                        reason=f"Back Market no longer knows batch task {task_id}: checking before sending again",
                    )
                    outcomes[plan.facts.variant_id] = SkuOutcome(
                        plan.facts.variant_id, plan.facts.sku, "pending", plan.quantity,
                        "Back Market lost the batch task: the listing is checked and sent again if missing",
                    )
                    step.done(plan.facts.sku)
                continue
            for plan in group:
                outcomes[plan.facts.variant_id] = self._settle(plan, task, task_id, push_other_markets)
                step.done(plan.facts.sku)
        return outcomes

    def _submit(self, plans: list[Plan]) -> int:
        rows = [
            ListingRow(
                p.facts.sku,
                p.quantity,
                p.quotes[0].price,
                p.quotes[0].currency,
                p.facts.backmarket_grade,
                ean=p.facts.ean,
                min_price=sent_min_price(p.quotes[0], self.backpricer),
            )
            for p in plans
        ]
        try:
            task_id = self.client.submit_batch(build_catalog(rows), lines=len(rows), market=plans[0].quotes[0].market)
        except BackMarketError as exc:
            if exc.maybe_applied:
                for p in plans:
                    self.registry.set_listing(
                        p.facts.sku,
                        "pending",
                        task_id=LOST_TASK,
                        reason="Back Market's answer to the batch was lost: checking before sending it again",
                    )
            raise
        self.checks.sent(task_id, self.task_poll)
        for p in plans:
            self.registry.set_listing(
                p.facts.sku,
                "pending",
                task_id=task_id,
                reason=f"Back Market is creating the listing (task {task_id})",
            )
        return task_id

    def _wait(self, task_id: int) -> BatchTask | object | None:
        """The finished task, None when it is still running after `task_wait` (or its next check is later:
        nothing is sent then), `_TASK_GONE` on a 404. Checks follow `checks`: `task_poll` seconds after
        sending, then backing off."""
        deadline = self._clock() + self.task_wait
        while True:
            due = self.checks.due_at(task_id, self.task_poll)
            if due > deadline:
                return None
            if due > self._clock():
                self._sleep(due - self._clock())
            try:
                task = self.client.get_task(task_id)
            except BackMarketError as exc:
                if exc.failure is Failure.NOT_FOUND:
                    self.checks.done(task_id)
                    return _TASK_GONE
                raise
            if task.finished:
                self.checks.done(task_id)
                return task
            self.checks.still_running(task_id, self.task_poll)

    def _settle(
        self,
        plan: Plan,
        task: BatchTask | None,
        task_id: int,
        push_other_markets: Callable[[str, Plan, dict], None],
    ) -> SkuOutcome:
        f, main = plan.facts, plan.quotes[0]
        if task is None:
            return SkuOutcome(
                f.variant_id,
                f.sku,
                "pending",
                plan.quantity,
                f"Back Market is still creating the listing (task {task_id})",
            )
        if task.failed:
            return self._failed(
                plan, f"Back Market could not process the batch: {task.last_error or 'no reason'}"
            )
        errors = next((e for sku, e in task.errors_by_sku.items() if sku.casefold() == f.sku.casefold()), ())
        if errors:
            return self._failed(plan, "Back Market refused the listing: " + "; ".join(errors))
        listing = self.client.find_listing(sku=f.sku, market=main.market)
        if listing is None:
            return self._failed(plan, "the batch finished but Back Market shows no listing for this SKU")
        if listing.grade != f.backmarket_grade:  # the CSV's grade column may not be the one Back Market reads
            return self._failed(
                plan,
                _(
                    "Back Market listed {sku} as {listed}, but it was sent as {sent}: correct the listing in "
                    "the Back Office before selling it"
                ).format(sku=f.sku, listed=listing.grade or "?", sent=f.backmarket_grade),
            )
        return self._live(plan, self._at_current_quantity(plan, listing), push_other_markets)

    def _recover(
        self, plan: Plan, since: float, push_other_markets: Callable[[str, Plan, dict], None]
    ) -> SkuOutcome | None:
        """A SKU of a batch whose answer was lost: live if Back Market has it now, pending while the batch may
        still be running, None (send it again) once `lost_grace` has passed without it appearing."""
        f = plan.facts
        listing = self.client.find_listing(sku=f.sku, market=plan.quotes[0].market)
        if listing is not None and listing.sku == f.sku:
            return self._live(plan, self._at_current_quantity(plan, listing), push_other_markets)
        if listing is not None:
            return self._failed(plan, f"Back Market has the SKU {listing.sku}, which differs only in case")
        if self.registry.now() - since >= self.lost_grace:
            return None
        return SkuOutcome(
            f.variant_id, f.sku, "pending", plan.quantity, "Back Market may still be processing the batch"
        )

    def _at_current_quantity(self, plan: Plan, listing: Listing) -> Listing:
        """A batch carries the quantity of when it was sent; stock may have moved while Back Market worked
        (a unit sold or sent to repair): push today's count, never leave the old one live."""
        if listing.quantity == plan.quantity:
            return listing
        return self.client.update_listing(listing.id, market=plan.quotes[0].market, quantity=plan.quantity)

    def _live(
        self, plan: Plan, listing: Listing, push_other_markets: Callable[[str, Plan, dict], None]
    ) -> SkuOutcome:
        f, main = plan.facts, plan.quotes[0]
        pushed = {main.market: pushed_prices(main, self.backpricer)}
        try:
            push_other_markets(listing.id, plan, pushed)
        except BackMarketError as exc:
            if exc.retryable or exc.failure is Failure.AUTH:
                raise
            return self._failed(plan, exc.user_message)
        return record_pushed(self.registry, f, listing.id, listing.legacy_id, listing.quantity, pushed)

    def _failed(self, plan: Plan, reason: str) -> SkuOutcome:
        self.registry.set_listing(plan.facts.sku, "failed", reason=reason)
        return SkuOutcome(plan.facts.variant_id, plan.facts.sku, "failed", reason=reason)
