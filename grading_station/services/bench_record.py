"""The grading in progress as the service keeps it, its draft JSON, and the GradingRecord it becomes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from grading_station.domain.checklist import ChecklistSession, ChecklistTemplate, StepKind
from grading_station.domain.grades import GradeScale
from grading_station.domain.grading import GradingRecord
from grading_station.domain.placement import decide_placement
from grading_station.domain.units import CatalogueModel, IntakeSource, Unit

from grading_station.errors import KnownError
from grading_station.i18n import _
from grading_station.wording import describe_all_source


@dataclass
class OpenGrading:
    """The unit being graded: an existing lot (`unit`) or a new intake (`model` + `source`)."""

    serial: str
    session: ChecklistSession
    unit: Unit | None = None
    model: CatalogueModel | None = None
    source: IntakeSource | None = None
    thumbnails: dict[str, bytes] = field(default_factory=dict)  # slot -> JPEG thumbnail (not in the draft)

    @property
    def model_name(self) -> str:
        return self.unit.model_name if self.unit else (self.model.name if self.model else "")

    def to_draft(self) -> dict:
        unit = asdict(self.unit) if self.unit else None
        if unit is not None:
            unit["lease"] = None  # a lease belongs to the moment; it is taken again on resume
        return {
            "serial": self.serial,
            "category": self.session.template.category,
            "checklist": self.session.template.ref,
            "session": self.session.to_json(),
            "unit": unit,
            "model": asdict(self.model) if self.model else None,
            "source": self.source.value if self.source else None,
        }

    @classmethod
    def from_draft(cls, data: dict, template: ChecklistTemplate) -> OpenGrading:
        return cls(
            serial=data["serial"],
            session=ChecklistSession.from_json(data.get("session", {}), template),
            unit=Unit(**{**data["unit"], "lease": None}) if data.get("unit") else None,
            model=CatalogueModel(**data["model"]) if data.get("model") else None,
            source=IntakeSource(data["source"]) if data.get("source") else None,
        )


def answers_from_report(report: dict, template: ChecklistTemplate) -> dict | None:
    """A test report's answers as a session's draft JSON, for completing a held unit's record on a station
    that did not grade it: step answers, cosmetic zones and remarks. Not the battery (its lot properties
    have the reading) nor the photos (their files are on the station that took them). None when the report
    is of another checklist (version)."""
    if f"{report.get('checklist_id')}@{report.get('checklist_version')}" != template.ref:
        return None
    results = report.get("results") or {}
    answered = (StepKind.PASS_FAIL, StepKind.CONFIRM, StepKind.CHOICE)
    answers = {s.id: results[s.id] for s in template.steps if s.kind in answered and s.id in results}
    cosmetic = {
        z.id: results[f"{s.id}.{z.id}"]
        for s in template.steps_of(StepKind.COSMETIC)
        for z in s.zones
        if f"{s.id}.{z.id}" in results
    }
    notes = {k: v for k, v in (report.get("notes") or {}).items() if isinstance(v, str)}
    return {"checklist": template.ref, "answers": answers, "cosmetic": cosmetic, "notes": notes}


def build_record(
    opened: OpenGrading,
    grade: str,
    suggested: str,
    reason: str,
    scale: GradeScale,
    *,
    grading_id: str,
    tested_at: str,
    technician: str,
    station: str,
    grade_title: Callable[[str], str],
) -> GradingRecord:
    """Freeze the grading: the variant of the committed grade, placement and hold reason from the rules."""
    session = opened.session
    template = session.template
    unit, model = opened.unit, opened.model
    variant_id = model.variant_ids_by_grade.get(grade) if model else None
    if not variant_id:
        raise KnownError(
            _("{model} has no “{grade}” variant in Odoo yet: run “Prepare Odoo” in Settings, then commit "
              "again.").format(model=opened.model_name or _("This model"), grade=grade_title(grade))
        )
    decision = decide_placement(session, grade, scale)
    battery = session.battery
    return GradingRecord(
        grading_id=grading_id,
        serial=opened.serial,
        template_id=unit.template_id if unit else model.template_id,
        variant_id=variant_id,
        model_name=opened.model_name,
        category=template.category,
        grade=grade,
        suggested_grade=suggested,
        override_reason=reason,
        placement=decision.placement,
        hold_reason=describe_all_source(decision.hold_reasons),
        hold_reasons=decision.hold_reasons,
        battery_health=battery.health if battery else None,
        battery_cycles=battery.cycles if battery else None,
        battery_source=battery.source if battery else None,
        technician=technician,
        station=station,
        tested_at=tested_at,
        checklist_id=template.id,
        checklist_version=template.version,
        results=session.results(),
        notes=dict(session.notes),
        photos=tuple(session.photos[slot] for slot in sorted(session.photos)),
        source=opened.source if unit is None else None,
        existing_lot_id=unit.lot_id if unit else None,
        existing_variant_id=unit.variant_id if unit else None,
    )
