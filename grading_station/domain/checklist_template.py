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

from grading_station.domain.resource_fields import Fields, ResourceError


class StepKind(StrEnum):
    PASS_FAIL = "pass_fail"
    BATTERY = "battery"
    COSMETIC = "cosmetic"
    PHOTOS = "photos"
    CHOICE = "choice"
    CONFIRM = "confirm"


class ChecklistError(ResourceError):
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
        """Build and validate a template from parsed TOML; ChecklistError names the file and the key."""
        top = Fields(data, source, error=ChecklistError)
        top.only(_TOP_FIELDS)
        header = (top.text("id"), top.whole("version", minimum=1), top.text("category"), top.text("title"))
        raws = top.tables("steps")
        steps = tuple(_step(raw) for raw in raws)
        if not steps:
            raise top.fail("the checklist has no steps", "steps")
        seen: set[str] = set()
        for raw, step in zip(raws, steps, strict=True):
            if step.id in seen:
                raise raw.fail(f"two steps are called {step.id!r}", "id")
            seen.add(step.id)
        return cls(*header, steps)


# Ids end up in JSON keys, Odoo properties and "step.zone" references: keep them plain.
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_TOP_FIELDS = frozenset({"id", "version", "category", "title", "steps"})
_STEP_FIELDS = frozenset({
    "id", "title", "kind", "section", "required", "help", "repair_on_fail", "allow_na", "options", "zones",
    "slots", "multiple", "hold_if_not_confirmed", "hold_reason", "cycles_required",
})  # fmt: skip
_OPTION_FIELDS = frozenset({"id", "title", "help", "required"})


def _plain_id(fields: Fields, key: str, what: str) -> str:
    value = fields.text(key)
    if not _ID.match(value):
        raise fields.fail(f"{what} {value!r} must be lower-case letters, digits and _", key)
    return value


def _step(raw: Fields) -> Step:
    step_id = _plain_id(raw, "id", "step id")
    raw.only(_STEP_FIELDS)
    kind_text = raw.text("kind")
    try:
        kind = StepKind(kind_text)
    except ValueError:
        raise raw.fail(
            f"step {step_id!r} has kind {kind_text!r}; use one of {', '.join(k.value for k in StepKind)}", "kind"
        ) from None
    listed = [key for key in ("options", "zones", "slots") if raw.has(key)]
    options: tuple[Option, ...] = ()
    for key in listed:
        options += tuple(_option(o, step_id) for o in raw.tables(key))
    needs_options = {StepKind.CHOICE: "options", StepKind.COSMETIC: "zones", StepKind.PHOTOS: "slots"}
    if kind in needs_options and not options:
        raise raw.fail(f"step {step_id!r} ({kind}) needs {needs_options[kind]}", listed[0] if listed else None)
    hold = raw.flag("hold_if_not_confirmed", False)
    hold_reason = raw.text("hold_reason", "")
    if kind == StepKind.CONFIRM and hold and not hold_reason:
        raise raw.fail(f"step {step_id!r} holds the unit, so it needs a hold_reason", "hold_if_not_confirmed")
    return Step(
        id=step_id,
        title=raw.text("title"),
        kind=kind,
        section=raw.text("section", ""),
        required=raw.flag("required", True),
        help=raw.text("help", ""),
        repair_on_fail=raw.flag("repair_on_fail", True),
        allow_na=raw.flag("allow_na", False),
        options=options,
        multiple=raw.flag("multiple", False),
        hold_if_not_confirmed=hold,
        hold_reason=hold_reason,
        cycles_required=raw.flag("cycles_required", False),
    )


def _option(raw: Fields, step_id: str) -> Option:
    option_id = _plain_id(raw, "id", f"step {step_id!r}, option id")
    raw.only(_OPTION_FIELDS)
    return Option(option_id, raw.text("title"), raw.text("help", ""), raw.flag("required", True))
