"""A checklist being filled in at the bench: answers per step, battery, cosmetic zones, photos, notes.

`ChecklistSession` is immutable: every change returns a new session, so the bench can hand a snapshot to the
draft store (`to_json`) or to the grading rules at any time. The template classes are re-exported from here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from types import MappingProxyType

from grading_station.domain.battery import BatteryReading
from grading_station.domain.checklist_template import (
    ChecklistError,
    ChecklistTemplate,
    Option,
    Step,
    StepKind,
)
from grading_station.domain.grading import PhotoRef
from grading_station.domain.reasons import Reason, code

from grading_station.errors import InputError

__all__ = [
    "FAIL", "NA", "NO", "PASS", "YES",
    "ChecklistError", "ChecklistSession", "ChecklistTemplate", "Option", "Progress", "Step", "StepKind",
]  # fmt: skip

PASS, FAIL, NA = "pass", "fail", "na"
YES, NO = "yes", "no"
_EMPTY: Mapping = MappingProxyType({})

# Refusals of an answer (`step` is the step's title from the checklist file, translated where worded).
ZONE_NEEDS_CONDITION = code("checklist.zone_needs_condition")
CANNOT_SKIP_CHECK = code("checklist.cannot_skip_check", "step")
ANSWER_PASS_FAIL = code("checklist.answer_pass_fail", "step")
CANNOT_SKIP_CONFIRM = code("checklist.cannot_skip_confirm", "step")
ANSWER_YES_NO = code("checklist.answer_yes_no", "step")
PICK_ONE = code("checklist.pick_one", "step")
UNKNOWN_OPTION = code("checklist.unknown_option", "step", "option")
NOT_A_VALUE_STEP = code("checklist.not_a_value_step", "step")
# Why a unit goes to repair or is held (`lock` is a step's hold_reason from the checklist file).
FAILED = code("checklist.failed", "step")
BATTERY_MISSING = code("checklist.battery_missing")
CYCLES_MISSING = code("checklist.cycles_missing")
ZONES_MISSING = code("checklist.zones_missing", "zones")
PHOTOS_MISSING = code("checklist.photos_missing", "slots", "count")
ANY_PHOTO_MISSING = code("checklist.any_photo_missing")
NOT_CONFIRMED = code("checklist.not_confirmed", "step")
NOT_DONE = code("checklist.not_done", "step")
LOCK = code("checklist.lock", "lock")


@dataclass(frozen=True)
class Progress:
    """How far the checklist is: answered steps out of all steps, and required steps still open."""

    answered: int
    total: int
    required_open: int

    @property
    def fraction(self) -> float:
        return self.answered / self.total if self.total else 1.0


def _frozen(mapping: Mapping) -> Mapping:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class ChecklistSession:
    """The answers so far to one template.

    `answers`: pass_fail ("pass"/"fail"/"na"), choice (option id, or comma-separated ids for `multiple`,
    "" = none ticked) and confirm ("yes"/"no"/"na") steps. `cosmetic`: zone id -> condition key of the grade
    scale. `photos`: slot id -> stored photo. `notes`: step id -> the technician's remark.
    """

    template: ChecklistTemplate
    answers: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    battery: BatteryReading | None = None
    cosmetic: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    photos: Mapping[str, PhotoRef] = field(default_factory=lambda: _EMPTY)
    notes: Mapping[str, str] = field(default_factory=lambda: _EMPTY)

    # -- changes (each returns a new session) --------------------------------------------------------------

    def answer(self, step_id: str, value: str | Sequence[str]) -> ChecklistSession:
        """Record a pass_fail, choice or confirm answer; InputError when it does not fit the step."""
        step = self.template.step(step_id)
        value = self._checked(step, value)
        return replace(self, answers=_frozen({**self.answers, step_id: value}))

    def with_battery(self, reading: BatteryReading | None) -> ChecklistSession:
        return replace(self, battery=reading)

    def with_cosmetic(self, zone_id: str, condition: str) -> ChecklistSession:
        if not any(zone_id == z.id for s in self.template.steps_of(StepKind.COSMETIC) for z in s.zones):
            raise KeyError(f"checklist {self.template.ref} has no cosmetic zone {zone_id!r}")
        if not condition:
            raise InputError(ZONE_NEEDS_CONDITION())
        return replace(self, cosmetic=_frozen({**self.cosmetic, zone_id: condition}))

    def with_photo(self, photo: PhotoRef) -> ChecklistSession:
        if not any(photo.slot == o.id for s in self.template.steps_of(StepKind.PHOTOS) for o in s.slots):
            raise KeyError(f"checklist {self.template.ref} has no photo slot {photo.slot!r}")
        return replace(self, photos=_frozen({**self.photos, photo.slot: photo}))

    def without_photo(self, slot: str) -> ChecklistSession:
        return replace(self, photos=_frozen({k: v for k, v in self.photos.items() if k != slot}))

    def with_note(self, step_id: str, text: str) -> ChecklistSession:
        self.template.step(step_id)
        notes = {k: v for k, v in self.notes.items() if k != step_id}
        if text.strip():
            notes[step_id] = text.strip()
        return replace(self, notes=_frozen(notes))

    def cleared(self, step_id: str) -> ChecklistSession:
        """The session with that step's answer (and battery / zones / photos of that step) removed."""
        step = self.template.step(step_id)
        ids = {o.id for o in step.options}
        return replace(
            self,
            answers=_frozen({k: v for k, v in self.answers.items() if k != step_id}),
            battery=None if step.kind == StepKind.BATTERY else self.battery,
            cosmetic=_frozen({k: v for k, v in self.cosmetic.items() if k not in ids}),
            photos=_frozen({k: v for k, v in self.photos.items() if k not in ids}),
        )

    def _checked(self, step: Step, value: str | Sequence[str]) -> str:
        if step.kind == StepKind.PASS_FAIL:
            if value == NA and not step.allow_na:
                raise InputError(CANNOT_SKIP_CHECK(step=step.title))
            if value not in (PASS, FAIL, NA):
                raise InputError(ANSWER_PASS_FAIL(step=step.title))
            return str(value)
        if step.kind == StepKind.CONFIRM:
            if value == NA and not step.allow_na:
                raise InputError(CANNOT_SKIP_CONFIRM(step=step.title))
            if value not in (YES, NO, NA):
                raise InputError(ANSWER_YES_NO(step=step.title))
            return str(value)
        if step.kind == StepKind.CHOICE:
            if isinstance(value, str):
                picked = value.split(",") if step.multiple else [value]  # "cable,box" as stored
            else:
                picked = list(value)
            picked = [p for p in picked if p]
            if not step.multiple and len(picked) != 1:
                raise InputError(PICK_ONE(step=step.title))
            unknown = [p for p in picked if step.option(p) is None]
            if unknown:
                raise InputError(UNKNOWN_OPTION(step=step.title, option=unknown[0]))
            return ",".join(p for p in (o.id for o in step.options) if p in picked)  # template order
        raise InputError(NOT_A_VALUE_STEP(step=step.title))

    # -- reading ------------------------------------------------------------------------------------------

    def is_answered(self, step_id: str) -> bool:
        step = self.template.step(step_id)
        if step.kind == StepKind.BATTERY:
            return self.battery is not None and (self.battery.cycles is not None or not step.cycles_required)
        if step.kind == StepKind.COSMETIC:
            return all(z.id in self.cosmetic for z in step.zones)
        if step.kind == StepKind.PHOTOS:
            required = [s for s in step.slots if s.required]
            return all(s.id in self.photos for s in required) if required else bool(self.photos)
        return step_id in self.answers

    def next_unanswered(self, after: str | None = None) -> Step | None:
        """The first unanswered step after `after` (or from the top), wrapping round; None when all done."""
        steps = list(self.template.steps)
        start = next((i + 1 for i, s in enumerate(steps) if s.id == after), 0)
        for step in steps[start:] + steps[:start]:
            if not self.is_answered(step.id):
                return step
        return None

    def progress(self) -> Progress:
        answered = [s for s in self.template.steps if self.is_answered(s.id)]
        open_required = [s for s in self.template.steps if s.required and not self.is_answered(s.id)]
        return Progress(len(answered), len(self.template.steps), len(open_required))

    def failed_steps(self) -> tuple[Step, ...]:
        return tuple(s for s in self.template.steps_of(StepKind.PASS_FAIL) if self.answers.get(s.id) == FAIL)

    def repair_reasons(self) -> list[Reason]:
        """A failed functional test that sends the unit to repair."""
        return [FAILED(step=s.title) for s in self.failed_steps() if s.repair_on_fail]

    def missing(self) -> list[Reason]:
        """Required steps and photos not done yet (each one holds the unit if committed)."""
        reasons: list[Reason] = []
        for step in self.template.steps:
            if not step.required or self.is_answered(step.id):
                continue
            if step.kind == StepKind.BATTERY:
                reasons.append(BATTERY_MISSING() if self.battery is None else CYCLES_MISSING())
            elif step.kind == StepKind.COSMETIC:
                zones = tuple(z.title for z in step.zones if z.id not in self.cosmetic)
                reasons.append(ZONES_MISSING(zones=zones))
            elif step.kind == StepKind.PHOTOS:
                slots = tuple(s.title for s in step.slots if s.required and s.id not in self.photos)
                reasons.append(PHOTOS_MISSING(slots=slots, count=len(slots)) if slots else ANY_PHOTO_MISSING())
            elif step.kind == StepKind.CONFIRM:
                reasons.append(NOT_CONFIRMED(step=step.title))
            else:
                reasons.append(NOT_DONE(step=step.title))
        return reasons

    def locks(self) -> list[Reason]:
        """Account locks (confirm steps answered "no") that hold the unit whatever its grade."""
        return [
            LOCK(lock=s.hold_reason)
            for s in self.template.steps_of(StepKind.CONFIRM)
            if s.hold_if_not_confirmed and self.answers.get(s.id) == NO
        ]

    def hold_reasons(self) -> list[Reason]:
        """Why the unit cannot go to sellable stock yet: missing required items, account locks not removed."""
        return self.locks() + self.missing()

    def results(self) -> dict[str, str]:
        """Flat step results for the GradingRecord / test report ("display": "pass", "cosmetic.back": ...)."""
        results = dict(self.answers)
        if self.battery is not None:
            for step in self.template.steps_of(StepKind.BATTERY):
                results[step.id] = self.battery.describe()
        for step in self.template.steps_of(StepKind.COSMETIC):
            for zone in step.zones:
                if zone.id in self.cosmetic:
                    results[f"{step.id}.{zone.id}"] = self.cosmetic[zone.id]
        return results

    # -- persistence (drafts) -----------------------------------------------------------------------------

    def to_json(self) -> dict:
        return {
            "checklist": self.template.ref,
            "answers": dict(self.answers),
            "battery": asdict(self.battery) if self.battery else None,
            "cosmetic": dict(self.cosmetic),
            "photos": {slot: asdict(ref) for slot, ref in self.photos.items()},
            "notes": dict(self.notes),
        }

    @classmethod
    def from_json(cls, data: Mapping, template: ChecklistTemplate) -> ChecklistSession:
        """Restore a draft; answers to steps, zones or slots the template no longer has are dropped (a draft
        saved before a checklist update still resumes)."""
        steps = {s.id for s in template.steps}
        zones = {z.id for s in template.steps_of(StepKind.COSMETIC) for z in s.zones}
        slots = {o.id for s in template.steps_of(StepKind.PHOTOS) for o in s.slots}
        battery = data.get("battery")
        return cls(
            template,
            answers=_frozen({k: v for k, v in data.get("answers", {}).items() if k in steps}),
            battery=BatteryReading(**battery) if battery else None,
            cosmetic=_frozen({k: v for k, v in data.get("cosmetic", {}).items() if k in zones}),
            photos=_frozen({k: PhotoRef(**v) for k, v in data.get("photos", {}).items() if k in slots}),
            notes=_frozen({k: v for k, v in data.get("notes", {}).items() if k in steps}),
        )
