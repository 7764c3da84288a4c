"""Checklist templates (parsed from resources/checklists/*.toml, as dicts): declarative, versioned steps.

A template is versioned (`ref` = "phone@3" is stored with every grading). Steps have a `kind`:
  pass_fail  a functional test; a failure sends the unit to repair when `repair_on_fail` (the default)
  battery    health % and cycle count (thresholds per grade and category live in grades.toml)
  cosmetic   a condition per zone (screen, back, frame, ...) on the scale defined in grades.toml
  photos     photo slots, each required or optional
  choice     one option (or several with `multiple`, e.g. accessories)
  confirm    yes/no; answering "no" to a step with `hold_if_not_confirmed` holds the unit (account locks)
The answers live in `grading_station.domain.checklist.ChecklistSession` (which also re-exports these names).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from grading_station.errors import KnownError


class StepKind(StrEnum):
    PASS_FAIL = "pass_fail"
    BATTERY = "battery"
    COSMETIC = "cosmetic"
    PHOTOS = "photos"
    CHOICE = "choice"
    CONFIRM = "confirm"


class ChecklistError(KnownError):
    """A checklist file that cannot be used (a shipped or customised resource is malformed)."""


@dataclass(frozen=True)
class Option:
    """A choice, a cosmetic zone or a photo slot: `id`, `title`, optional `help`; `required` for slots."""

    id: str
    title: str
    help: str = ""
    required: bool = True


@dataclass(frozen=True)
class Step:
    """One line of the checklist. Only the fields that make sense for its kind are used."""

    id: str
    title: str
    kind: StepKind
    section: str = ""
    required: bool = True
    help: str = ""
    repair_on_fail: bool = True  # pass_fail: a failure sends the unit to repair
    allow_na: bool = False  # pass_fail, confirm: "not applicable" allowed (no NFC; Find My on an Android)
    options: tuple[Option, ...] = ()  # choice: the options; cosmetic: the zones; photos: the slots
    multiple: bool = False  # choice: several options may be ticked (accessories)
    hold_if_not_confirmed: bool = False  # confirm: "no" holds the unit
    hold_reason: str = ""  # confirm: what the hold says, in plain words
    cycles_required: bool = False  # battery: the device reports cycles, so the technician must enter them

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)

    @property
    def zones(self) -> tuple[Option, ...]:
        return self.options if self.kind == StepKind.COSMETIC else ()

    @property
    def slots(self) -> tuple[Option, ...]:
        return self.options if self.kind == StepKind.PHOTOS else ()


@dataclass(frozen=True)
class ChecklistTemplate:
    """A category's checklist: identity (`id`, `version`), the category it applies to, and ordered steps."""

    id: str
    version: int
    category: str
    title: str
    steps: tuple[Step, ...]

    @property
    def ref(self) -> str:
        return f"{self.id}@{self.version}"

    def step(self, step_id: str) -> Step:
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KeyError(f"checklist {self.ref} has no step {step_id!r}")

    def steps_of(self, kind: StepKind) -> tuple[Step, ...]:
        return tuple(s for s in self.steps if s.kind == kind)

    @property
    def sections(self) -> tuple[str, ...]:
        """Section titles in order of first appearance (the bench groups steps by them)."""
        return tuple(dict.fromkeys(s.section for s in self.steps))

    @classmethod
    def from_dict(cls, data: Mapping, source: str = "checklist") -> ChecklistTemplate:
        """Build and validate a template from parsed TOML; ChecklistError names the file and the step."""
        try:
            header = {key: data[key] for key in ("id", "version", "category", "title")}
        except KeyError as exc:
            raise ChecklistError(f"{source}: the field {exc.args[0]!r} is missing.") from exc
        if not isinstance(header["version"], int) or header["version"] < 1:
            raise ChecklistError(f"{source}: version must be a whole number ≥ 1.")
        steps = tuple(_step(raw, source) for raw in data.get("steps", ()))
        if not steps:
            raise ChecklistError(f"{source}: the checklist has no steps.")
        seen: set[str] = set()
        for step in steps:
            if step.id in seen:
                raise ChecklistError(f"{source}: two steps are called {step.id!r}.")
            seen.add(step.id)
        return cls(str(header["id"]), header["version"], str(header["category"]), str(header["title"]), steps)


# Ids end up in JSON keys, Odoo properties and "step.zone" references: keep them plain.
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_STEP_FIELDS = {
    "id", "title", "kind", "section", "required", "help", "repair_on_fail", "allow_na", "options", "zones",
    "slots", "multiple", "hold_if_not_confirmed", "hold_reason", "cycles_required",
}  # fmt: skip


def _step(raw: Mapping, source: str) -> Step:
    step_id = raw.get("id")
    if not step_id or not raw.get("title"):
        raise ChecklistError(f"{source}: every step needs an id and a title (found {dict(raw)!r}).")
    if not _ID.match(str(step_id)):
        raise ChecklistError(f"{source}: step id {step_id!r} must be lower-case letters, digits and _.")
    unknown = set(raw) - _STEP_FIELDS
    if unknown:
        raise ChecklistError(f"{source}: step {step_id!r} has unknown field(s) {', '.join(sorted(unknown))}.")
    try:
        kind = StepKind(raw.get("kind", ""))
    except ValueError:
        raise ChecklistError(
            f"{source}: step {step_id!r} has kind {raw.get('kind')!r}; "
            f"use one of {', '.join(k.value for k in StepKind)}."
        ) from None
    options = tuple(
        Option(str(o["id"]), str(o["title"]), str(o.get("help", "")), bool(o.get("required", True)))
        for o in (raw.get("options") or raw.get("zones") or raw.get("slots") or ())
    )
    for option in options:
        if not _ID.match(option.id):
            raise ChecklistError(
                f"{source}: step {step_id!r}, option id {option.id!r}: use lower-case letters, digits, _."
            )
    needs_options = {StepKind.CHOICE: "options", StepKind.COSMETIC: "zones", StepKind.PHOTOS: "slots"}
    if kind in needs_options and not options:
        raise ChecklistError(f"{source}: step {step_id!r} ({kind}) needs {needs_options[kind]}.")
    if kind == StepKind.CONFIRM and raw.get("hold_if_not_confirmed") and not raw.get("hold_reason"):
        raise ChecklistError(f"{source}: step {step_id!r} holds the unit, so it needs a hold_reason.")
    return Step(
        id=str(step_id),
        title=str(raw["title"]),
        kind=kind,
        section=str(raw.get("section", "")),
        required=bool(raw.get("required", True)),
        help=str(raw.get("help", "")),
        repair_on_fail=bool(raw.get("repair_on_fail", True)),
        allow_na=bool(raw.get("allow_na", False)),
        options=options,
        multiple=bool(raw.get("multiple", False)),
        hold_if_not_confirmed=bool(raw.get("hold_if_not_confirmed", False)),
        hold_reason=str(raw.get("hold_reason", "")),
        cycles_required=bool(raw.get("cycles_required", False)),
    )
