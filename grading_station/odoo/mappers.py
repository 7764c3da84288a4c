"""Pure mappers between Odoo's JSON shapes and the domain values (tested with recorded JSON)."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from grading_station.domain.grading import GradingRecord
from grading_station.domain.units import Lease, Unit


@dataclass(frozen=True)
class VariantInfo:
    """What the catalogue cache knows about one managed product.product."""

    variant_id: int
    template_id: int
    model_name: str
    category: str
    grade: str | None
    sku: str = ""
    defined: bool = True  # the variant carries the station's lot-property definition
    new_price: float = 0.0  # the template's sales price, the new-device price pricing starts from


def m2o_id(value: object) -> int | None:
    """A many2one as read: `[id, "name"]` or false."""
    return int(value[0]) if isinstance(value, (list, tuple)) and value else None


def m2o_name(value: object) -> str:
    return str(value[1]) if isinstance(value, (list, tuple)) and len(value) > 1 else ""


def variant_grade(row: dict, grade_of_ptav: dict[int, str | None]) -> str | None:
    """The grade key of a product.product row, from its template attribute values (PTAV ids)."""
    ptav_ids = row.get("product_template_attribute_value_ids") or []
    return next((grade_of_ptav[p] for p in ptav_ids if grade_of_ptav.get(p)), None)


def text(value: object) -> str:
    """Odoo reads an empty char as false."""
    return "" if value is False or value is None else str(value)


def properties_dict(value: object) -> dict[str, object]:
    """lot_properties as read (a list of definition dicts with "value", in definition order) -> {name: value}.
    An unset value reads false; the dict form is accepted too."""
    if isinstance(value, dict):
        return dict(value)
    result: dict[str, object] = {}
    for item in value or []:
        if isinstance(item, dict) and "name" in item:
            result[item["name"]] = item.get("value", False)
    return result


def odoo_datetime(iso: str) -> str:
    """ISO-8601 (any offset, or naive = UTC) -> Odoo's "YYYY-MM-DD HH:MM:SS" in UTC."""
    moment = datetime.fromisoformat(iso.strip().replace("Z", "+00:00"))
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def iso_datetime(odoo_value: object) -> str:
    """Odoo's UTC "YYYY-MM-DD HH:MM:SS" -> ISO-8601 with a Z ("" for false)."""
    if not odoo_value:
        return ""
    moment = datetime.fromisoformat(str(odoo_value).replace("Z", "+00:00"))
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def lease_from_properties(props: dict[str, object]) -> Lease | None:
    station = text(props.get("lease_station"))
    until = iso_datetime(props.get("lease_until"))
    return Lease(station=station, until=until) if station and until else None


def lease_expired(lease: Lease, now_iso: str) -> bool:
    return odoo_datetime(lease.until) <= odoo_datetime(now_iso)


def unit_from_lot(row: dict, info: VariantInfo | None) -> Unit:
    """A stock.lot search_read row (name, product_id, location_id, lot_properties) -> Unit."""
    props = properties_dict(row.get("lot_properties"))
    variant_id = m2o_id(row.get("product_id")) or 0
    grade = text(props.get("grade")) or (info.grade if info else None) or None
    return Unit(
        lot_id=int(row["id"]),
        serial=text(row.get("name")),
        variant_id=variant_id,
        template_id=info.template_id if info else 0,
        model_name=info.model_name if info else _strip_variant_name(m2o_name(row.get("product_id"))),
        grade=grade,
        location=m2o_name(row.get("location_id")),
        category=info.category if info else "",
        properties={k: v for k, v in props.items()},
        lease=lease_from_properties(props),
    )


def _strip_variant_name(display_name: str) -> str:
    """ "[SKU] Name (Value)" -> "Name"."""
    name = re.sub(r"^\[[^\]]*\]\s*", "", display_name)
    return re.sub(r"\s*\([^)]*\)$", "", name)


def grading_properties(record: GradingRecord, previous: dict[str, object]) -> dict[str, object]:
    """The complete lot_properties value after this grading. A write replaces the whole dict, so every key we
    don't set here is carried over from `previous` (warranty, listing state, other people's properties);
    the lease ends with the commit."""
    values = dict(previous)
    values.update(
        grade=record.grade,
        battery_health=record.battery_health if record.battery_health is not None else False,
        battery_cycles=record.battery_cycles if record.battery_cycles is not None else False,
        battery_source=record.battery_source or False,
        tested_at=odoo_datetime(record.tested_at),
        technician=record.technician,
        station=record.station,
        checklist=f"{record.checklist_id}@{record.checklist_version}",
        outcome=record.placement.value,
        hold_reason=record.hold_reason or False,
        grading_id=record.grading_id,
        lease_station=False,
        lease_until=False,
        suggested_grade=record.suggested_grade or False,
        override_reason=record.override_reason if record.grade != record.suggested_grade else False,
        # the first intake's day stays with the unit through every re-grade (the supervisor's aged-stock queue)
        intake_date=previous.get("intake_date")
        or (odoo_datetime(record.tested_at)[:10] if record.is_intake else False),
    )
    if record.source is not None:
        values["source"] = record.source.value
    return values


def note_html(record: GradingRecord, grade_name: str, suggested_name: str, location: str) -> str:
    """The HTML summary posted in the lot's chatter (a note; the full report is the JSON attachment)."""
    e = html.escape
    kind = "Intake" if record.is_intake else "Re-grade"
    lines = [
        f"<p><b>{e(kind)}: graded {e(grade_name)}</b> by {e(record.technician)} at {e(record.station)}</p>",
        "<ul>",
    ]
    if record.grade != record.suggested_grade:
        lines.append(f"<li>Suggested {e(suggested_name)}; override: {e(record.override_reason)}</li>")
    if record.battery_health is not None:
        cycles = f", {record.battery_cycles} cycles" if record.battery_cycles is not None else ""
        source = f" ({e(record.battery_source)})" if record.battery_source else ""
        lines.append(f"<li>Battery {record.battery_health}%{cycles}{source}</li>")
    failed = [step for step, result in record.results.items() if result == "fail"]
    lines.append(
        f"<li>Checklist {e(record.checklist_id)}@{record.checklist_version}: "
        f"{len(record.results)} checks, {len(failed)} failed"
        f"{': ' + e(', '.join(failed)) if failed else ''}</li>"
    )
    lines.append(f"<li>Placed in {e(location)}</li>")
    if record.hold_reason:
        lines.append(f"<li>Held: {e(record.hold_reason)}</li>")
    for step, remark in record.notes.items():
        lines.append(f"<li>{e(step)}: {e(remark)}</li>")
    lines.append(f"<li>Grading {e(record.grading_id)}</li></ul>")
    return "".join(lines)


def plain_text(body_html: str) -> str:
    """Chatter HTML -> readable text for the history list."""
    spaced = re.sub(r"</(p|li|div)>|<br\s*/?>", "\n", str(body_html or ""))
    return html.unescape(re.sub(r"<[^>]+>", "", spaced)).strip()


def history_entry(row: dict) -> dict:
    """A mail.message row -> {"date", "author", "body", "body_html"}."""
    return {
        "date": iso_datetime(row.get("date")),
        "author": m2o_name(row.get("author_id")),
        "body": plain_text(text(row.get("body"))),
        "body_html": text(row.get("body")),
    }
