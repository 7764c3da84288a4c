"""The bench's behaviour: each step of a grading run through GradingService off the GUI thread, and the
bench's widgets updated with the snapshots that come back."""

from __future__ import annotations

import concurrent.futures
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from grading_station.services.bench_models import (
    SOURCE_TITLES,
    CommitSummary,
    GradeAdvice,
    NewIntake,
    SessionView,
    UnitFound,
    UnitLeased,
)
from grading_station.services.grading import GradingService
from grading_station.services.labels import LabelService

from grading_station.ui.bench.label_actions import LabelActions
from grading_station.ui.kit.background import run_in_background

from grading_station.errors import InputError, KnownError
from grading_station.i18n import _

if TYPE_CHECKING:
    from grading_station.ui.bench.bench_view import BenchView


class BenchFlow(QObject):
    """Owned by the BenchView. Holds what the bench is doing now: the unit `found` by the last look-up (shown,
    not graded yet), the open `session` (a snapshot), `busy` while a look-up, a claim or a commit runs
    (further scans wait), the last commit whose delivery it follows. Each message it shows belongs to the
    state it describes and is cleared when that state ends (`_state_changed`).
    Odoo calls go to `network_executor`, local ones (drafts, photos, outbox) to `store_executor`."""

    def __init__(
        self,
        view: BenchView,
        service: GradingService,
        store_executor: concurrent.futures.Executor,
        network_executor: concurrent.futures.Executor | None,
        messages: ModuleType,
        lease_renew_ms: int = 10 * 60 * 1000,
        labels: LabelService | None = None,
    ) -> None:
        super().__init__(view)
        self.view = view
        self.service = service
        self._store = store_executor
        self._net = network_executor
        self._messages = messages
        self.session: SessionView | None = None
        self.found: UnitFound | None = None
        self.busy = False
        self._intake_serial = ""
        self._closed = False
        # "Certificate [C]" (BenchView.enable_certificates): fetch writes it to a file, open_document opens it.
        self.certificates: Callable[[str], Path | None] | None = None
        self.open_document: Callable[[Path], bool] = lambda _path: False
        # A long grading keeps its lease (30 min by default) by taking it again now and then.
        self._renew = QTimer(self)
        self._renew.setInterval(lease_renew_ms)
        self._renew.timeout.connect(self._renew_lease)
        # Grade labels (None: no label service, the keys are not offered); their work goes to the store worker.
        self.labels = LabelActions(self, labels, store_executor, messages, view.scan_bar, view) if labels else None
        view.lookup.labels = self.labels is not None

    def start(self, resume: bool) -> None:
        view = self.view
        view.picker.search_did_request.connect(self._search_models)
        view.picker.intake_did_choose.connect(self._begin_intake)
        view.checklist.answer_did_choose.connect(self._save_answer)
        view.checklist.battery_did_submit.connect(self._save_battery)
        view.checklist.photo_file_did_drop.connect(self._add_photo_file)
        view.checklist.checklist_did_finish.connect(self._show_grade)
        view.checklist.note_did_save.connect(self._save_note)
        view.checklist.discard_did_request.connect(self.discard)
        view.grade.commit_did_request.connect(self._commit)
        view.lookup.certificate_did_request.connect(self.open_certificate)
        view.lookup.grading_did_request.connect(self.start_grading)
        view.lookup.label_did_request.connect(self._label)
        view.card.label_did_request.connect(self._label)
        if resume:
            self._store_op(self.service.resume, self._resumed)

    def fill_photo_slot(self, slot: str, image_bytes: bytes, filename: str = "") -> None:
        if self.session is None:
            self._messages.warning("Scan a unit before taking photos.", replace="bench")
            return
        name = filename or f"{slot}.jpg"
        self._store_op(
            lambda: self.service.add_photo(slot, image_bytes, name),
            self._photo_added,
            lambda exc: self._photo_failed(slot, exc),
        )

    def shutdown(self) -> None:
        self._closed = True  # answers still in flight (a claim, a save) start nothing more
        self._renew.stop()
        self.view.idle.stop_following()

    # -- scans -------------------------------------------------------------------------------------
    def on_scan(self, raw: str, source: str) -> None:
        self.view.checklist.cancel_discard()  # an Esc in a scanner's junk must not half-confirm a discard
        if self.view.pages.currentWidget() is self.view.picker and self.view.picker.take_barcode(raw):
            return  # the box's EAN while the model is asked for: it names the model, not the unit
        try:
            serial = self.service.identify(raw)
        except InputError as exc:
            self.view.scan_bar.show_error(exc.user_message)
            return
        if self.busy:
            self.view.scan_bar.show_error(
                _("Still working on the previous unit: scan {serial} again in a moment.").format(serial=serial)
            )
            return
        if self.session is not None and self.session.serial == serial:
            self.view.scan_bar.show_info(_("Already grading {serial}.").format(serial=serial))
            self.view.focus_page()
            return
        if self.session is not None and not self._open_untouched():
            # One open grading per bench (its draft is what survives a crash): never drop work for a stray scan.
            self.view.scan_bar.show_error(
                _("{open} is still open: commit it, or discard it (Esc twice on the checklist), "
                  "then scan {serial} again.").format(open=self.session.serial, serial=serial)
            )
            self.view.focus_page()
            return
        self.busy = True
        self.found = None
        self.view.scan_bar.show_scan(serial)
        self.view.scan_bar.show_busy(_("Looking up {serial} in Odoo…").format(serial=serial))
        self._net_op(lambda: self.service.find(serial), self._looked_up, self._lookup_failed)

    def _open_untouched(self) -> bool:
        """The open grading as the checklist shows it now (its answers are newer than `session`)."""
        shown = self.view.checklist.session
        return shown is not None and shown.serial == self.session.serial and shown.untouched

    def _looked_up(self, outcome) -> None:
        previous = self.session
        if previous is not None and previous.serial != _serial_of(outcome) and not self._open_untouched():
            # Answers were given while the look-up ran: the open grading stays, the scanned unit waits.
            self.busy = False
            self.view.scan_bar.show_error(
                _("{open} is still open: commit it, or discard it (Esc twice on the checklist), "
                  "then scan {serial} again.").format(open=previous.serial, serial=_serial_of(outcome))
            )
            return
        self.session = None
        if previous is not None and previous.serial != _serial_of(outcome):
            # Another unit while the first was untouched (on_scan refuses otherwise): the first one's empty
            # draft and its lease go.
            self._renew.stop()
            self._store_op(self.service.discard, lambda _: None)
            self._net_op(lambda: self.service.release_lease(previous.serial), lambda _: None, self._ignore)
        self.busy = False
        self._state_changed()
        if isinstance(outcome, UnitFound):
            # A look-up only (after the one find RPC): no lease, no draft until the technician starts grading.
            self.found = outcome
            unit = outcome.unit
            age = _age(outcome.cached_at, self.service.clock())
            self.view.card.show_unit(unit, outcome.grade_title, outcome.hold_reason, age)
            if outcome.cached_at:
                self.view.card.show_history_error(_("Odoo cannot be reached."))
                self.view.scan_bar.show_info(
                    _("{serial}: Odoo cannot be reached, shown from the local cache.").format(serial=unit.serial)
                )
            else:
                self._net_op(
                    lambda: self.service.history(unit.lot_id),
                    self.view.card.show_history,
                    lambda exc: self.view.card.show_history_error(_text(exc)),
                )
                self.view.scan_bar.show_ok(_("{model}: found.").format(model=unit.model_name))
            self.view.lookup.show_unit(unit.model_name, outcome.grade_title, unit.location, outcome.hold_reason, age)
            self.view.card.set_label_actions(self.labels is not None and bool(unit.grade))
            self.view.show_page(self.view.lookup)
            return
        if isinstance(outcome, UnitLeased):
            holder = _("{station} until {time}").format(station=outcome.lease.station,
                                                       time=_local_time(outcome.lease.until))
            self.view.card.show_unit(outcome.unit, outcome.grade_title)
            self.view.card.show_history([])
            self.view.card.show_lease(_("Being graded at {holder}.").format(holder=holder), "error")
            self.view.leased.setText(
                _("{serial} is being graded at {holder}.").format(serial=outcome.unit.serial, holder=holder)
                + "\n\n" + _("Scan another unit.")
            )
            self.view.scan_bar.show_error(
                _("{serial} is being graded at {holder}: nothing was changed.").format(
                    serial=outcome.unit.serial, holder=holder)
            )
            self.view.show_page(self.view.leased)
        elif isinstance(outcome, NewIntake):
            self.view.card.show_intake(outcome.serial)
            if outcome.offline:
                self.view.scan_bar.show_info(
                    _("Odoo cannot be reached and {serial} is not in this bench's cache: taken in as a new unit "
                      "(models from the local cache).").format(serial=outcome.serial)
                )
            else:
                self.view.scan_bar.show_ok(_("{serial} is not in stock: new intake.").format(serial=outcome.serial))
            self._intake_serial = outcome.serial
            self.view.picker.start(outcome.serial)
            self.view.show_page(self.view.picker)

    def start_grading(self, complete_only: bool = False) -> None:
        """Grade the unit on the look-up page (Enter/G): now its lease is taken, then its draft opened.
        `complete_only`: a held unit's record is completed (its earlier answers filled in)."""
        found = self.found
        if found is None or self.busy or self.session is not None:
            return
        self.busy = True
        self.view.card.show_lease(_("Reserving it for this bench…"), "busy")
        self._net_op(
            lambda: self.service.claim(found), lambda outcome: self._claimed(outcome, complete_only),
            self._lookup_failed,
        )

    def open_certificate(self) -> None:
        """The buyer's certificate of the unit on the look-up page, fetched from Odoo and opened (C)."""
        fetch, found = self.certificates, self.found
        if fetch is None or found is None:
            return
        serial = found.unit.serial
        self.view.scan_bar.show_busy(_("Fetching the certificate of {serial}…").format(serial=serial))
        self._net_op(lambda: fetch(serial), lambda path: self._certificate_fetched(serial, path),
                     self._certificate_failed)

    def _certificate_fetched(self, serial: str, path: Path | None) -> None:
        if path is None:
            self.view.scan_bar.show_info(
                _("{serial} has no certificate yet: it is made once its grading is in Odoo, for units in "
                  "sellable stock.").format(serial=serial))
        elif self.open_document(path):
            self.view.scan_bar.show_ok(_("Certificate of {serial} opened.").format(serial=serial))
        else:
            self.view.scan_bar.show_error(
                _("No program could open the certificate of {serial}; it is saved as {path}.").format(
                    serial=serial, path=path))

    def _certificate_failed(self, exc: BaseException) -> None:
        self.view.scan_bar.show_error(_text(exc))
        self._raise_bug(exc)

    def _claimed(self, outcome: UnitFound | UnitLeased, complete_only: bool = False) -> None:
        if isinstance(outcome, UnitLeased):
            return self._looked_up(outcome)
        self.busy = False
        self.found = None
        self.view.card.set_label_actions(False)  # being graded: its label comes with the commit
        if outcome.lease is None:  # from the offline cache, Odoo still down
            self.view.card.show_lease(
                _("Not reserved in Odoo (it cannot be reached): the grading waits on this bench."), "warn"
            )
        else:
            self.view.card.show_lease(
                _("Reserved for this bench until {time}.").format(time=_local_time(outcome.lease.until)), "ok"
            )
        self.view.scan_bar.show_ok(_("{model}: grading starts.").format(model=outcome.unit.model_name))
        unit, model = outcome.unit, outcome.model
        if not complete_only:
            return self._store_op(lambda: self.service.begin_regrade(unit, model), self._show_session)
        self._net_op(
            lambda: self.service.earlier_answers(unit),
            lambda earlier: self._store_op(
                lambda: self.service.begin_completion(unit, model, earlier), self._show_session
            ),
            self._op_failed,
        )

    def _lookup_failed(self, exc: BaseException) -> None:
        self.busy = False
        self.view.scan_bar.show_error(_text(exc))
        self._raise_bug(exc)

    # -- intake ------------------------------------------------------------------------------------
    def _search_models(self, text: str) -> None:
        self._net_op(
            lambda: self.service.search_models(text),
            lambda models: self.view.picker.show_results(text, models),
            lambda exc: self.view.picker.show_error(_text(exc)),
        )

    def _begin_intake(self, model, source) -> None:
        serial = self._intake_serial
        self.view.card.show_intake(serial, model.name, SOURCE_TITLES[source])
        self._store_op(lambda: self.service.begin_intake(serial, model, source), self._show_session)

    # -- checklist ---------------------------------------------------------------------------------
    def _show_session(self, session: SessionView) -> None:
        self.session = session
        self._state_changed()
        if session.completing:
            self.view.scan_bar.show_info(
                _("Completing the record of {serial}: the earlier answers are filled in, only what is missing "
                  "is open.").format(serial=session.serial)
                if session.answered > 1 else
                _("Completing the record of {serial}: no earlier answers were found (only the lot's battery "
                  "reading), so the open steps are asked again.").format(serial=session.serial)
            )
        if session.unit is not None:
            self._renew.start()
        else:
            self._renew.stop()
        self.view.checklist.set_session(session)
        self.view.show_page(self.view.checklist)

    def _resumed(self, session: SessionView | None) -> None:
        if session is None or self.session is not None:
            return
        self.view.scan_bar.show_scan(session.serial)
        self.view.scan_bar.show_info(_("Resumed the unfinished grading of {serial}.").format(serial=session.serial))
        if session.unit is not None:
            self.view.card.show_unit(session.unit, self.service.grade_title(session.unit.grade))
            lot_id = session.unit.lot_id
            self._net_op(
                lambda: self.service.history(lot_id),
                self.view.card.show_history,
                lambda exc: self.view.card.show_history_error(_text(exc)),
            )
            self._net_op(
                lambda: self.service.lookup(session.serial),
                self._lease_renewed,
                lambda exc: self.view.card.show_lease(_text(exc), "warn"),
            )
        else:
            self.view.card.show_intake(
                session.serial, session.model_name, SOURCE_TITLES[session.source] if session.source else ""
            )
        self._show_session(session)

    def _renew_lease(self) -> None:
        session = self.session
        if session is None or session.unit is None:
            return self._renew.stop()
        self._net_op(
            lambda: self.service.lookup(session.serial),
            self._lease_renewed,
            lambda exc: self.view.card.show_lease(_("Reservation not renewed: {reason}").format(reason=_text(exc)),
                                                  "warn"),
        )

    def _lease_renewed(self, outcome) -> None:
        if isinstance(outcome, UnitLeased):
            self.view.card.show_lease(_("Warning: now being graded at {station} too.").format(
                station=outcome.lease.station), "error")
        elif isinstance(outcome, UnitFound):
            self.view.card.show_lease(
                _("Reserved for this bench until {time}.").format(time=_local_time(outcome.lease.until)), "ok"
            )
        else:
            self.view.card.show_lease("Warning: this unit is no longer in stock in Odoo.", "warn")

    def _save_answer(self, step_id: str, value: str) -> None:
        self.view.scan_bar.clear_error()  # the technician moved on: a rejected scan's reason is history
        self._store_op(
            lambda: self.service.record_answer(step_id, value),
            lambda _: None,
            lambda exc: self.view.checklist.show_error(_text(exc)),
        )

    def _save_note(self, step_id: str, text: str) -> None:
        self._store_op(
            lambda: self.service.record_note(step_id, text),
            lambda _: None,
            lambda exc: self.view.checklist.show_error(_text(exc)),
        )

    def discard(self) -> None:
        """Drop the open grading (confirmed by the technician): the draft goes, the lease is given back."""
        if self.session is None or self.busy:
            return
        serial, self.session = self.session.serial, None
        self._renew.stop()
        self._store_op(self.service.discard, lambda _: self._discarded(serial))

    def _discarded(self, serial: str) -> None:
        self._state_changed()
        self._net_op(lambda: self.service.release_lease(serial), lambda _: None, self._ignore)
        self.view.card.clear()
        self.view.scan_bar.field.clear()
        self.view.scan_bar.show_info(_("Discarded the grading of {serial}: nothing was sent to Odoo.").format(
            serial=serial))
        self.view.show_page(self.view.idle)

    def _save_battery(self, health: str, cycles: str, source: str) -> None:
        self._store_op(
            lambda: self.service.record_battery(health, cycles, source),
            lambda reading: self.view.checklist.apply_battery(*reading),
            lambda exc: self.view.checklist.editors["battery"].show_error(_text(exc)),
        )

    def _add_photo_file(self, slot: str, path: str) -> None:
        self._store_op(
            lambda: self.service.add_photo_file(slot, path),
            self._photo_added,
            lambda exc: self._photo_failed(slot, exc),
        )

    def _photo_added(self, photo) -> None:
        checklist = self.view.checklist
        checklist.apply_photo(photo)
        self._messages.clear("bench")  # e.g. "Scan a unit before taking photos", a refused still
        step = checklist.current_step() if checklist.session is not None else None
        if step is not None and step.kind == "photos" and checklist.session.step_done(step):
            checklist.show_error("")  # "Photos still missing: …" is no longer true

    def _photo_failed(self, slot: str, exc: BaseException) -> None:
        if slot in self.view.checklist.photos.slots:
            self.view.checklist.show_photo_error(slot, _text(exc))
        else:
            self._messages.error(_text(exc), replace="bench")
        self._raise_bug(exc)

    # -- grade and commit --------------------------------------------------------------------------
    def _show_grade(self) -> None:
        self._store_op(self.service.suggest, self._suggested)

    def _suggested(self, suggestion: GradeAdvice) -> None:
        self.view.scan_bar.clear_error()
        self.view.grade.show_suggestion(suggestion)
        self.view.show_page(self.view.grade)

    def _commit(self, grade: str, reason: str) -> None:
        self.busy = True  # a scan now would race the page change after the commit
        self._renew.stop()  # a renewal (read-modify-write of lot_properties) must not race the delivery
        self.view.grade.set_busy(True)
        self._store_op(lambda: self.service.commit(grade, reason), self._committed, self._commit_failed)

    def _committed(self, summary: CommitSummary) -> None:
        self.busy = False
        self.view.grade.set_busy(False)
        self.session = None  # no lease release: the delivered grading clears it in the same write
        self._state_changed()
        self._messages.clear(f"delivery-{summary.serial}")  # an earlier refusal of this unit is superseded
        self.view.card.clear()
        self.view.idle.show_summary(summary)
        self.view.scan_bar.field.clear()
        self.view.scan_bar.show_ok(
            _("Committed {serial} as {grade}. Ready for the next unit.").format(serial=summary.serial,
                                                                               grade=summary.grade_title)
        )
        self.view.show_page(self.view.idle)
        self.view.idle.follow(
            lambda: self.service.delivery_state(summary.outbox_id),
            lambda fetch, done: self._store_op(fetch, lambda d: self._delivery_seen(summary, d, done), self._ignore),
        )
        self.view.grading_did_commit.emit(summary)
        if self.labels is not None:
            self.labels.after_commit(summary)

    def _label(self, preview: bool) -> None:
        """L / V on the looked-up unit (or its card's buttons): reprint or preview its grade label."""
        unit = self.found.unit if self.found is not None and self.session is None else None
        if self.labels is not None:
            (self.labels.preview if preview else self.labels.reprint)(unit)

    def _delivery_seen(self, summary: CommitSummary, delivery, done) -> None:
        done(delivery)
        if delivery.state == "refused":
            # Said where the technician looks, not only in Activity: the unit is not in Odoo as graded.
            text = (
                _("{serial} is not in Odoo yet. {reason} The grading is kept: retry it from Activity once this is "
                  "fixed.").format(serial=summary.serial, reason=delivery.detail)
            )
            self._messages.error(text, replace=f"delivery-{summary.serial}")
            if self.session is None and not self.busy:
                self.view.scan_bar.show_error(text)

    def _commit_failed(self, exc: BaseException) -> None:
        self.busy = False
        self.view.grade.set_busy(False)
        if self.session is not None and self.session.unit is not None:
            self._renew.start()  # still open: keep the lease alive
        self.view.grade.show_error(_text(exc))
        self._raise_bug(exc)

    def _state_changed(self) -> None:
        """A grading started or ended (or a new unit was looked up): the messages about the previous state go,
        on the checklist, the grade panel and the bench's banner messages."""
        self._messages.clear("bench")
        self.view.checklist.show_error("")
        self.view.grade.show_error("")

    # -- plumbing ---------------------------------------------------------------------------------
    def _store_op(self, op, success, failure=None) -> None:
        if not self._closed:
            run_in_background(self, op, success, failure or self._op_failed, executor=self._store)

    def _net_op(self, op, success, failure) -> None:
        if not self._closed:
            run_in_background(self, op, success, failure, executor=self._net)

    def _op_failed(self, exc: BaseException) -> None:
        self._messages.error(_text(exc), replace="bench")
        self._raise_bug(exc)

    @staticmethod
    def _ignore(exc: BaseException) -> None:
        BenchFlow._raise_bug(exc)

    @staticmethod
    def _raise_bug(exc: BaseException) -> None:
        if not isinstance(exc, KnownError):
            raise exc  # a bug: let the crash handler (sys.excepthook) report it


def _local_time(iso_utc: str) -> str:
    """A lease end ("2026-11-27T14:35:00Z") as the bench's wall-clock time ("14:35")."""
    try:
        return datetime.fromisoformat(iso_utc.replace("Z", "+00:00")).astimezone().strftime("%H:%M")
    except ValueError:
        return iso_utc


def _age(iso_utc: str, now: datetime) -> str:
    """How old a cached look-up is, as the bench says it ("14:35, 3 min ago")."""
    if not iso_utc:
        return ""
    try:
        seen = datetime.fromisoformat(iso_utc.replace("Z", "+00:00"))
    except ValueError:
        return iso_utc
    minutes = max(0, int((now - seen).total_seconds() // 60))
    when = seen.astimezone().strftime("%Y-%m-%d %H:%M")
    if minutes < 60:
        return _("{when}, {minutes} min ago").format(when=when, minutes=minutes)
    if minutes < 48 * 60:
        return _("{when}, {hours} h ago").format(when=when, hours=minutes // 60)
    return _("{when}, {days} days ago").format(when=when, days=minutes // (24 * 60))


def _serial_of(outcome: UnitFound | UnitLeased | NewIntake) -> str:
    return outcome.serial if isinstance(outcome, NewIntake) else outcome.unit.serial


def _text(exc: BaseException) -> str:
    return exc.user_message if isinstance(exc, KnownError) else _("Unexpected error: {error}").format(error=exc)
