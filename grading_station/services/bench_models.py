"""Snapshots the grading service hands to the bench screen: plain frozen values, never live objects."""

from __future__ import annotations

from dataclasses import dataclass, field

from grading_station.domain.units import CatalogueModel, IntakeSource, Lease, Unit

SOURCE_TITLES = {
    IntakeSource.TRADE_IN: "Trade-in",
    IntakeSource.CORPORATE_LEASE: "Corporate lease",
    IntakeSource.RETURN: "Customer return",
    IntakeSource.OTHER: "Other",
}


@dataclass(frozen=True)
class StepView:
    """One checklist step as the screen shows it.

    `kind` is "check" (pass / fail / n-a), "battery", "choice" (one of `options`, e.g. a cosmetic zone),
    "photos" (the required `slots`), "accessories" (tick the `options` present) or "confirm" (data wiped).
    `answer` is "" until answered; for "accessories" it is a comma-separated list of the ticked options.
    """

    id: str
    kind: str
    title: str
    help: str = ""
    answer: str = ""
    options: tuple[tuple[str, str], ...] = ()  # (value, title)
    slots: tuple[tuple[str, str, bool], ...] = ()  # (slot, title, required) for "photos"
    required: bool = True
    allow_na: bool = True
    cycles_required: bool = False  # battery
    note: str = ""  # the technician's remark (a cosmetic zone shows its step's)
    section: str = ""  # the template's section heading (e.g. "Functional tests"), "" when it has none
    hold_reason: str = ""  # confirm: why answering "no" holds the unit ("" when "no" does not hold it)


@dataclass(frozen=True)
class PhotoView:
    slot: str
    filename: str
    thumbnail_png: bytes


@dataclass(frozen=True)
class GradeAdvice:
    """The suggested grade and why (one reason per line), what would hold the unit, the grades to pick."""

    grade: str
    reasons: tuple[str, ...]
    choices: tuple[
        tuple[str, str], ...
    ]  # (grade key, title), best first, including the non-sellable outcomes
    hold_reasons: tuple[str, ...] = ()  # a sellable grade is held (WH/Hold) for these
    complete: bool = True
    sellable: tuple[str, ...] = ()  # the grade keys that go on sale


@dataclass(frozen=True)
class SessionView:
    """The grading in progress: unit (or intake model), steps with answers, battery, photos."""

    serial: str
    model_name: str
    category: str
    steps: tuple[StepView, ...]
    unit: Unit | None = None
    model: CatalogueModel | None = None
    source: IntakeSource | None = None
    battery_health: int | None = None
    battery_cycles: int | None = None
    battery_source: str = ""  # "manual", "device (adb)"...: "" without a reading
    photos: dict[str, PhotoView] = field(default_factory=dict)
    resumed: bool = False
    completing: bool = False  # completing a held unit's record: the earlier answers are filled in

    @property
    def answered(self) -> int:
        return sum(1 for step in self.steps if self.step_done(step))

    def step_done(self, step: StepView) -> bool:
        if step.kind == "photos":
            required = [slot for slot, _, needed in step.slots if needed]
            return all(slot in self.photos for slot in required) if required else bool(self.photos)
        if step.kind == "battery":
            return self.battery_health is not None and (
                self.battery_cycles is not None or not step.cycles_required
            )
        return step.answer != ""

    @property
    def complete(self) -> bool:
        return all(self.step_done(step) or not step.required for step in self.steps)

    @property
    def untouched(self) -> bool:
        """Nothing answered, typed, noted or photographed yet: dropping it loses no work."""
        return (
            not any(step.answer or step.note for step in self.steps)
            and not self.photos
            and self.battery_health is None
        )

    def first_open_step(self) -> int:
        for index, step in enumerate(self.steps):
            if not self.step_done(step):
                return index
        return len(self.steps) - 1


@dataclass(frozen=True)
class UnitFound:
    """A live lot exists; `lease` is this bench's lease once claimed (None right after the one-RPC find).
    `begin_regrade` opens its session. `model` is the unit's catalogue model (its variant per grade), None if
    the catalogue does not manage it."""

    unit: Unit
    lease: Lease | None
    grade_title: str
    model: CatalogueModel | None = None
    hold_reason: str = ""  # why the unit is held (lot property), "" when it is not
    cached_at: str = ""  # ISO UTC time the local copy was seen in Odoo; "" when live from Odoo


@dataclass(frozen=True)
class UnitLeased:
    """Another bench is grading this unit: nothing was changed."""

    unit: Unit
    lease: Lease
    grade_title: str


@dataclass(frozen=True)
class NewIntake:
    """No live lot: the technician picks the model and the source. `offline`: Odoo could not be asked and the
    serial is not in the local cache (the model list comes from the cache)."""

    serial: str
    offline: bool = False


ScanOutcome = UnitFound | UnitLeased | NewIntake


@dataclass(frozen=True)
class CommitSummary:
    """What the last commit queued (shown on the bench while it waits for the next scan)."""

    grading_id: str
    serial: str
    model_name: str
    grade_title: str
    placement: str
    hold_reason: str
    outbox_id: str
    overridden: bool


@dataclass(frozen=True)
class DeliveryView:
    """The outbox state of a commit: "pending", "retrying", "delivered" or "refused" (with Odoo's reason)."""

    state: str
    detail: str = ""

    @property
    def final(self) -> bool:
        return self.state in ("delivered", "refused")
