"""The columns of each queue (titles translated when shown)."""

from __future__ import annotations

from collections.abc import Callable

from grading_station.domain.review import RetestDue, ReviewUnit

from grading_station.services.review_care import Dispute

from grading_station.ui.review.queue_table import Column

from grading_station.i18n import N_

GradeTitle = Callable[[str], str]


def _day(value: str) -> str:
    return value[:10]


def held_columns(grade: GradeTitle) -> list[Column]:
    return [
        Column(N_("Serial"), lambda u: u.serial),
        Column(N_("Model"), lambda u: u.model_name),
        Column(N_("Grade"), lambda u: grade(u.grade)),
        Column(N_("Location"), lambda u: u.location),
        Column(N_("Since"), lambda u: _day(u.in_date)),
        Column(N_("Graded by"), lambda u: u.technician),
        Column(N_("Hold reason"), lambda u: u.hold_reason),
    ]


def retest_columns(grade: GradeTitle) -> list[Column]:
    def unit(d: RetestDue) -> ReviewUnit:
        return d.unit

    return [
        Column(N_("Serial"), lambda d: unit(d).serial),
        Column(N_("Model"), lambda d: unit(d).model_name),
        Column(N_("Grade"), lambda d: grade(unit(d).grade)),
        Column(N_("Value"), lambda d: f"{unit(d).value:,.0f}", key=lambda d: unit(d).value, right=True),
        Column(N_("Days in stock"), lambda d: str(d.days_in_stock), key=lambda d: d.days_in_stock, right=True),
        Column(N_("Battery %"), lambda d: unit(d).prop("battery_health"),
               key=lambda d: int(unit(d).props.get("battery_health") or 0), right=True),
        Column(N_("Days since test"), lambda d: str(d.days_since_test), key=lambda d: d.days_since_test,
               right=True),
        Column(N_("Intake"), lambda d: unit(d).prop("intake_date") or _day(unit(d).in_date)),
    ]


def override_columns(grade: GradeTitle) -> list[Column]:
    return [
        Column(N_("Serial"), lambda u: u.serial),
        Column(N_("Model"), lambda u: u.model_name),
        Column(N_("Suggested"), lambda u: grade(u.suggested_grade)),
        Column(N_("Graded"), lambda u: grade(u.grade)),
        Column(N_("Graded by"), lambda u: u.technician),
        Column(N_("Tested"), lambda u: _day(u.prop("tested_at"))),
        Column(N_("Reason"), lambda u: u.prop("override_reason")),
    ]


def dispute_columns(grade: GradeTitle) -> list[Column]:
    def now(d: Dispute) -> str:
        return grade(d.unit.grade) if d.unit else ""

    def folder(d: Dispute) -> str:  # a return without a care folder shows its Odoo transfer
        return str(d.folder.id) if d.folder else (d.returned.picking if d.returned else "")

    def issues(d: Dispute) -> str:  # a return without a care folder: why the unit is held
        return ", ".join(issue for issue, _tag in d.folder.issues) if d.folder else (d.unit.hold_reason if d.unit
                                                                                      else "")

    return [
        Column(N_("Folder"), folder, key=lambda d: (d.folder is None, d.folder.id if d.folder else folder(d))),
        Column(N_("Opened"), lambda d: _day(d.opened)),
        Column(N_("Serial"), lambda d: d.serial),
        Column(N_("Model"), lambda d: d.unit.model_name if d.unit else (d.folder.sku if d.folder else "")),
        Column(N_("Sold as"), lambda d: grade(d.sold_grade)),
        Column(N_("Graded now"), now),
        Column(N_("Issues"), issues),
        Column(N_("Resolution"), lambda d: d.folder.resolution_choice if d.folder else ""),
        Column(N_("Warranty"), lambda d: d.folder.declared_warranty_state if d.folder else ""),
        Column(N_("Problem"), lambda d: d.problem),
        Column(N_("Returned"), lambda d: d.returned.picking if d.returned else ""),
    ]
