"""The frozen snapshot of a finished grading: what the bench hands to the outbox and the Odoo gateway."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from grading_station.domain.reasons import Reason
from grading_station.domain.units import IntakeSource, Placement


@dataclass(frozen=True)
class PhotoRef:
    """A photo stored locally for a checklist slot; `sha1` lets delivery skip an attachment that exists."""

    slot: str
    path: str
    sha1: str
    filename: str


@dataclass(frozen=True)
class GradingRecord:
    """Everything a commit must deliver. `grading_id` (a UUID) is the idempotency key in Odoo (DESIGN §6)."""

    grading_id: str
    serial: str
    template_id: int
    variant_id: int  # product.product of the committed grade (the lot goes there)
    model_name: str
    category: str
    grade: str  # grade key from grades.toml ("premium", ..., "repair", "parts")
    suggested_grade: str
    override_reason: str
    placement: Placement
    hold_reason: str  # the hold reasons worded in English, as Odoo stores them (wording.describe_source)
    battery_health: int | None
    battery_cycles: int | None
    technician: str
    station: str
    tested_at: str  # ISO-8601 UTC, stamped by the service (domain code takes no clock)
    checklist_id: str
    checklist_version: int
    results: dict[str, str]  # step id -> "pass" | "fail" | "na" (or a value for input steps)
    notes: dict[str, str] = field(default_factory=dict)  # step id -> technician's remark
    photos: tuple[PhotoRef, ...] = ()
    source: IntakeSource | None = None  # set for a new intake
    existing_lot_id: int | None = None  # set for a re-grade of a live lot
    existing_variant_id: int | None = None
    hold_reasons: tuple[Reason, ...] = ()  # the same as codes, for the screens (worded in their language)
    battery_source: str | None = None  # "manual", "device (adb)"...; None without a reading (older records)

    @property
    def is_intake(self) -> bool:
        return self.existing_lot_id is None

    def to_json(self) -> dict:
        data = asdict(self)
        data["placement"] = self.placement.value
        data["source"] = self.source.value if self.source else None
        data["photos"] = [asdict(p) for p in self.photos]
        data["hold_reasons"] = [reason.to_json() for reason in self.hold_reasons]
        return data

    def report_bytes(self) -> bytes:
        """The JSON test report attached to the lot, byte for byte (the certificate's integrity code is the start
        of its SHA-256, so these bytes must not change for a given record)."""
        return json.dumps(self.to_json(), indent=2, sort_keys=True, ensure_ascii=False).encode("utf-8")

    @classmethod
    def from_json(cls, data: dict) -> GradingRecord:
        data = dict(data)
        data["placement"] = Placement(data["placement"])
        data["source"] = IntakeSource(data["source"]) if data.get("source") else None
        data["photos"] = tuple(PhotoRef(**p) for p in data.get("photos", ()))
        data["hold_reasons"] = tuple(Reason.from_json(r) for r in data.get("hold_reasons", ()))
        return cls(**data)


@dataclass(frozen=True)
class DeliveryReport:
    """What a delivered grading became in Odoo (returned by the gateway, kept in the outbox row)."""

    lot_id: int
    variant_id: int
    location: str
    rpc_calls: int
    attachment_ids: tuple[int, ...] = ()
    message_id: int | None = None
