"""The bench workspace: scan bar on top, unit card on the left, the current step of the grading right."""

from __future__ import annotations

import concurrent.futures
from datetime import datetime
from types import ModuleType

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLayout, QStackedWidget, QVBoxLayout, QWidget

from grading_station.services.bench_models import (
    SOURCE_TITLES,
    CommitSummary,
    DeliveryView,
    GradeAdvice,
    NewIntake,
    SessionView,
    UnitFound,
    UnitLeased,
)
from grading_station.services.grading import GradingService

from grading_station.ui import messages as default_messages
from grading_station.ui.bench.checklist_panel import ChecklistPanel
from grading_station.ui.bench.commit_summary import CommitSummaryView
from grading_station.ui.bench.grade_panel import GradePanel
from grading_station.ui.bench.intake_picker import IntakePicker
from grading_station.ui.bench.photo_slots import FileChooser, choose_image_file
from grading_station.ui.bench.scan_bar import ScanBar
from grading_station.ui.bench.theme import STYLE
from grading_station.ui.bench.unit_card import UnitCard
from grading_station.ui.scan_router import ScanRouter
from grading_station.ui.worker import run_in_background

from grading_station.errors import InputError, KnownError


class BenchView(QWidget):
    """Composes the bench widgets and runs each step of GradingService off the GUI thread.

    `store_executor` is the single SQLite worker (drafts, photos, outbox); `network_executor` the Odoo pool
    (None: the worker module's default pool). Signals:
        awaiting_photo_slot_did_change(slot): the photo slot the camera panel should fill ("" when none).
        grading_did_commit(summary): a grading was committed locally (delivery follows in the background).
    """

    awaiting_photo_slot_did_change = Signal(str)
    grading_did_commit = Signal(object)

    def __init__(
        self,
        service: GradingService,
        router: ScanRouter,
        store_executor: concurrent.futures.Executor,
        network_executor: concurrent.futures.Executor | None = None,
        messages: ModuleType = default_messages,
        *,
        flash_ms: int = 2500,
        search_debounce_ms: int = 250,
        delivery_poll_ms: int = 1000,
        resume: bool = True,
        file_chooser: FileChooser = choose_image_file,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("bench")
        self.setStyleSheet(STYLE)
        self.service = service
        self._store = store_executor
        self._net = network_executor
        self._messages = messages
        self.session: SessionView | None = None
        self.busy = False  # a lookup or commit is under way: further scans wait
        self._intake_serial = ""
        self._announced_slot = ""  # the awaiting photo slot last told to the camera panel
        self.scan_bar = ScanBar(router, flash_ms)
        self.card = UnitCard()
        self.idle = CommitSummaryView()
        self.picker = IntakePicker(search_debounce_ms)
        self.checklist = ChecklistPanel(file_chooser)
        self.grade = GradePanel()
        self.leased = QLabel()
        self.leased.setObjectName("leasedNotice")
        self.leased.setProperty("role", "big-hint")
        self.leased.setWordWrap(True)
        self.leased.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pages = QStackedWidget()
        for page in (self.idle, self.picker, self.checklist, self.grade, self.leased):
            self.pages.addWidget(page)
        body = QHBoxLayout()
        body.setSpacing(16)
        body.addWidget(self.card)
        body.addWidget(self.pages, 1)
        layout = QVBoxLayout(self)
        # The pages differ in minimum size; don't push each change onto the window (the main window sizes us).
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(self.scan_bar)
        layout.addLayout(body, 1)

        self._poll = QTimer(self)
        self._poll.setInterval(delivery_poll_ms)
        self._poll.timeout.connect(self._poll_delivery)
        self._last_commit: CommitSummary | None = None

        router.scan_did_arrive.connect(self._on_scan)
        self.picker.search_did_request.connect(self._search_models)
        self.picker.intake_did_choose.connect(self._begin_intake)
        self.checklist.answer_did_choose.connect(self._save_answer)
        self.checklist.battery_did_submit.connect(self._save_battery)
        self.checklist.photo_file_did_drop.connect(self._add_photo_file)
        self.checklist.awaiting_slot_did_change.connect(lambda _: self._announce_awaiting())
        self.checklist.checklist_did_finish.connect(self._show_grade)
        self.grade.commit_did_request.connect(self._commit)
        self.grade.back_did_request.connect(lambda: self._show_page(self.checklist))
        self.setFocusProxy(self.scan_bar.field)
        if resume:
            self._store_op(service.resume, self._resumed)

    # -- public API for other panels (camera) ------------------------------------------------------
    @property
    def awaiting_photo_slot(self) -> str:
        """The slot a photo is expected for now ("" when no photo step is open)."""
        on_photos = (
            self.pages.currentWidget() is self.checklist
            and self.session is not None
            and self.checklist.current_step().kind == "photos"
        )
        return self.checklist.photos.awaiting if on_photos else ""

    def fill_photo_slot(self, slot: str, image_bytes: bytes, filename: str = "") -> None:
        """Store an image (e.g. a camera still, JPEG or PNG bytes) for `slot` of the open grading."""
        if self.session is None:
            self._messages.warning("Scan a unit before taking photos.", replace="bench")
            return
        name = filename or f"{slot}.jpg"
        self._store_op(
            lambda: self.service.add_photo(slot, image_bytes, name),
            self.checklist.apply_photo,
            lambda exc: self._photo_failed(slot, exc),
        )

    def shutdown(self) -> None:
        """Stop background polling (call before the executors are shut down at exit)."""
        self._poll.stop()
        self._last_commit = None

    # -- scans -------------------------------------------------------------------------------------
    def _on_scan(self, raw: str, source: str) -> None:
        try:
            serial = self.service.identify(raw)
        except InputError as exc:
            self.scan_bar.show_error(exc.user_message)
            return
        if self.busy:
            self.scan_bar.show_error(f"Still working on the previous unit: scan {serial} again in a moment.")
            return
        if self.session is not None and self.session.serial == serial:
            self.scan_bar.show_info(f"Already grading {serial}.")
            self._focus_page()
            return
        self.busy = True
        self.scan_bar.show_scan(serial)
        self.scan_bar.show_busy(f"Looking up {serial} in Odoo…")
        run_in_background(
            self,
            lambda: self.service.lookup(serial),
            self._looked_up,
            self._lookup_failed,
            executor=self._net,
        )

    def _looked_up(self, outcome) -> None:
        self.busy = False
        previous, self.session = self.session, None
        if previous is not None and previous.serial != _serial_of(outcome):
            # Another unit: the first one's lease goes (its draft stays until the new unit's replaces it).
            self._net_op(lambda: self.service.release_lease(previous.serial), lambda _: None, self._ignore)
        if isinstance(outcome, UnitFound):
            self.card.show_unit(outcome.unit, outcome.grade_title)
            self.card.show_lease(f"Reserved for this bench until {_local_time(outcome.lease.until)}.", "ok")
            self.scan_bar.show_ok(f"{outcome.unit.model_name}: grading starts.")
            self._net_op(
                lambda: self.service.history(outcome.unit.lot_id),
                self.card.show_history,
                lambda exc: self.card.show_history_error(_text(exc)),
            )
            self._store_op(lambda: self.service.begin_regrade(outcome.unit), self._show_session)
        elif isinstance(outcome, UnitLeased):
            holder = f"{outcome.lease.station} until {_local_time(outcome.lease.until)}"
            self.card.show_unit(outcome.unit, outcome.grade_title)
            self.card.show_history([])
            self.card.show_lease(f"Being graded at {holder}.", "error")
            self.leased.setText(f"{outcome.unit.serial} is being graded at {holder}.\n\nScan another unit.")
            self.scan_bar.show_error(
                f"{outcome.unit.serial} is being graded at {holder}: nothing was changed."
            )
            self._show_page(self.leased)
        elif isinstance(outcome, NewIntake):
            self.card.show_intake(outcome.serial)
            self.scan_bar.show_ok(f"{outcome.serial} is not in stock: new intake.")
            self._intake_serial = outcome.serial
            self.picker.start(outcome.serial)
            self._show_page(self.picker)

    def _lookup_failed(self, exc: BaseException) -> None:
        self.busy = False
        self.scan_bar.show_error(_text(exc))
        self._raise_bug(exc)

    # -- intake ------------------------------------------------------------------------------------
    def _search_models(self, text: str) -> None:
        self._net_op(
            lambda: self.service.search_models(text),
            lambda models: self.picker.show_results(text, models),
            lambda exc: self.picker.show_error(_text(exc)),
        )

    def _begin_intake(self, model, source) -> None:
        serial = self._intake_serial
        self.card.show_intake(serial, model.name, SOURCE_TITLES[source])
        self._store_op(lambda: self.service.begin_intake(serial, model, source), self._show_session)

    # -- checklist ---------------------------------------------------------------------------------
    def _show_session(self, session: SessionView) -> None:
        self.session = session
        self.checklist.set_session(session)
        self._show_page(self.checklist)

    def _resumed(self, session: SessionView | None) -> None:
        if session is None or self.session is not None:
            return
        self.scan_bar.show_scan(session.serial)
        self.scan_bar.show_info(f"Resumed the unfinished grading of {session.serial}.")
        if session.unit is not None:
            self.card.show_unit(session.unit, self.service.grade_title(session.unit.grade))
            lot_id = session.unit.lot_id
            self._net_op(
                lambda: self.service.history(lot_id),
                self.card.show_history,
                lambda exc: self.card.show_history_error(_text(exc)),
            )
            self._net_op(
                lambda: self.service.lookup(session.serial),
                self._lease_renewed,
                lambda exc: self.card.show_lease(_text(exc), "warn"),
            )
        else:
            self.card.show_intake(
                session.serial, session.model_name, SOURCE_TITLES[session.source] if session.source else ""
            )
        self._show_session(session)

    def _lease_renewed(self, outcome) -> None:
        if isinstance(outcome, UnitLeased):
            self.card.show_lease(f"Warning: now being graded at {outcome.lease.station} too.", "error")
        elif isinstance(outcome, UnitFound):
            self.card.show_lease(f"Reserved for this bench until {_local_time(outcome.lease.until)}.", "ok")
        else:
            self.card.show_lease("Warning: this unit is no longer in stock in Odoo.", "warn")

    def _save_answer(self, step_id: str, value: str) -> None:
        self._store_op(
            lambda: self.service.record_answer(step_id, value),
            lambda _: None,
            lambda exc: self.checklist.show_error(_text(exc)),
        )

    def _save_battery(self, health: str, cycles: str) -> None:
        self._store_op(
            lambda: self.service.record_battery(health, cycles),
            lambda reading: self.checklist.apply_battery(*reading),
            lambda exc: self.checklist.editors["battery"].show_error(_text(exc)),
        )

    def _add_photo_file(self, slot: str, path: str) -> None:
        self._store_op(
            lambda: self.service.add_photo_file(slot, path),
            self.checklist.apply_photo,
            lambda exc: self._photo_failed(slot, exc),
        )

    def _photo_failed(self, slot: str, exc: BaseException) -> None:
        if slot in self.checklist.photos.slots:
            self.checklist.show_photo_error(slot, _text(exc))
        else:
            self._messages.error(_text(exc), replace="bench")
        self._raise_bug(exc)

    # -- grade and commit --------------------------------------------------------------------------
    def _show_grade(self) -> None:
        self._store_op(self.service.suggest, self._suggested)

    def _suggested(self, suggestion: GradeAdvice) -> None:
        self.grade.show_suggestion(suggestion)
        self._show_page(self.grade)

    def _commit(self, grade: str, reason: str) -> None:
        self.busy = True  # a scan now would race the page change after the commit
        self.grade.set_busy(True)
        self._store_op(lambda: self.service.commit(grade, reason), self._committed, self._commit_failed)

    def _committed(self, summary: CommitSummary) -> None:
        self.busy = False
        self.grade.set_busy(False)
        self.session = None
        self._last_commit = summary
        self._net_op(lambda: self.service.release_lease(summary.serial), lambda _: None, self._ignore)
        self.card.clear()
        self.idle.show_summary(summary)
        self.scan_bar.field.clear()
        self.scan_bar.show_ok(
            f"Committed {summary.serial} as {summary.grade_title}. Ready for the next unit."
        )
        self._show_page(self.idle)
        self._poll.start()
        self.grading_did_commit.emit(summary)

    def _commit_failed(self, exc: BaseException) -> None:
        self.busy = False
        self.grade.set_busy(False)
        self.grade.show_error(_text(exc))
        self._raise_bug(exc)

    def _poll_delivery(self) -> None:
        summary = self._last_commit
        if summary is None:
            return self._poll.stop()
        self._store_op(
            lambda: self.service.delivery_state(summary.outbox_id),
            lambda view: self._show_delivery(summary, view),
            self._ignore,
        )

    def _show_delivery(self, summary: CommitSummary, view: DeliveryView) -> None:
        if summary is self._last_commit:
            self.idle.show_delivery(view)
            if view.final:
                self._poll.stop()

    # -- plumbing ----------------------------------------------------------------------------------
    def _show_page(self, page: QWidget) -> None:
        self.pages.setCurrentWidget(page)
        self._focus_page()
        self._announce_awaiting()

    def _announce_awaiting(self) -> None:
        slot = self.awaiting_photo_slot
        if slot != self._announced_slot:
            self._announced_slot = slot
            self.awaiting_photo_slot_did_change.emit(slot)

    def _focus_page(self) -> None:
        page = self.pages.currentWidget()
        if page is self.checklist:
            self.checklist.set_session(self.checklist.session, self.checklist.index)
        elif page is self.grade:
            self.grade.setFocus(Qt.FocusReason.OtherFocusReason)
        elif page is self.picker:
            self.picker.query.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.scan_bar.focus_field()

    def _store_op(self, op, success, failure=None) -> None:
        run_in_background(self, op, success, failure or self._op_failed, executor=self._store)

    def _net_op(self, op, success, failure) -> None:
        run_in_background(self, op, success, failure, executor=self._net)

    def _op_failed(self, exc: BaseException) -> None:
        self._messages.error(_text(exc), replace="bench")
        self._raise_bug(exc)

    @staticmethod
    def _ignore(exc: BaseException) -> None:
        BenchView._raise_bug(exc)

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


def _serial_of(outcome: UnitFound | UnitLeased | NewIntake) -> str:
    return outcome.serial if isinstance(outcome, NewIntake) else outcome.unit.serial


def _text(exc: BaseException) -> str:
    return exc.user_message if isinstance(exc, KnownError) else f"Unexpected error: {exc}"
