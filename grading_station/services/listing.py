"""Puts graded stock on Back Market: per variant, the quantity in WH/Stock minus the grade's buffer at the
price its grade and markets call for; new SKUs through the CSV batch, existing ones in real time."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from grading_station.domain.pricing import PricingTable

from grading_station.backmarket.client import BackMarketClient
from grading_station.backmarket.errors import BackMarketError, Failure
from grading_station.backmarket.registry import ListingRegistry

from grading_station.services.listing_batch import BatchCreator, TaskChecks
from grading_station.services.listing_facts import ListingCatalogue, VariantFacts
from grading_station.services.listing_outcomes import (
    Plan,
    Progress,
    SkuOutcome,
    Steps,
    SyncReport,
    pushed_prices,
    record_pushed,
    sent_min_price,
)
from grading_station.services.ports import StockCounter

from grading_station import log
from grading_station.errors import InputError
from grading_station.i18n import _


class ListingService:
    """Sync listings for variants: one grouped stock read from Odoo, then requests per SKU (never per unit).

    Retryable Back Market failures (down, throttled, budget spent, expired token) propagate as BackMarketError
    so the outbox tries again; refusals of one SKU are recorded as that SKU's failure and the rest go on.
    """

    def __init__(
        self,
        client: BackMarketClient,
        stock: StockCounter,
        catalogue: ListingCatalogue,
        pricing: PricingTable,
        registry: ListingRegistry,
        markets: Sequence[str] | None = None,
        *,
        task_wait: float = 20.0,
        task_poll: float | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        lost_batch_grace: float = 600.0,
    ) -> None:
        self.client, self.stock, self.catalogue, self.pricing = client, stock, catalogue, pricing
        self.registry, self._markets = registry, tuple(markets) if markets else None
        # `task_wait`: longest a sync waits for its batch task before leaving it pending (the outbox comes
        # back); `task_poll`: seconds before its first check, by default the `backmarket.task_poll_seconds`
        # setting (tens of seconds: Back Market takes ~5 min).
        self.task_wait, self._task_poll, self._sleep, self._clock = task_wait, task_poll, sleep, clock
        self.lost_batch_grace = lost_batch_grace  # seconds before a batch whose answer was lost is sent again
        self._checks = TaskChecks(clock)  # across syncs: an outbox retry does not check a task early

    @property
    def markets(self) -> tuple[str, ...]:
        """The markets served, main first: as given, else the client's current settings (they can change)."""
        return self._markets or self.client.transport.settings.markets

    @property
    def task_poll(self) -> float:
        return self._task_poll if self._task_poll is not None else self.client.transport.settings.task_poll

    @task_poll.setter
    def task_poll(self, seconds: float | None) -> None:
        self._task_poll = seconds

    @property
    def backpricer(self) -> bool:
        """Whether min_price is sent (the seller enabled the BackPricer: `backmarket.backpricer`)."""
        return self.client.transport.settings.backpricer

    # --- units --------------------------------------------------------------------------------------------
    def note_graded(self, serial: str, variant_id: int) -> None:
        """Remember which variant (SKU) a unit was graded onto, for its listing state on screen."""
        facts = self.catalogue.variant_facts([variant_id]).get(variant_id)
        if facts is not None:
            self.registry.note_unit(serial, variant_id, facts.sku, facts.model_name, facts.grade)

    # --- variants -----------------------------------------------------------------------------------------
    def sync_variants(
        self, variant_ids: Sequence[int], progress: Progress | None = None, *, companions: Sequence[int] = ()
    ) -> SyncReport:
        """Sync `variant_ids` (the report covers them). `companions` are other variants due for a sync (the
        outbox's): those whose SKU is new ride in the same CSV batch, so new SKUs due together make one batch;
        the others are left to their own sync."""
        started = self.client.requests_sent
        ids = sorted(set(variant_ids))
        extra = set(companions) - set(ids)
        step = Steps(len(ids), progress)
        facts = self.catalogue.variant_facts(ids + sorted(extra))
        outcomes: dict[int, SkuOutcome] = {}
        for vid in ids:
            if vid not in facts:
                outcomes[vid] = SkuOutcome(
                    vid, "", "failed", reason="not a graded variant of a managed model"
                )
        usable = self._check_skus(facts, outcomes)
        plans: dict[int, Plan] = {}
        quantities = self.stock.sellable_quantities(sorted(usable)) if usable else {}  # ONE grouped read
        for vid, f in usable.items():
            try:
                plans[vid] = self._plan(f, quantities.get(vid, 0))
            except InputError as exc:
                outcomes[vid] = self._failed(f, exc.user_message)
                if vid not in extra:
                    step.done(f.sku)
        new: list[Plan] = []
        for vid, plan in plans.items():
            sku = plan.facts.sku
            record = self.registry.listing(sku)
            if record is not None and record.task_id is not None and record.state == "pending":
                if vid not in extra:
                    new.append(plan)  # a batch already carries it: poll that task, do not resubmit
                continue
            uuid = record.listing_uuid if record else None
            if vid in extra:
                if uuid is None and plan.quantity > 0 and self._is_new(plan, record):
                    new.append(plan)
                continue
            if uuid is None:
                found = self.client.find_listing(sku=sku, market=self.markets[0])
                if found is not None and found.sku != sku:  # Back Market matched it ignoring case
                    outcomes[vid] = self._failed(
                        plan.facts,
                        f"Back Market already has the SKU {found.sku}, which "
                        f"differs from {sku} only in case: rename one of them",
                    )
                    step.done(sku)
                    continue
                uuid = found.id if found else None
            if uuid is None and plan.quantity == 0:
                self.registry.set_listing(sku, "offline", reason="nothing in stock to list", quantity=0)
                outcomes[vid] = SkuOutcome(vid, sku, "offline", 0, "nothing in stock to list")
            elif uuid is None:
                new.append(plan)
                continue
            else:
                outcomes[vid] = self._update(plan, uuid, new)
            step.done(sku)
        if extra:  # riders must not make the batch too big for the hour's budget: the item itself goes first
            own = [p for p in new if p.facts.variant_id not in extra]
            room = self.client.budget.remaining() - len(own)
            new = own + [p for p in new if p.facts.variant_id in extra][: max(room, 0)]
        if new:
            outcomes.update(self._create(new, step))
        report = SyncReport(
            tuple(outcomes[v] for v in ids if v in outcomes), self.client.requests_sent - started
        )
        log.backmarket.info(
            "listing sync of %d variants: %s; %d requests",
            len(ids),
            ", ".join(f"{o.sku or o.variant_id} {o.state}" for o in report.outcomes),
            report.requests,
        )
        return report

    def _is_new(self, plan: Plan, record) -> bool:
        """A companion's SKU is not on Back Market yet; one found there is remembered for its own sync."""
        found = self.client.find_listing(sku=plan.facts.sku, market=self.markets[0])
        if found is not None and found.sku == plan.facts.sku:
            self.registry.set_listing(
                found.sku,
                record.state if record else "pending",
                reason=record.reason if record else "",
                listing_uuid=found.id,
                legacy_id=found.legacy_id,
            )
        return found is None

    def _check_skus(
        self, facts: dict[int, VariantFacts], outcomes: dict[int, SkuOutcome]
    ) -> dict[int, VariantFacts]:
        """Refuse variants without a SKU, with a grade Back Market does not sell, or whose SKU differs only in
        case from another's (Back Market would merge them into one listing)."""
        usable, by_key = {}, {}
        for vid, f in facts.items():
            if not f.sku.strip():
                outcomes[vid] = SkuOutcome(
                    vid,
                    "",
                    "failed",
                    reason=f"{f.model_name} ({f.grade}) has no SKU (internal reference) in Odoo",
                )
            elif not f.backmarket_grade:
                outcomes[vid] = SkuOutcome(
                    vid, f.sku, "failed", reason=f"grade {f.grade} is not sold on Back Market"
                )
            else:
                by_key.setdefault(f.sku.casefold(), []).append(f)
        for same in by_key.values():
            if len({f.sku for f in same}) > 1:
                names = " and ".join(sorted(f.sku for f in same))
                for f in same:
                    outcomes[f.variant_id] = self._failed(
                        f,
                        f"SKUs {names} differ only in case; Back Market "
                        "treats them as one: rename one in Odoo",
                    )
            else:
                usable.update({f.variant_id: f for f in same})
        return usable

    def _plan(self, f: VariantFacts, sellable: object) -> Plan:
        quantity = self.pricing.quantity_to_push(sellable, f.grade)
        if f.new_price is None:
            raise InputError(_("No new price for model {model} in the pricing rules.").format(
                model=f.model_code or f.model_name))
        quotes = tuple(self.pricing.quote(f.category, f.grade, f.new_price, m) for m in self.markets)
        return Plan(f, quantity, quotes)

    def _failed(self, f: VariantFacts, reason: str) -> SkuOutcome:
        self.registry.set_listing(f.sku, "failed", reason=reason)
        return SkuOutcome(f.variant_id, f.sku, "failed", reason=reason)

    def _update(self, plan: Plan, uuid: str, new: list[Plan]) -> SkuOutcome:
        """Real-time: quantity and main-market price in one call; other markets if their price moved."""
        f, main = plan.facts, plan.quotes[0]
        record = self.registry.listing(f.sku)
        pushed = dict(record.prices) if record else {}
        try:
            listing = self.client.update_listing(
                uuid,
                market=main.market,
                quantity=plan.quantity,
                price=main.price,
                currency=main.currency,
                min_price=sent_min_price(main, self.backpricer),
            )
            pushed[main.market] = pushed_prices(main, self.backpricer)
            self._push_other_markets(uuid, plan, pushed)
        except BackMarketError as exc:
            if exc.failure is Failure.NOT_FOUND and plan.quantity > 0:
                self.registry.set_listing(f.sku, "pending", reason="listing gone on Back Market: re-creating")
                new.append(plan)
                return SkuOutcome(f.variant_id, f.sku, "pending")
            if exc.retryable or exc.failure is Failure.AUTH:
                raise
            return self._failed(f, exc.user_message)
        return record_pushed(self.registry, f, listing.id, listing.legacy_id, plan.quantity, pushed)

    def _push_other_markets(self, uuid: str, plan: Plan, pushed: dict[str, list[str]]) -> None:
        for quote in plan.quotes[1:]:
            wanted = pushed_prices(quote, self.backpricer)
            if pushed.get(quote.market) != wanted:
                self.client.update_listing(
                    uuid,
                    market=quote.market,
                    price=quote.price,
                    currency=quote.currency,
                    min_price=sent_min_price(quote, self.backpricer),
                )
                pushed[quote.market] = wanted

    def _create(self, plans: list[Plan], step: Steps) -> dict[int, SkuOutcome]:
        return BatchCreator(
            self.client,
            self.registry,
            self.task_wait,
            self.task_poll,
            self._sleep,
            self._clock,
            self.lost_batch_grace,
            backpricer=self.backpricer,
            checks=self._checks,
        ).create(plans, step, self._push_other_markets)
