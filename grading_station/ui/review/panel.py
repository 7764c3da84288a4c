"""The Review workspace (F6): the supervisor's queues in tabs, the selected unit and the actions on it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from grading_station.domain.review import ReviewUnit

from grading_station.services.review import HELD, OVERRIDES, RETEST, Queues, ReviewService
from grading_station.services.review_care import CareService, Dispute, Disputes
from grading_station.services.review_figures import compute

from grading_station.ui.kit.background import run_in_background, show_failure
from grading_station.ui.kit.workspace import jump_to_scanned
from grading_station.ui.review.action_form import REINSPECT, ActionForm
from grading_station.ui.review.columns import dispute_columns, held_columns, override_columns, retest_columns
from grading_station.ui.review.figures_view import FiguresView
from grading_station.ui.review.queue_table import QueueTable
from grading_station.ui.review.unit_detail import UnitDetail
from grading_station.ui.widgets import theme

from grading_station import log
from grading_station.errors import KnownError
from grading_station.i18n import N_, _

DISPUTES = "disputes"
# short: four tabs fit beside the unit's side at 1366 px (each tab's tooltip says more)
_TAB_TITLES = {DISPUTES: N_("Disputes ({count})"), HELD: N_("Held/repair ({count})"),
               RETEST: N_("Re-test ({count})"), OVERRIDES: N_("Overrides ({count})")}
_TAB_TIPS = {DISPUTES: N_("Back Market care folders (returns and grade disputes) and the returns received into "
                          "WH/Hold in Odoo, newest first"),
             HELD: N_("Units in WH/Hold (with why) and in WH/Repair, longest waiting first"),
             RETEST: N_("Battery re-test: units in stock longer than the delay of their category, highest value "
                        "first"),
             OVERRIDES: N_("Gradings where the technician chose another grade than the suggested one")}


class ReviewPanel(QWidget):
    """The queues read from Odoo (refreshed when shown and after every outbox change), a scan selects the unit
    in its queue; the actions go through the service (stored locally, delivered by the outbox).

    Signals: `reinspect_did_request(serial)`: the supervisor wants the unit at the bench (the station shows the
    bench with it); `queues_did_load(queues)` after each reading (tests, figures)."""

    reinspect_did_request = Signal(str)
    queues_did_load = Signal(object)

    def __init__(self, service: ReviewService, *, identify: Callable[[str], str] = str.strip,
                 supervisor: str = "", clock: Callable[[], datetime] = lambda: datetime.now(UTC),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        theme.apply(self)
        self.service, self.identify, self.clock = service, identify, clock
        self.queues: Queues | None = None
        self.care: CareService | None = None
        self.disputes: Disputes | None = None
        self.selected: ReviewUnit | None = None
        self.selected_dispute: Dispute | None = None
        grade = self.grade_title
        self.tables = {HELD: QueueTable(HELD, held_columns(grade)), RETEST: QueueTable(RETEST, retest_columns(grade)),
                       OVERRIDES: QueueTable(OVERRIDES, override_columns(grade))}
        self.tabs = QTabWidget()
        self.tabs.setObjectName("reviewTabs")
        for key, table in self.tables.items():
            self.tabs.setTabToolTip(self.tabs.addTab(table, _(_TAB_TITLES[key]).format(count=0)), _(_TAB_TIPS[key]))
            table.row_did_select.connect(self._row_selected)
        self.figures = FiguresView(self.grade_title)
        self.figures.sales.returned = lambda: [(d.unit.category, d.sold_grade or d.unit.grade) for d in
                                               (self.disputes.items if self.disputes else ()) if d.unit]
        self.tabs.addTab(self.figures, _("Figures"))
        self.tabs.currentChanged.connect(self._tab_changed)
        self.detail = UnitDetail(grade)
        self.form = ActionForm([(g.key, _(g.title)) for g in service.scale.grades], supervisor)
        self.form.action_did_request.connect(self.act)
        self.note = QLabel("")  # stale data: its age and why
        self.note.setObjectName("reviewStale")
        self.note.setWordWrap(True)
        self.note.setVisible(False)
        self.refresh_button = QPushButton(_("Refresh"))
        self.refresh_button.clicked.connect(self.refresh)
        title = QLabel(_("Review"))
        title.setProperty("role", "title")
        hint = QLabel(_("Units waiting for a supervisor, read from Odoo. Scan a serial to find it in its queue; "
                        "every action is signed, with a reason, and reaches Odoo through the outbox."))
        hint.setProperty("role", "hint")
        hint.setWordWrap(True)
        header = QHBoxLayout()
        header.addWidget(title)
        header.addStretch(1)
        header.addWidget(self.refresh_button)
        self.side = side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(12, 0, 0, 0)
        facts = QScrollArea()  # the unit's facts scroll on a small screen; the actions stay in view
        facts.setWidget(self.detail)
        facts.setWidgetResizable(True)
        facts.setFrameShape(QFrame.Shape.NoFrame)
        side_layout.addWidget(facts, 1)
        side_layout.addWidget(self.form)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.tabs)
        self.splitter.addWidget(side)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self._split_once = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.setSpacing(10)
        layout.addLayout(header)
        layout.addWidget(hint)
        layout.addWidget(self.note)
        layout.addWidget(self.splitter, 1)
        self._closed = False
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(300)
        self._refresh_timer.timeout.connect(self.refresh)
        self._pending_serial = ""  # a scan that arrived before the first reading

    def grade_title(self, key: str) -> str:
        if not key:
            return ""
        try:
            return _(self.service.scale.grade(key).title)
        except KeyError:
            return key

    # -- the workspace protocol (ui/kit/workspace.py) -----------------------------------------------
    def on_scan(self, raw: str, source: str) -> None:
        """A scan jumps to the unit in the first queue that holds it (once the queues are read)."""
        jump_to_scanned(raw, self.identify, self._select_or_wait, _("{serial} is in none of the review queues."))

    def _select_or_wait(self, serial: str) -> bool:
        if self.queues is None:  # not read yet: the first reading selects it
            self._pending_serial = serial
            return True
        return self.select_serial(serial)

    def on_activate(self) -> None:
        self.current_table().view.setFocus()
        self.schedule_refresh()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        if not self._split_once:  # the queue gets two thirds; the unit's side the rest (the user may drag it)
            self._split_once = True
            width = max(self.splitter.width(), 900)
            self.splitter.setSizes([width * 2 // 3, width - width * 2 // 3])
        self.schedule_refresh()

    def schedule_refresh(self, _event: object = None) -> None:
        """Refresh soon, once for a burst of changes (connect the outbox change signal here); a hidden workspace
        reads Odoo when it is shown instead."""
        if self.isVisible():
            self._refresh_timer.start()

    # -- reading --------------------------------------------------------------------------------------
    def shutdown(self) -> None:
        """The station is stopping: no more reads (the store and the gateway are about to close)."""
        self._closed = True
        self._refresh_timer.stop()

    def refresh(self) -> None:
        if self._closed:
            return
        self.refresh_button.setEnabled(False)
        run_in_background(self, self.service.load, success=self._filled, failure=self._failed)
        if self.care is not None:
            run_in_background(self, self.care.poll, success=self._disputes_filled, failure=self._care_failed)

    def set_care(self, care: CareService) -> None:
        """Back Market is there (its client is built after the window shows): the returns and disputes tab."""
        self.care = care
        table = QueueTable(DISPUTES, dispute_columns(self.grade_title))
        self.tables = {DISPUTES: table, **self.tables}
        self.tabs.setTabToolTip(self.tabs.insertTab(0, table, _(_TAB_TITLES[DISPUTES]).format(count=0)),
                                _(_TAB_TIPS[DISPUTES]))
        table.row_did_select.connect(self._row_selected)
        if self.selected is None:
            self.tabs.setCurrentIndex(0)  # the first queue of the supervisor's day
        self.schedule_refresh()

    def set_sales(self, sales: object) -> None:
        """Back Market is there: the sales figures, payout reconciliation and sustainability report."""
        self.figures.sales.set_sales(sales)

    def _disputes_filled(self, disputes: Disputes) -> None:
        self.disputes = disputes
        self.tables[DISPUTES].set_rows(disputes.items, lambda d: d.serial or f"#{d.folder.id}")
        self.tabs.setTabText(self.tabs.indexOf(self.tables[DISPUTES]),
                             _(_TAB_TITLES[DISPUTES]).format(count=len(disputes.items)))
        self._update_figures()
        if disputes.stale:
            self.form.say(_("Back Market cannot be reached: {problem} The care folders are as read at {time}.").format(
                problem=disputes.problem, time=disputes.read_at.astimezone().strftime("%H:%M")), "warn")

    def _care_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, KnownError):
            show_failure(exc)
            return
        self.form.say(_("The care folders cannot be read: {reason}").format(reason=exc.user_message), "warn")

    def _filled(self, queues: Queues) -> None:
        self.refresh_button.setEnabled(True)
        self.queues = queues
        self.tables[HELD].set_rows(queues.held, lambda u: u.serial)
        self.tables[RETEST].set_rows(queues.retest, lambda d: d.unit.serial)
        self.tables[OVERRIDES].set_rows(queues.overrides, lambda u: u.serial)
        for key in (HELD, RETEST, OVERRIDES):
            table = self.tables[key]
            self.tabs.setTabText(self.tabs.indexOf(table), _(_TAB_TITLES[key]).format(count=table.count()))
        if queues.stale:
            minutes = max(0, int((self.clock() - queues.read_at).total_seconds() // 60))
            self.note.setText(_("Odoo cannot be reached: {problem} The queues are as read at {time} ({minutes} min "
                                "ago); actions wait in the outbox.").format(
                problem=queues.problem, time=queues.read_at.astimezone().strftime("%H:%M"), minutes=minutes))
            theme.set_state(self.note, "warn")
        self.note.setVisible(queues.stale)
        if self._pending_serial:
            serial, self._pending_serial = self._pending_serial, ""
            self.on_scan(serial, "keyboard")
        self._update_figures()
        self.queues_did_load.emit(queues)

    def _failed(self, exc: BaseException) -> None:
        self.refresh_button.setEnabled(True)
        if self._closed:  # a read in flight when the station stopped: its store or gateway is closed
            return
        if not isinstance(exc, KnownError):
            show_failure(exc)  # a bug: the crash handler
            return
        self.note.setText(_("The review queues cannot be read: {reason}").format(reason=exc.user_message))
        theme.set_state(self.note, "error")
        self.note.setVisible(True)

    # -- selection ------------------------------------------------------------------------------------
    def current_table(self) -> QueueTable:
        widget = self.tabs.currentWidget()
        return widget if isinstance(widget, QueueTable) else self.tables[HELD]

    def _tab_changed(self, _index: int) -> None:
        # the figures take the whole width; a queue brings back the unit's side with its selection
        self.side.setVisible(self.tabs.currentWidget() is not self.figures)
        if self.tabs.currentWidget() is not self.figures:
            self._row_selected(self.current_table().current())

    def _update_figures(self) -> None:
        """Figures from the readings just shown, computed off the GUI thread (a year of units takes a while)."""
        if self.queues is None:
            return
        queues, disputes, today, sales = self.queues, self.disputes, self.clock().date(), self.figures.sales.sales
        service = self.service

        def gather() -> object:
            serials: list[str] = []
            if sales is not None:  # Back Market is there: the units sold in the last 12 months count too
                try:
                    serials = sales.sold_serials(today - timedelta(days=365))
                except KnownError as exc:
                    log.backmarket.info("figures without the units sold: %s", exc)
            return compute(service.units_for_figures(queues), disputes, today, sold=service.sold_units(serials),
                           listed=service.listed_at())

        run_in_background(self, gather, success=self.figures.show_figures)

    def select_serial(self, serial: str) -> bool:
        queues = self.queues.locate(serial) if self.queues else []
        if self.disputes is not None and self.disputes.find(serial) is not None:
            queues = [DISPUTES, *queues]
        if not queues:
            return False
        shown = next((k for k, t in self.tables.items() if t is self.current_table()), "")
        table = self.tables[shown if shown in queues else queues[0]]  # the queue shown when it holds the unit
        self.tabs.setCurrentWidget(table)
        table.select(serial)
        table.view.setFocus()
        return True

    def _row_selected(self, row: object) -> None:
        if self.sender() is not None and self.sender() is not self.current_table() and row is not None:
            return  # a hidden tab's selection is not the one the supervisor acts on
        self.selected_dispute = row if isinstance(row, Dispute) else None
        unit = getattr(row, "unit", row)
        self.selected = unit if isinstance(unit, ReviewUnit) else None
        self.detail.show_claim(self.selected_dispute)
        self.detail.show_unit(self.selected)
        self.form.show_unit(self.selected, dispute=self._answerable())
        if self.selected is not None:
            serial = self.selected.serial
            run_in_background(self, lambda: self.service.history(serial), success=self.detail.show_history)

    def _answerable(self) -> bool:
        """A care folder is selected (a return received in Odoo without one has no message to answer)."""
        return self.selected_dispute is not None and self.selected_dispute.folder is not None

    # -- actions --------------------------------------------------------------------------------------
    def act(self, kind: str, grade: str) -> None:
        unit = self.selected
        if unit is None:
            return
        if kind == REINSPECT:
            self.reinspect_did_request.emit(unit.serial)
            return
        supervisor, reason = self.form.supervisor.text(), self.form.reason.text()
        service = self.service
        dispute = self.selected_dispute
        op = {
            "reply": lambda: self.care.reply(dispute, supervisor, reason),
            "return": lambda: service.receive_return(unit, supervisor, reason),
            "regrade": lambda: service.regrade(unit, grade, supervisor, reason),
            "repair": lambda: service.send_to_repair(unit, supervisor, reason),
            "parts": lambda: service.mark_parts(unit, supervisor, reason),
            "release": lambda: service.release_hold(unit, supervisor, reason),
        }[kind]
        for button in self.form.buttons.values():
            button.setEnabled(False)
        run_in_background(self, op, success=lambda _id: self._stored(unit, kind),
                          failure=lambda exc: self._refused(unit, exc))

    def _stored(self, unit: ReviewUnit, kind: str) -> None:
        self.form.done()
        self.form.show_unit(self.selected, dispute=self._answerable())
        self.form.say(_("{serial}: {action} saved; it reaches Odoo through the outbox (see Activity).").format(
            serial=unit.serial, action=self.form.buttons[kind].text()), "ok")
        run_in_background(self, lambda: self.service.history(unit.serial), success=self.detail.show_history)

    def _refused(self, unit: ReviewUnit, exc: BaseException) -> None:
        self.form.show_unit(self.selected, dispute=self._answerable())
        if not isinstance(exc, KnownError):
            show_failure(exc)
            return
        self.form.say(exc.user_message, "error")
