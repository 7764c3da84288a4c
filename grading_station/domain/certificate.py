"""The buyer's certificate of one graded unit as pure content, its integrity code and its QR code's text.

Words stay in the source language (the titles of resources/grades.toml and the checklists): the renderer
translates them into the buyer's language. The integrity code is the first 12 hex digits of the SHA-256 of the
test report attached to the lot (`sha256sum test-report-*.json` shows it): a changed grade, battery reading or
date gives another code.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from urllib.parse import quote

from grading_station.domain.checklist_template import ChecklistTemplate, StepKind
from grading_station.domain.grade_scale import GradeScale
from grading_station.domain.grading import GradingRecord

WARRANTY_MONTHS = 12  # Back Market's minimum, counted from delivery when no end date is set on the lot
CODE_LENGTH = 12
PASSED, NOT_APPLICABLE, NOTED = "pass", "na", "noted"  # a check's outcome as the certificate states it
_OUTCOMES = {"pass": PASSED, "yes": PASSED, "na": NOT_APPLICABLE, "fail": NOTED, "no": NOTED}
_CHECK_KINDS = (StepKind.PASS_FAIL, StepKind.CONFIRM)


def certificate_filename(serial: str) -> str:
    """The attachment's name on the lot; one per lot, so a retry finds the one already there."""
    return f"certificate-{serial}.pdf"


def integrity_code(record: GradingRecord) -> str:
    """12 upper-case hex digits of the SHA-256 of the record's test report (the file attached to the lot)."""
    return hashlib.sha256(record.report_bytes()).hexdigest()[:CODE_LENGTH].upper()


def verification_text(base_url: str, serial: str, code: str) -> str:
    """What the QR code carries: `base_url` + "/<serial>?code=<code>" (or the base with {serial} and {code}
    filled in); without a base URL a plain "GS-CERT:<serial>:<code>" a support desk can check by hand."""
    base = base_url.strip()
    if not base:
        return f"GS-CERT:{serial}:{code}"
    if "{serial}" in base or "{code}" in base:
        return base.replace("{serial}", quote(serial, safe="")).replace("{code}", code)
    return f"{base.rstrip('/')}/{quote(serial, safe='')}?code={code}"


@dataclass(frozen=True)
class CertificateFile:
    """A certificate as Odoo keeps it on its lot (what the picker prints for the parcel)."""

    attachment_id: int
    name: str
    data: bytes


@dataclass(frozen=True)
class CheckLine:
    """One test or confirmation of the checklist: its title (source language) and PASSED/NOT_APPLICABLE/NOTED."""

    title: str
    outcome: str


@dataclass(frozen=True)
class CertificatePhoto:
    """A photo of the unit: the slot's title (source language) and the file on this station."""

    title: str
    path: str


@dataclass(frozen=True)
class CertificateContent:
    """What the certificate of one unit says. `warranty_end` is an ISO date, "" for WARRANTY_MONTHS from
    delivery; `verify_text` is what its QR code carries."""

    serial: str
    model_name: str
    grade: str
    grade_title: str
    grade_meaning: str
    battery_health: int | None
    battery_cycles: int | None
    checks: tuple[CheckLine, ...]
    photos: tuple[CertificatePhoto, ...]
    warranty_end: str
    tested_at: str
    technician: str
    code: str
    verify_text: str
    warranty_months: int = WARRANTY_MONTHS

    @property
    def passed(self) -> int:
        return sum(1 for c in self.checks if c.outcome == PASSED)

    @property
    def applicable(self) -> int:
        return sum(1 for c in self.checks if c.outcome != NOT_APPLICABLE)

    def fingerprint(self, language: str) -> str:
        """Changes whenever the document would read differently (new grading, warranty date, language): the
        attachment on the lot is replaced only then."""
        data = json.dumps({"language": language, **asdict(self)}, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]


def certificate_content(
    record: GradingRecord,
    scale: GradeScale,
    template: ChecklistTemplate | None = None,
    *,
    warranty_end: str = "",
    verify_base_url: str = "",
) -> CertificateContent:
    """The certificate of `record`; `template` (the record's checklist) names its checks and photo slots (without
    it they show their ids); `warranty_end` comes from the lot's property when the unit has one."""
    grade = next((g for g in scale.grades if g.key == record.grade), None)
    code = integrity_code(record)
    return CertificateContent(
        serial=record.serial,
        model_name=record.model_name,
        grade=record.grade,
        grade_title=grade.title if grade else record.grade,
        grade_meaning=grade.description if grade else "",
        battery_health=record.battery_health,
        battery_cycles=record.battery_cycles,
        checks=_checks(record, template),
        photos=_photos(record, template),
        warranty_end=(warranty_end or "")[:10],
        tested_at=record.tested_at,
        technician=record.technician,
        code=code,
        verify_text=verification_text(verify_base_url, record.serial, code),
    )


def _checks(record: GradingRecord, template: ChecklistTemplate | None) -> tuple[CheckLine, ...]:
    if template is None:
        steps = [(step_id, step_id) for step_id in record.results if "." not in step_id]
    else:
        steps = [(s.id, s.title) for s in template.steps if s.kind in _CHECK_KINDS]
    return tuple(
        CheckLine(title, _OUTCOMES[record.results[step_id]])
        for step_id, title in steps
        if record.results.get(step_id) in _OUTCOMES
    )


def _photos(record: GradingRecord, template: ChecklistTemplate | None) -> tuple[CertificatePhoto, ...]:
    titles = {} if template is None else {o.id: o.title for s in template.steps_of(StepKind.PHOTOS) for o in s.slots}
    order = list(titles)
    ranked = sorted(record.photos, key=lambda p: order.index(p.slot) if p.slot in titles else len(order))
    return tuple(CertificatePhoto(titles.get(p.slot, p.slot), p.path) for p in ranked)
