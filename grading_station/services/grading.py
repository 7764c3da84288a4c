"""Grading a unit at the bench: identify, lease, checklist saved to the draft at every step, grade, commit.

Qt-free. Each method is one blocking step that the screen runs off the GUI thread and that answers with a
snapshot (bench_models): `lookup`, `history`, `search_models`, `release_lease` talk to Odoo; the others touch
only the local store. A lock keeps the open grading consistent whichever worker thread calls.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from grading_station.domain.battery import MANUAL, parse_reading
from grading_station.domain.checklist import ChecklistSession, ChecklistTemplate, StepKind
from grading_station.domain.grades import NOT_FINAL, NOT_FINAL_COUNT, GradeScale, suggest_grade, validate_override
from grading_station.domain.identifiers import DEFAULT_SERIAL_PATTERNS, SerialPattern, parse_scan
from grading_station.domain.reasons import Reason
from grading_station.domain.units import CatalogueModel, IntakeSource, Unit

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
from grading_station.services.bench_record import OpenGrading, answers_from_report, build_record
from grading_station.services.bench_store import BenchStore
from grading_station.services.bench_views import NONE_TICKED, session_view
from grading_station.services.offline import UnitCachePort, search_cached
from grading_station.services.ports import UnitDirectory

from grading_station import log
from grading_station.errors import InputError, KnownError, RemoteUnavailable
from grading_station.i18n import _, current_locale
from grading_station.wording import describe, describe_all


@dataclass(frozen=True)
class BenchIdentity:
    """Who grades where: written on every record and lease."""

    station: str
    technician: str


class GradingService:
    """One bench's grading use case. `templates` maps a checklist category to its template; `clock` returns an
    aware datetime (stamped on records and leases); `new_id` makes grading ids (the idempotency key);
    `cache` (optional) keeps the units and models seen, so a scan is still looked up while Odoo is down."""

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
        cache: UnitCachePort | None = None,
    ) -> None:
        self.directory = directory
        self.store = store
        self.templates = templates
        self.scale = scale
        self.identity = identity
        self.serial_patterns = tuple(serial_patterns) or DEFAULT_SERIAL_PATTERNS
        self.scan_prefix, self.scan_suffix = scan_prefix, scan_suffix
        self.lease_minutes = lease_minutes
        self.clock = clock
        self.new_id = new_id
        self.cache = cache
        self._lock = threading.RLock()
        self._open: OpenGrading | None = None
        self._leased: dict[str, Unit] = {}  # serial -> unit whose lease this bench holds

    # -- pure: may run on the GUI thread -----------------------------------------------------------
    def identify(self, raw: str) -> str:
        """The normalised serial or IMEI of a raw scan; InputError says what is wrong with it."""
        return parse_scan(raw, self.scan_prefix, self.scan_suffix, self.serial_patterns).value

    def grade_title(self, key: str | None) -> str:
        if not key:
            return _("not graded yet")
        return next((_(g.title) for g in self.scale.grades if g.key == key), key)

    # -- Odoo --------------------------------------------------------------------------------------
    def find(self, serial: str) -> UnitFound | UnitLeased | NewIntake:
        """The live lot in ONE RPC, shown at once (a look-up: no lease, no draft): a UnitFound without a
        lease yet (`claim` takes it), another bench's unexpired lease (read from the lot's properties), or a
        new intake. With Odoo down: the unit from the local cache (`cached_at` says since when), or an
        offline intake when the cache does not know the serial."""
        try:
            unit = self.directory.find_unit(serial)
        except RemoteUnavailable:
            if self.cache is None:
                raise
            return self._find_cached(serial)
        if unit is None:
            return NewIntake(serial)
        title = self.grade_title(unit.grade)
        held = unit.lease
        if held and held.station != self.identity.station and held.until > _iso(self.clock().astimezone(UTC)):
            return UnitLeased(unit, held, title)
        model = self._model_of(unit)
        self._remember(unit, model)
        return UnitFound(unit, None, title, model, hold_reason_of(unit))

    def _find_cached(self, serial: str) -> UnitFound | NewIntake:
        hit = self.cache.unit(serial)
        log.app.info("Odoo unreachable: %s looked up in the local cache (%s)", serial, "hit" if hit else "miss")
        if hit is None:
            return NewIntake(serial, offline=True)
        unit, seen_at = hit
        model = next((m for m in self.cache.models() if m.template_id == unit.template_id), None)
        return UnitFound(unit, None, self.grade_title(unit.grade), model, hold_reason_of(unit), cached_at=seen_at)

    def _remember(self, unit: Unit, model: CatalogueModel | None) -> None:
        if self.cache is None:
            return
        try:
            self.cache.remember_unit(unit)
            if model is not None:
                self.cache.remember_models([model])
        except KnownError as exc:  # the cache is a convenience: a full disk must not stop the look-up
            log.store.info("unit cache not updated: %s", exc)

    def claim(self, found: UnitFound) -> UnitFound | UnitLeased:
        """Take (or renew) this bench's lease on a found unit; another bench may have taken it meanwhile.
        A unit from the offline cache is graded without a lease when Odoo is still down."""
        unit = found.unit
        now = self.clock().astimezone(UTC)
        until = now + timedelta(minutes=self.lease_minutes)
        try:
            lease = self.directory.take_lease(unit, self.identity.station, _iso(until), _iso(now))
        except RemoteUnavailable:
            if not found.cached_at:
                raise
            return found
        if lease.station != self.identity.station:
            return UnitLeased(unit, lease, found.grade_title)
        with self._lock:
            self._leased[unit.serial] = unit
        return replace(found, unit=replace(unit, lease=lease), lease=lease)

    def lookup(self, serial: str) -> UnitFound | UnitLeased | NewIntake:
        """`find` then `claim`: the unit with this bench's lease taken (used to renew the lease)."""
        outcome = self.find(serial)
        return self.claim(outcome) if isinstance(outcome, UnitFound) else outcome

    def release_lease(self, serial: str) -> None:
        with self._lock:
            unit = self._leased.pop(serial, None)
        if unit is not None:
            self.directory.release_lease(unit, self.identity.station)

    def history(self, lot_id: int) -> list[dict]:
        return self.directory.unit_history(lot_id)

    def search_models(self, text: str) -> list[CatalogueModel]:
        """Odoo's catalogue (remembered in the cache), or the cached copy while Odoo is down."""
        try:
            hits = self.directory.search_models(text)
        except RemoteUnavailable:
            if self.cache is None:
                raise
            return search_cached(self.cache.models(), text)
        if self.cache is not None and hits:
            self.cache.remember_models(hits)
        return hits

    # -- starting and resuming (local) -------------------------------------------------------------
    def begin_regrade(self, unit: Unit, model: CatalogueModel | None = None) -> SessionView:
        """Open the checklist of a found unit (resuming this bench's draft of it, if there is one)."""
        model = model or self._model_of(unit)
        opened = OpenGrading(
            unit.serial, ChecklistSession(self._template(unit.category)), unit=unit, model=model
        )
        return self._begin(opened)

    def earlier_answers(self, unit: Unit) -> dict | None:
        """The previous grading's answers (a session's draft JSON): this station's last commit of the unit
        from the local cache, else the lot's test report in Odoo (1 RPC); None when neither is there."""
        template = self._template(unit.category)
        local = self.cache.answers(unit.serial) if self.cache is not None else None
        if local and local.get("checklist") == template.ref:
            return local
        try:
            report = self.directory.last_test_report(unit.lot_id)
        except RemoteUnavailable:
            return None  # offline: what the lot's properties say (the battery) is filled in
        return answers_from_report(report, template) if report else None

    def begin_completion(
        self, unit: Unit, model: CatalogueModel | None = None, earlier: dict | None = None
    ) -> SessionView:
        """Complete a held unit's record: the checklist opens with the `earlier` answers (`earlier_answers`)
        and the battery reading of the lot's properties, so only what is missing is left open; the commit
        goes through the outbox like any grading (complete: WH/Hold → WH/Stock)."""
        model = model or self._model_of(unit)
        template = self._template(unit.category)
        if earlier and earlier.get("checklist") == template.ref:
            session = ChecklistSession.from_json(earlier, template)
        else:
            session = ChecklistSession(template)
        if session.battery is None and unit.properties.get("battery_health"):
            cycles = unit.properties.get("battery_cycles")
            try:
                reading = parse_reading(
                    str(unit.properties["battery_health"]), str(cycles) if cycles else "", cycles_required=False
                )
                session = session.with_battery(replace(reading, source=unit.properties.get("battery_source") or MANUAL))
            except InputError:
                pass  # an odd value in Odoo: the technician measures again
        opened = OpenGrading(unit.serial, session, unit=unit, model=model)
        self._load_thumbnails(opened)
        with self._lock:
            self._open = opened
            self.store.save_draft(opened.to_draft())
            return replace(self._view(resumed=False), completing=True)

    def _model_of(self, unit: Unit) -> CatalogueModel | None:
        """The unit's catalogue model (from the gateway's cache: no RPC unless the model is new to it)."""
        hits = self.search_models(unit.model_name)
        return next((m for m in hits if m.template_id == unit.template_id), None)

    def begin_intake(self, serial: str, model: CatalogueModel, source: IntakeSource) -> SessionView:
        opened = OpenGrading(
            serial, ChecklistSession(self._template(model.category)), model=model, source=source
        )
        return self._begin(opened)

    def _begin(self, opened: OpenGrading) -> SessionView:
        draft = self.store.open_draft()
        resumed = bool(
            draft
            and draft.get("serial") == opened.serial
            and draft.get("checklist") == opened.session.template.ref
        )
        if resumed:
            opened.session = OpenGrading.from_draft(draft, opened.session.template).session
            self._load_thumbnails(opened)
        with self._lock:
            self._open = opened
            self.store.save_draft(opened.to_draft())
            return self._view(resumed)

    def resume(self) -> SessionView | None:
        """The grading that was open when the app stopped (crash, power cut), restored from the draft."""
        draft = self.store.open_draft()
        if not draft or "serial" not in draft:
            return None
        template = self.templates.get(draft.get("category", ""))
        if template is None:
            log.app.info("draft of %s is for an unknown category; not resumed", draft["serial"])
            return None
        opened = OpenGrading.from_draft(draft, template)
        self._load_thumbnails(opened)
        with self._lock:
            self._open = opened
            if opened.unit is not None:
                self._leased[opened.serial] = opened.unit
            return self._view(resumed=True)

    def _load_thumbnails(self, opened: OpenGrading) -> None:
        for slot, ref in list(opened.session.photos.items()):
            thumb = self.store.thumbnail(ref)
            if thumb is None:
                opened.session = opened.session.without_photo(slot)  # the file is gone: take it again
            else:
                opened.thumbnails[slot] = thumb

    # -- answering (local) -------------------------------------------------------------------------
    def record_answer(self, step_id: str, value: str) -> None:
        """Save one answer of the screen (a step, or a cosmetic zone "<step>.<zone>") to the draft at once."""
        with self._lock:
            opened = self._require_open()
            step_key, _, zone = step_id.partition(".")
            step = opened.session.template.step(step_key)
            if step.kind == StepKind.COSMETIC:
                self.scale.condition(value)
                opened.session = opened.session.with_cosmetic(zone, value)
            elif step.kind == StepKind.CHOICE and step.multiple:
                picked = [] if value in ("", NONE_TICKED) else value.split(",")
                opened.session = opened.session.answer(step.id, picked)
            else:
                opened.session = opened.session.answer(step.id, value)
            self.store.save_draft(opened.to_draft())

    def record_battery(
        self, health_text: str, cycles_text: str, source: str = MANUAL
    ) -> tuple[int, int | None, str]:
        """Check and save the reading; InputError says why it is refused (e.g. "140 % is not possible").
        `source` is MANUAL, or "device (<probe>)" when the values are the ones read from the unit."""
        with self._lock:
            opened = self._require_open()
            required = any(s.cycles_required for s in opened.session.template.steps_of(StepKind.BATTERY))
            reading = replace(parse_reading(health_text, cycles_text, cycles_required=required,
                                            locale=current_locale()), source=source)
            opened.session = opened.session.with_battery(reading)
            self.store.save_draft(opened.to_draft())
            return reading.health, reading.cycles, reading.source

    def record_note(self, step_id: str, text: str) -> str:
        """Save the technician's remark on a step (a cosmetic zone's goes to its step); "" removes it.
        The remark is part of the record: the JSON test report and the chatter summary carry it."""
        with self._lock:
            opened = self._require_open()
            step_key = step_id.partition(".")[0]
            opened.session = opened.session.with_note(step_key, text)
            self.store.save_draft(opened.to_draft())
            return opened.session.notes.get(step_key, "")

    def add_photo_file(self, slot: str, path: str) -> PhotoView:
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError as exc:
            raise InputError(_("{path} cannot be read: {reason}.").format(path=path, reason=exc.strerror or exc),
                             detail=str(exc)) from exc
        return self.add_photo(slot, data, path.rsplit("/", 1)[-1])

    def add_photo(self, slot: str, data: bytes, name: str) -> PhotoView:
        """Check and keep an image for a photo slot of the open grading (file, drop or camera still)."""
        self._require_open()
        ref, thumbnail = self.store.save_photo(slot, data, name or slot)  # decoding: outside the lock
        with self._lock:
            opened = self._require_open()
            opened.session = opened.session.with_photo(ref)
            opened.thumbnails[slot] = thumbnail
            self.store.save_draft(opened.to_draft())
        return PhotoView(slot, ref.filename, thumbnail)

    # -- grade and commit (local) ------------------------------------------------------------------
    def suggest(self) -> GradeAdvice:
        with self._lock:
            session = self._require_open().session
        suggestion = suggest_grade(session.template, session, self.scale)
        return GradeAdvice(
            grade=suggestion.grade,
            reasons=tuple(describe(_counted(reason)) for reason in suggestion.reasons),
            choices=tuple((g.key, _(g.title)) for g in self.scale.grades),
            hold_reasons=tuple(describe(reason) for reason in suggestion.hold_reasons),
            complete=suggestion.complete,
            sellable=tuple(g.key for g in self.scale.sellable),
        )

    def commit(self, grade: str, override_reason: str = "") -> CommitSummary:
        """Freeze the grading into a GradingRecord, then in ONE local transaction close the draft and queue it
        for Odoo (with the audit entry of an override). Odoo itself is not called here."""
        with self._lock:
            opened = self._require_open()
            suggested = suggest_grade(opened.session.template, opened.session, self.scale).grade
            reason = validate_override(self.scale, suggested, grade, override_reason)
            record = build_record(
                opened,
                grade,
                suggested,
                reason,
                self.scale,
                grading_id=self.new_id(),
                tested_at=_iso(self.clock()),
                technician=self.identity.technician,
                station=self.identity.station,
                grade_title=self.grade_title,
            )
            outbox_id = self.store.commit_grading(record)
            self._open = None
            session_json = opened.session.to_json()
            # The delivered properties clear the lease ("the lease ends with the commit"); releasing it here too
            # would be a second read-modify-write of lot_properties racing the deliverer's write.
            self._leased.pop(record.serial, None)
        if self.cache is not None:
            try:  # what a later "complete the record" of this unit starts from
                self.cache.remember_answers(record.serial, session_json)
            except KnownError as exc:
                log.store.info("answers of %s not cached: %s", record.serial, exc)
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
            describe_all(record.hold_reasons),
            outbox_id,
            grade != suggested,
        )

    def delivery_state(self, outbox_id: str) -> DeliveryView:
        return self.store.delivery_state(outbox_id)

    def discard(self) -> str | None:
        """Drop the open grading and its draft (the technician starts over); nothing goes to Odoo.
        The serial that was open, whose lease `release_lease` gives back."""
        with self._lock:
            serial = self._open.serial if self._open else None
            self._open = None
            self.store.discard_draft()
            return serial

    # -- helpers -----------------------------------------------------------------------------------
    def _require_open(self) -> OpenGrading:
        if self._open is None:
            raise InputError(_("No unit is being graded: scan one first."))
        return self._open

    def _template(self, category: str) -> ChecklistTemplate:
        template = self.templates.get(category)
        if template is None:
            raise KnownError(
                _("There is no checklist for the category “{category}”: set the model's product category in "
                  "Odoo (Phones, Tablets or Laptops).").format(category=category or _("unknown"))
            )
        return template

    def _view(self, resumed: bool) -> SessionView:
        opened = self._require_open()
        conditions = [(c.key, _(c.title)) for c in self.scale.conditions]
        thumbnails = {
            s: PhotoView(s, opened.session.photos[s].filename, t)
            for s, t in opened.thumbnails.items()
            if s in opened.session.photos
        }
        return session_view(
            opened.serial,
            opened.session,
            conditions,
            thumbnails,
            unit=opened.unit,
            model=opened.model,
            source=opened.source,
            resumed=resumed,
        )


def hold_reason_of(unit: Unit) -> str:
    """Why a unit is held (its `hold_reason` lot property, read in the look-up's one RPC); "" if it is not."""
    reason = unit.properties.get("hold_reason")
    return str(reason) if reason else ""


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _counted(reason: Reason) -> Reason:
    """The bench shows "not final: N required steps still open", not every open step (they are on the checklist)."""
    if reason.code == NOT_FINAL.code:
        return NOT_FINAL_COUNT(count=len(reason.args["missing"]))
    return reason
