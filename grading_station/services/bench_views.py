"""Turning a domain ChecklistSession into the SessionView snapshot the bench screen draws."""

from __future__ import annotations

from collections.abc import Sequence

from grading_station.domain.checklist import ChecklistSession, Step, StepKind
from grading_station.domain.units import CatalogueModel, IntakeSource, Unit

from grading_station.services.bench_models import PhotoView, SessionView, StepView

from grading_station.i18n import _

NONE_TICKED = "none"  # the view's answer for a multiple choice answered with nothing ticked


def zone_step_id(step: Step, zone_id: str) -> str:
    """Each cosmetic zone is its own screen step, so one key press answers it (e.g. "cosmetic.screen")."""
    return f"{step.id}.{zone_id}"


def translated(text: str) -> str:
    """A text of the checklist file in the station's language (the catalogue has them: tools/i18n.py)."""
    return _(text) if text else ""  # gettext("") is the catalogue's header


def step_views(session: ChecklistSession, conditions: Sequence[tuple[str, str]]) -> tuple[StepView, ...]:
    """The screen's steps: the template's steps in order, a cosmetic step expanded into one step per zone.
    Titles and help are translated here; `conditions` come translated."""
    views: list[StepView] = []
    for step in session.template.steps:
        answer = session.answers.get(step.id, "")
        common = dict(
            id=step.id,
            title=translated(step.title),
            help=translated(step.help),
            required=step.required,
            note=session.notes.get(step.id, ""),
            section=translated(step.section),
        )
        if step.kind == StepKind.PASS_FAIL:
            views.append(StepView(kind="check", answer=answer, allow_na=step.allow_na, **common))
        elif step.kind == StepKind.CONFIRM:
            hold = step.hold_reason if step.hold_if_not_confirmed else ""
            views.append(StepView(kind="confirm", answer=answer, allow_na=step.allow_na, hold_reason=hold, **common))
        elif step.kind == StepKind.CHOICE:
            options = tuple((o.id, translated(o.title)) for o in step.options)
            if step.multiple:
                shown = (answer or NONE_TICKED) if step.id in session.answers else ""
                views.append(StepView(kind="accessories", answer=shown, options=options, **common))
            else:
                views.append(StepView(kind="choice", answer=answer, options=options, **common))
        elif step.kind == StepKind.BATTERY:
            views.append(StepView(kind="battery", cycles_required=step.cycles_required, **common))
        elif step.kind == StepKind.PHOTOS:
            slots = tuple((o.id, translated(o.title), o.required) for o in step.slots)
            views.append(StepView(kind="photos", slots=slots, **common))
        elif step.kind == StepKind.COSMETIC:
            for zone in step.zones:
                views.append(
                    StepView(
                        id=zone_step_id(step, zone.id),
                        kind="choice",
                        title=_("Condition: {zone}").format(zone=translated(zone.title)),
                        help=translated(zone.help or step.help),
                        answer=session.cosmetic.get(zone.id, ""),
                        options=tuple(conditions),
                        required=step.required,
                        note=session.notes.get(step.id, ""),
                        section=step.section,
                    )
                )
    return tuple(views)


def session_view(
    serial: str,
    session: ChecklistSession,
    conditions: Sequence[tuple[str, str]],
    thumbnails: dict[str, PhotoView],
    *,
    unit: Unit | None,
    model: CatalogueModel | None,
    source: IntakeSource | None,
    resumed: bool = False,
) -> SessionView:
    battery = session.battery
    return SessionView(
        serial=serial,
        model_name=unit.model_name if unit else (model.name if model else ""),
        category=session.template.category,
        steps=step_views(session, conditions),
        unit=unit,
        model=model,
        source=source,
        battery_health=battery.health if battery else None,
        battery_cycles=battery.cycles if battery else None,
        battery_source=battery.source if battery else "",
        photos={slot: thumbnails[slot] for slot in session.photos if slot in thumbnails},
        resumed=resumed,
    )
