"""Grading a unit at the bench: identify, lease, checklist with a draft saved at every step, grade, commit.

Qt-free. Each method is one blocking step the screen runs off the GUI thread and answers with a snapshot:
`lookup`, `history`, `search_models`, `renew_lease`, `release_lease` talk to Odoo (network pool); the others
touch only the local store (the single SQLite worker). A lock keeps the open grading consistent between them.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from grading_station.domain.battery import parse_reading
from grading_station.domain.checklist import ChecklistSession, ChecklistTemplate, StepKind
from grading_station.domain.grades import GradeScale, suggest_grade, validate_override
from grading_station.domain.grading import GradingRecord, PhotoRef
from grading_station.domain.identifiers import DEFAULT_SERIAL_PATTERNS, SerialPattern, parse_scan
from grading_station.domain.placement import decide_placement
from grading_station.domain.units import CatalogueModel, IntakeSource, Lease, Unit

from grading_station.services.bench_models import (
    CommitSummary,
    DeliveryView,
    GradeAdvice,
    NewIntake,
    PhotoView,
    SessionView,
    UnitFound,
    UnitLeased,
)
from grading_station.services.bench_photos import check_photo
from grading_station.services.bench_store import BenchStore
from grading_station.services.bench_views import NONE_TICKED, session_view
from grading_station.services.ports import UnitDirectory

from grading_station import log
from grading_station.errors import InputError, KnownError


@dataclass(frozen=True)
class BenchIdentity:
    """Who grades where: written on every record and lease."""

    station: str
    technician: str


@dataclass
class _Open:
    """The grading in progress (service-private, mutated under the service's lock)."""

    serial: str
    session: ChecklistSession
    unit: Unit | None
    model: CatalogueModel | None
    source: IntakeSource | None
    thumbnails: dict[str, PhotoView]


class GradingService:
    """One bench's grading use case. `templates` maps checklist category -> template; `clock` returns an aware
    UTC datetime (stamped on records and leases); `new_id` makes grading ids."""

    def __init__(
        self,
        directory: UnitDirectory,
        store: BenchStore,
        templates: dict[str, ChecklistTemplate],
        scale: GradeScale,
        identity: BenchIdentity,
        *,
        serial_patterns: Sequence[SerialPattern] = DEFAULT_SERIAL_PATTERNS,
        scan_prefix: str = "",
        scan_suffix: str = "",
        lease_minutes: int = 30,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        new_id: Callable[[], str] = lambda: str(uuid.uuid4()),
    ) -> None:
        self.directory = directory
        self.store = store
        self.templates = templates
        self.scale = scale
        self.identity = identity
        self.serial_patterns = tuple(serial_patterns) or DEFAULT_SERIAL_PATTERNS
        self.scan_prefix = scan_prefix
        self.scan_suffix = scan_suffix
        self.lease_minutes = lease_minutes
        self.clock = clock
        self.new_id = new_id
        self._lock = threading.RLock()
        self._open: _Open | None = None
        self._units: dict[str, Unit] = {}  # serial -> unit we hold a lease on (to release it)

    # -- identification (pure: may run on the GUI thread) ---------------------------------------------------
    def identify(self, raw: str) -> str:
        """The normalised serial or IMEI of a raw scan; InputError says what is wrong with it."""
        return parse_scan(raw, self.scan_prefix, self.scan_suffix, self.serial_patterns).value

    def grade_title(self, key: str | None) -> str:
        if not key:
            return "not graded yet"
        return next((g.title for g in self.scale.grades if g.key == key), key)

    # -- Odoo (network pool) --------------------------------------------------------------------------------
    def lookup(self, serial: str) -> UnitFound | UnitLeased | NewIntake:
        """Find the live lot (one RPC) and take its lease (unless another bench holds one)."""
        unit = self.directory.find_unit(serial)
        if unit is None:
            return NewIntake(serial)
        title = self.grade_title(unit.grade)
        now = self._now()
        held = unit.lease
        if held and held.station != self.identity.station and held.until > _iso(now):
            return UnitLeased(unit, held, title)
        lease = self.directory.take_lease(unit, self.identity.station, _iso(self._lease_end(now)), _iso(now))
        if lease.station != self.identity.station:
            return UnitLeased(unit, lease, title)
        with self._lock:
            self._units[serial] = unit
        return UnitFound(replace(unit, lease=lease), lease, title)

    def renew_lease(self, serial: str) -> UnitFound | UnitLeased | NewIntake:
        """After a restart: look the resumed unit up again and take its lease back."""
        return self.lookup(serial)

    def release_lease(self, serial: str) -> None:
        with self._lock:
            unit = self._units.pop(serial, None)
        if unit is not None:
            self.directory.release_lease(unit, self.identity.station)

    def history(self, lot_id: int) -> list[dict]:
        return self.directory.unit_history(lot_id)

    def search_models(self, text: str) -> list[CatalogueModel]:
        return self.directory.search_models(text)

    # -- starting, resuming (store worker) ------------------------------------------------------------------
    def begin_regrade(self, unit: Unit, lease: Lease | None = None) -> SessionView:
        models = [
            m for m in self.directory.search_models(unit.model_name) if m.template_id == unit.template_id
        ]
        return self._begin(unit.serial, unit, models[0] if models else None, None, unit.category)

    def begin_intake(self, serial: str, model: CatalogueModel, source: IntakeSource) -> SessionView:
        return self._begin(serial, None, model, source, model.category)

    def _begin(
        self,
        serial: str,
        unit: Unit | None,
        model: CatalogueModel | None,
        source: IntakeSource | None,
        category: str,
    ) -> SessionView:
        template = self._template(category)
        draft = self.store.load_draft(serial)
        resumed = draft is not None and draft.get("checklist") == template.ref
        session = (
            ChecklistSession.from_json(draft["session"], template) if resumed else ChecklistSession(template)
        )
        opened = _Open(serial, session, unit, model, source, {})
        with self._lock:
            self._open = opened
            self._save()
        return self._view(resumed=resumed)

    def resume(self) -> SessionView | None:
        """The grading that was open when the app stopped (crash, power cut), restored from its draft."""
        draft = self.store.latest_draft()
        if draft is None:
            return None
        template = self.templates.get(draft.get("category", ""))
        if template is None or template.ref != draft.get("checklist"):
            log.store.info(
                "draft of %s is for checklist %s, no longer used", draft["serial"], draft.get("checklist")
            )
            template = template or self._template(draft.get("category", ""))
        session = ChecklistSession.from_json(draft["session"], template)
        unit = _unit(draft["unit"]) if draft.get("unit") else None
        model = _model(draft["model"]) if draft.get("model") else None
        source = IntakeSource(draft["source"]) if draft.get("source") else None
        thumbnails = {}
        for slot, ref in session.photos.items():
            try:
                checked = check_photo(Path(ref.path).read_bytes(), ref.filename)
                thumbnails[slot] = PhotoView(slot, ref.filename, checked.thumbnail_png)
            except (OSError, KnownError):
                session = session.without_photo(slot)  # the file is gone: the slot must be filled again
        with self._lock:
            self._open = _Open(draft["serial"], session, unit, model, source, thumbnails)
            if unit is not None:
                self._units[unit.serial] = unit
        return self._view(resumed=True)

    # -- answering (store worker) ---------------------------------------------------------------------------
    def record_answer(self, step_id: str, value: str) -> None:
        """Save one answer of the screen (a step, or a cosmetic zone as "<step>.<zone>") to the draft at once."""
        with self._lock:
            opened = self._require_open()
            template = opened.session.template
            step_key, _, zone = step_id.partition(".")
            step = template.step(step_key)
            if step.kind == StepKind.COSMETIC:
                self.scale.condition(value)
                opened.session = opened.session.with_cosmetic(zone, value)
            elif step.kind == StepKind.CHOICE and step.multiple:
                picked = [] if value in ("", NONE_TICKED) else value.split(",")
                opened.session = opened.session.answer(step.id, picked)
            else:
                opened.session = opened.session.answer(step.id, value)
            self._save()

    def record_battery(self, health_text: str, cycles_text: str) -> tuple[int, int | None]:
        """Check and save the battery reading; InputError says why it is refused (e.g. "140 % is not possible")."""
        with self._lock:
            opened = self._require_open()
            steps = opened.session.template.steps_of(StepKind.BATTERY)
            required = any(s.cycles_required for s in steps)
            reading = parse_reading(health_text, cycles_text, cycles_required=required)
            opened.session = opened.session.with_battery(reading)
            self._save()
            return reading.health, reading.cycles

    def add_photo_file(self, slot: str, path: str) -> PhotoView:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise InputError(f"“{Path(path).name}” cannot be read: {exc.strerror}.", detail=str(exc)) from exc
        return self.add_photo(slot, data, Path(path).name)

    def add_photo(self, slot: str, data: bytes, filename: str) -> PhotoView:
        """Check the image, store it under the open grading and record it in the draft."""
        checked = check_photo(data, filename or slot)
        with self._lock:
            opened = self._require_open()
            name = f"{opened.serial}-{slot}{checked.extension}"
            stored = self.store.save_photo(opened.serial, name, data)
            ref = PhotoRef(slot=slot, path=str(stored.path), sha1=stored.sha1, filename=name)
            opened.session = opened.session.with_photo(ref)
            view = PhotoView(slot, name, checked.thumbnail_png)
            opened.thumbnails[slot] = view
            self._save()
        return view

    # -- grade and commit (store worker) --------------------------------------------------------------------
    def suggest(self) -> GradeAdvice:
        with self._lock:
            session = self._require_open().session
        suggestion = suggest_grade(session.template, session, self.scale)
        return GradeAdvice(
            grade=suggestion.grade,
            reasons=tuple(suggestion.reasons),
            choices=tuple((g.key, g.title) for g in self.scale.grades),
            hold_reasons=tuple(suggestion.hold_reasons),
            complete=suggestion.complete,
            sellable=tuple(g.key for g in self.scale.sellable),
        )

    def commit(self, grade: str, override_reason: str = "") -> CommitSummary:
        """Freeze the grading into a GradingRecord, then in ONE local transaction close the draft and queue the
        "odoo.grading" outbox item (plus the audit entry of an override). Odoo is not called here."""
        with self._lock:
            opened = self._require_open()
            session = opened.session
            suggestion = suggest_grade(session.template, session, self.scale)
            reason = validate_override(self.scale, suggestion.grade, grade, override_reason)
            record = self._record(opened, grade, suggestion.grade, reason)
            outbox_id = self.store.commit_grading(opened.serial, record)
            self._open = None
        log.app.info(
            "graded %s as %s (%s)",
            record.serial,
            grade,
            record.placement.value,
            extra={"event": "grading_committed"},
        )
        return CommitSummary(
            record.grading_id,
            record.serial,
            record.model_name,
            self.grade_title(grade),
            record.placement.value,
            record.hold_reason,
            outbox_id,
            grade != suggestion.grade,
        )

    def _record(self, opened: _Open, grade: str, suggested: str, reason: str) -> GradingRecord:
        session = opened.session
        template = session.template
        model = opened.model
        variant_id = model.variant_ids_by_grade.get(grade) if model else None
        if not variant_id:
            raise KnownError(
                f"The model has no “{self.grade_title(grade)}” variant in Odoo yet: run "
                "“Prepare Odoo” in Settings, then commit again."
            )
        decision = decide_placement(session, grade, self.scale)
        unit = opened.unit
        battery = session.battery
        return GradingRecord(
            grading_id=self.new_id(),
            serial=opened.serial,
            template_id=unit.template_id if unit else model.template_id,
            variant_id=variant_id,
            model_name=unit.model_name if unit else model.name,
            category=template.category,
            grade=grade,
            suggested_grade=suggested,
            override_reason=reason,
            placement=decision.placement,
            hold_reason=decision.hold_reason,
            battery_health=battery.health if battery else None,
            battery_cycles=battery.cycles if battery else None,
            technician=self.identity.technician,
            station=self.identity.station,
            tested_at=_iso(self._now()),
            checklist_id=template.id,
            checklist_version=template.version,
            results=session.results(),
            notes=dict(session.notes),
            photos=tuple(session.photos[slot] for slot in sorted(session.photos)),
            source=opened.source if unit is None else None,
            existing_lot_id=unit.lot_id if unit else None,
            existing_variant_id=unit.variant_id if unit else None,
        )

    def delivery_state(self, outbox_id: int) -> DeliveryView:
        return self.store.delivery_state(outbox_id)

    def discard(self) -> None:
        """Drop the open grading and its draft (the technician starts the unit over)."""
        with self._lock:
            opened, self._open = self._open, None
            if opened is not None:
                self.store.discard_draft(opened.serial)

    # -- helpers --------------------------------------------------------------------------------------------
    def _require_open(self) -> _Open:
        if self._open is None:
            raise InputError("No unit is being graded: scan one first.")
        return self._open

    def _template(self, category: str) -> ChecklistTemplate:
        template = self.templates.get(category)
        if template is None:
            raise KnownError(
                f"There is no checklist for the category “{category or 'unknown'}”: set the "
                "model's product category in Odoo (Phones, Tablets or Laptops)."
            )
        return template

    def _save(self) -> None:
        opened = self._open
        self.store.save_draft(
            opened.serial,
            {
                "serial": opened.serial,
                "category": opened.session.template.category,
                "checklist": opened.session.template.ref,
                "session": opened.session.to_json(),
                "unit": _unit_json(opened.unit),
                "model": _model_json(opened.model),
                "source": opened.source.value if opened.source else None,
            },
        )

    def _view(self, resumed: bool) -> SessionView:
        opened = self._require_open()
        conditions = [(c.key, c.title) for c in self.scale.conditions]
        return session_view(
            opened.serial,
            opened.session,
            conditions,
            dict(opened.thumbnails),
            unit=opened.unit,
            model=opened.model,
            source=opened.source,
            resumed=resumed,
        )

    def _now(self) -> datetime:
        return self.clock().astimezone(UTC)

    def _lease_end(self, now: datetime) -> datetime:
        return now + timedelta(minutes=self.lease_minutes)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _unit_json(unit: Unit | None) -> dict | None:
    if unit is None:
        return None
    data = asdict(unit)
    data["lease"] = None  # a lease belongs to the moment; it is taken again on resume
    return data


def _unit(data: dict) -> Unit:
    return Unit(**{**data, "lease": None})


def _model_json(model: CatalogueModel | None) -> dict | None:
    return asdict(model) if model else None


def _model(data: dict) -> CatalogueModel:
    return CatalogueModel(**data)
