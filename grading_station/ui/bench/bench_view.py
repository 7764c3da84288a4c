"""The bench workspace: scan bar on top, unit card on the left, the current step of the grading right."""

from __future__ import annotations

import concurrent.futures
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLayout, QStackedWidget, QVBoxLayout, QWidget

from grading_station.hardware.battery_reader import BatteryReader

from grading_station.services.bench_models import SessionView
from grading_station.services.grading import GradingService
from grading_station.services.labels import LabelService

from grading_station.ui import messages as default_messages
from grading_station.ui.bench.bench_flow import BenchFlow
from grading_station.ui.bench.checklist_panel import ChecklistPanel
from grading_station.ui.bench.commit_summary import CommitSummaryView
from grading_station.ui.bench.grade_panel import GradePanel
from grading_station.ui.bench.intake_picker import IntakePicker
from grading_station.ui.bench.lookup_page import LookupPage
from grading_station.ui.bench.photo_slots import FileChooser, choose_image_file
from grading_station.ui.bench.scan_bar import ScanBar
from grading_station.ui.bench.theme import STYLE
from grading_station.ui.bench.unit_card import UnitCard
from grading_station.ui.kit.desktop import open_with_desktop
from grading_station.ui.scan_router import ScanRouter


class BenchView(QWidget):
    """Composes the bench widgets; its BenchFlow runs each step of GradingService off the GUI thread.

    `store_executor` is a single worker for the local store (drafts, photos, outbox) so answers are saved in
    order; `network_executor` the Odoo pool (None: the worker module's default pool); `labels` prints grade
    labels (after each commit, L / V on a looked-up unit), None for a bench without labels; `battery_reader`
    reads the unit's battery on `device_executor` (one worker: one device conversation at a time). Signals:
        awaiting_photo_slot_did_change(slot, title): the photo slot the camera panel should fill ("" when
            none), and its title as the tile shows it (one wording on both).
        grading_did_commit(summary): a grading was committed locally (delivery follows in the background).
    """

    awaiting_photo_slot_did_change = Signal(str, str)
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
        lease_renew_ms: int = 10 * 60 * 1000,
        resume: bool = True,
        file_chooser: FileChooser = choose_image_file,
        labels: LabelService | None = None,
        battery_reader: BatteryReader | None = None,
        device_executor: concurrent.futures.Executor | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("bench")
        self.setStyleSheet(STYLE)
        self.service = service
        self._announced_slot = ""  # the awaiting photo slot last told to the camera panel
        self.scan_bar = ScanBar(router, flash_ms)
        self.card = UnitCard()
        self.idle = CommitSummaryView(delivery_poll_ms)
        self.picker = IntakePicker(search_debounce_ms)
        self.lookup = LookupPage()
        self.checklist = ChecklistPanel(file_chooser)
        self.grade = GradePanel()
        self.leased = QLabel()
        self.leased.setObjectName("leasedNotice")
        self.leased.setProperty("role", "big-hint")
        self.leased.setWordWrap(True)
        self.leased.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pages = QStackedWidget()
        for page in (self.idle, self.lookup, self.picker, self.checklist, self.grade, self.leased):
            self.pages.addWidget(page)
        self.side = QVBoxLayout()  # the unit card, and the camera panel when app.py adds one
        self.side.setSpacing(12)
        self.side.addWidget(self.card, 1)  # alone it fills the column; beside the camera it keeps its height
        body = QHBoxLayout()
        body.setSpacing(16)
        body.addLayout(self.side)
        body.addWidget(self.pages, 1)
        layout = QVBoxLayout(self)
        # The pages differ in minimum size; don't push each change onto the window (the main window sizes us).
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(self.scan_bar)
        layout.addLayout(body, 1)
        # No focus proxy to the scan field: coming back to the bench (F4 → F1) puts the focus on the current
        # step, not in a field still holding the last serial, whose Enter would submit it again.
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        if battery_reader is not None:  # R on the battery step, and the poll for a unit plugged in
            self.checklist.editors["battery"].attach_reader(battery_reader, device_executor)
        self.flow = BenchFlow(self, service, store_executor, network_executor, messages, lease_renew_ms, labels)
        self.checklist.awaiting_slot_did_change.connect(lambda _: self.announce_awaiting())
        self.grade.back_did_request.connect(lambda: self.show_page(self.checklist))
        self.flow.start(resume)

    # -- the workspace protocol (ui/kit/workspace.py) ---------------------------------------------
    def on_scan(self, raw: str, source: str) -> None:
        self.flow.on_scan(raw, source)

    def on_activate(self) -> None:
        self.focus_page()

    # -- for other panels (the camera) and the composition root -----------------------------------
    def add_side_panel(self, panel: QWidget) -> None:
        """Put `panel` (the camera) under the unit card, so the bench fits a 1366×768 screen. The panel keeps
        its own compact type size: the bench's large type is for the technician's answers, not the preview."""
        panel.setStyleSheet("QWidget { font-size: 11pt; } "
                            "QPushButton { min-height: 36px; padding: 2px 10px; }")
        # Shared 2:3, so the card's history keeps a few lines instead of shrinking to one under the camera.
        self.side.setStretchFactor(self.card, 2)
        self.card.history.setMinimumHeight(80)  # three lines of history, not one
        self.side.addWidget(panel, 3)

    @property
    def session(self) -> SessionView | None:
        """The grading open on the bench (a snapshot), None while waiting for a scan."""
        return self.flow.session

    @property
    def awaiting_photo_slot(self) -> str:
        """The slot a photo is expected for now ("" when no photo step is open)."""
        on_photos = (
            self.pages.currentWidget() is self.checklist
            and self.flow.session is not None
            and self.checklist.current_step().kind == "photos"
        )
        return self.checklist.photos.awaiting if on_photos else ""

    def enable_certificates(
        self, fetch: Callable[[str], Path | None], open_document: Callable[[Path], bool] | None = None
    ) -> None:
        """Offer "Certificate [C]" on the look-up page: `fetch(serial)` (blocking: run off the GUI thread) writes
        the unit's certificate to a file, None when it has none; `open_document` opens it (the desktop's viewer)."""
        self.flow.certificates = fetch
        self.flow.open_document = open_document or open_with_desktop
        self.lookup.set_certificate_available(True)

    def fill_photo_slot(self, slot: str, image_bytes: bytes, filename: str = "") -> None:
        """Store an image (a camera still: JPEG or PNG bytes) for `slot` of the open grading; it is checked
        off the GUI thread and shows in its tile, or the tile says why it was refused."""
        self.flow.fill_photo_slot(slot, image_bytes, filename)

    def shutdown(self) -> None:
        """Stop background polling (call before the executors are shut down at exit)."""
        self.flow.shutdown()
        self.checklist.editors["battery"].stop_polling()

    # -- pages and focus ---------------------------------------------------------------------------
    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt override)
        super().focusInEvent(event)
        self.focus_page()

    def show_page(self, page: QWidget) -> None:
        self.pages.setCurrentWidget(page)
        self.focus_page()
        self.announce_awaiting()

    def announce_awaiting(self) -> None:
        slot = self.awaiting_photo_slot
        if slot != self._announced_slot:
            self._announced_slot = slot
            titles = {s: t for s, t, _needed in self.checklist.current_step().slots} if slot else {}
            self.awaiting_photo_slot_did_change.emit(slot, titles.get(slot, ""))

    def focus_page(self) -> None:
        """Put the focus where the technician needs it on the current page."""
        page = self.pages.currentWidget()
        if page is self.checklist:
            self.checklist.set_session(self.checklist.session, self.checklist.index)
        elif page is self.grade:
            self.grade.setFocus(Qt.FocusReason.OtherFocusReason)
        elif page is self.picker:
            self.picker.query.setFocus(Qt.FocusReason.OtherFocusReason)
        elif page is self.lookup:
            self.lookup.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.scan_bar.focus_field()
