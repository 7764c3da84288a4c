"""The checklist runner: step list with progress, one editor at a time, driven by the keyboard."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from grading_station.services.bench_models import PhotoView, SessionView, StepView

from grading_station.ui.bench.battery_editor import BatteryEditor
from grading_station.ui.bench.photo_slots import FileChooser, PhotoSlots, choose_image_file
from grading_station.ui.bench.step_editors import (
    DIGITS,
    AccessoriesEditor,
    CheckEditor,
    ChecklistKeys,
    ChoiceEditor,
    ConfirmEditor,
)
from grading_station.ui.bench.step_note import StepNote
from grading_station.ui.bench.theme import FAIL, MUTED, PASS, WARN, set_state

from grading_station.i18n import _

MARKS = {"pass": "✔", "fail": "✘", "na": "–", "no": "✘"}
STEP_LIST_MIN, STEP_LIST_MAX = 240, 440  # px: the step list takes ~30 % of the panel between these
STEP_ROW = Qt.ItemDataRole.UserRole  # a list row's step index (section headings have none)


def step_mark(step: StepView, done: bool) -> tuple[str, str, str]:
    """(mark, colour, what was answered) for a step's line in the list: a pass is green, a fail red, N/A grey
    and a cosmetic zone says its condition (green only when it is the best one)."""
    if not done:
        return "○", "", ""
    if step.kind == "choice" and step.options:
        keys = [value for value, _title in step.options]
        title = dict(step.options).get(step.answer, step.answer)
        best = keys.index(step.answer) == 0 if step.answer in keys else False
        return ("✔", PASS, title) if best else ("●", WARN, title)
    if step.answer == "na":
        return MARKS["na"], MUTED, _("N/A")
    if step.answer in ("fail", "no"):
        return MARKS[step.answer], FAIL, ""
    return "✔", PASS, ""


class ChecklistPanel(QWidget):
    """Shows the session's steps; Up/Down move, P/F/N (or 1-9, Y) answer, Enter confirms and moves on,
    M writes a remark on the step, Esc twice discards the grading (once only asks).

    Signals:
        answer_did_choose(step_id, value): save this answer (the panel already shows it and moved on).
        battery_did_submit(health_text, cycles_text, source): check and save this reading ("manual", or the
            device's source when the texts are what the device read).
        photo_file_did_drop(slot, path): check and store this image file for the slot.
        awaiting_slot_did_change(slot): the photo slot to fill next may have changed (a photo arrived, or the
            photo step was entered or left); read `BenchView.awaiting_photo_slot`.
        checklist_did_finish(): Enter on a complete checklist: time to grade.
        note_did_save(step_id, text): keep this remark on the step ("" removes it).
        discard_did_request(): the technician confirmed dropping the grading (nothing goes to Odoo).
    """

    answer_did_choose = Signal(str, str)
    battery_did_submit = Signal(str, str, str)
    photo_file_did_drop = Signal(str, str)
    awaiting_slot_did_change = Signal(str)
    checklist_did_finish = Signal()
    note_did_save = Signal(str, str)
    discard_did_request = Signal()

    def __init__(self, chooser: FileChooser = choose_image_file, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.session: SessionView | None = None
        self.index = 0
        self.discard_pending = False  # Esc pressed once: the next Esc discards, any other key keeps
        self.progress = QProgressBar()
        self.steps = QListWidget()
        self.steps.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.steps.setObjectName("stepList")
        self.steps.setFixedWidth(STEP_LIST_MIN)  # widened with the panel (resizeEvent)
        self.steps.setWordWrap(True)
        self.steps.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        # The style sheet's item padding is not in the wrapped size hint: never cut a title to "…", wrap it.
        self.steps.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.steps.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.steps.currentRowChanged.connect(self._row_clicked)
        self.title = QLabel()
        self.title.setProperty("role", "title")
        self.title.setWordWrap(True)
        self.help = QLabel()
        self.help.setProperty("role", "hint")
        self.help.setWordWrap(True)
        self.error = QLabel()
        self.error.setObjectName("stepError")
        self.error.setWordWrap(True)
        self.keys_hint = QLabel(_("↑/↓ move · Enter confirm · P pass · F fail · N not applicable"))
        self.keys_hint.setProperty("role", "hint")
        self.keys_hint.setWordWrap(True)
        self.editors = {
            "check": CheckEditor(),
            "choice": ChoiceEditor(),
            "accessories": AccessoriesEditor(),
            "confirm": ConfirmEditor(),
            "battery": BatteryEditor(),
        }
        self.photos = PhotoSlots(chooser)
        self.stack = QStackedWidget()
        for editor in self.editors.values():
            editor.answer_did_choose.connect(self._chosen)
            self.stack.addWidget(editor)
        self.stack.addWidget(self.photos)
        self.editors["battery"].reading_did_submit.connect(self.battery_did_submit)
        self.photos.file_did_drop.connect(self.photo_file_did_drop)
        self.photos.awaiting_slot_did_change.connect(self.awaiting_slot_did_change)
        self.note = StepNote()
        self.note.note_did_save.connect(self._note_saved)
        self.note.editing_did_end.connect(self._take_focus)
        self.note_button = QPushButton(_("✎ Note [M]"))
        self.note_button.setToolTip(_("A remark on this step, kept in the test report and the Odoo summary"))
        self.note_button.clicked.connect(self.edit_note)
        self.discard = QPushButton(_("Discard [Esc]"))
        self.discard.setToolTip(_("Drop this grading (asks first); nothing is sent to Odoo"))
        self.discard.clicked.connect(self.ask_discard)
        self.back = QPushButton(_("◀ Back [↑]"))
        self.back.clicked.connect(lambda: self.move(-1))
        self.grade_now = QPushButton(_("Grade [G]"))
        self.grade_now.setToolTip(_("Go to the grade with steps still open: the unit will be held"))
        self.grade_now.clicked.connect(self.checklist_did_finish)
        self.next = QPushButton(_("Next ▶ [Enter]"))
        self.next.setProperty("kind", "primary")
        self.next.clicked.connect(self.confirm)
        for button in (self.discard, self.note_button, self.back, self.grade_now, self.next):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        for button in (self.discard, self.note_button):
            button.setFixedWidth(STEP_LIST_MIN)  # the step list's width

        nav = QHBoxLayout()
        nav.addWidget(self.back)
        nav.addStretch(1)
        nav.addWidget(self.grade_now)
        nav.addWidget(self.next)
        right = QVBoxLayout()
        right.addWidget(self.title)
        right.addWidget(self.help)
        right.addWidget(self.stack, 1)
        right.addWidget(self.note)
        right.addWidget(self.error)
        right.addLayout(nav)
        right.addWidget(self.keys_hint)
        body = QHBoxLayout()
        left = QVBoxLayout()  # the less frequent actions under the step list (the nav row must fit 1366 px)
        left.addWidget(self.steps, 1)
        left.addWidget(self.note_button)
        left.addWidget(self.discard)
        body.addLayout(left)
        body.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.progress)
        layout.addLayout(body, 1)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        # ~30 % of the panel: at 1920 px the titles fit on one or two lines instead of being cut.
        width = max(STEP_LIST_MIN, min(STEP_LIST_MAX, int(self.width() * 0.3)))
        if width != self.steps.width():
            for widget in (self.steps, self.discard, self.note_button):
                widget.setFixedWidth(width)
            if self.session is not None:
                self._refresh_marks()  # the rows' heights follow the new width

    # -- state from the service --------------------------------------------------------------------
    def set_session(self, session: SessionView, index: int | None = None) -> None:
        self.session = session
        self.index = session.first_open_step() if index is None else index
        self._refresh()

    def apply_battery(self, health: int, cycles: int | None, source: str = "") -> None:
        self._replace_session(battery_health=health, battery_cycles=cycles, battery_source=source)
        self.editors["battery"].show_accepted(
            _("Saved: {health} %, {cycles} cycles").format(health=health, cycles=cycles) if cycles is not None
            else _("Saved: {health} %").format(health=health)
        )
        self.move(1)

    def apply_photo(self, photo: PhotoView) -> None:
        photos = dict(self.session.photos)
        photos[photo.slot] = photo
        self._replace_session(photos=photos)
        self.photos.show_photo(photo.slot, photo.thumbnail_png, photo.filename)
        self._refresh_marks()

    def show_photo_error(self, slot: str, text: str) -> None:
        self.photos.show_error(slot, text)
        self.show_error(text)

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        set_state(self.error, "error" if text else "")

    def current_step(self) -> StepView:
        return self.session.steps[self.index]

    def current_editor(self):
        return self.editors.get(self.current_step().kind)

    # -- keyboard ----------------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        if self.session is None:
            return super().keyPressEvent(event)
        key = event.key()
        if key == Qt.Key.Key_Escape:
            if self.discard_pending:
                self.discard_pending = False
                self.discard_did_request.emit()
            else:
                self.ask_discard()
            return event.accept()
        if self.discard_pending:  # any other key keeps the grading (and does what it says)
            self.discard_pending = False
            self.show_error("")
        if key == Qt.Key.Key_M and self.current_step().kind != "battery":
            self.edit_note()
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_PageUp):
            self.move(-1)
        elif key in (Qt.Key.Key_Down, Qt.Key.Key_PageDown):
            self.move(1)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.confirm()
        elif key == Qt.Key.Key_G and self.current_step().kind not in ("battery",):
            self.checklist_did_finish.emit()  # grade now: whatever is still missing holds the unit
        elif self.current_step().kind == "photos" and key in DIGITS:
            self.photos.choose(DIGITS[key])
        elif not (self.current_editor() and self.current_editor().handle_key(key)):
            return super().keyPressEvent(event)
        event.accept()

    def ask_discard(self) -> None:
        if self.session is None:
            return
        self.discard_pending = True
        self.error.setText(
            _("Discard the grading of {serial}? Esc again: discard (nothing is sent to Odoo) · "
              "any other key: carry on.").format(serial=self.session.serial)
        )
        set_state(self.error, "warn")
        self._take_focus()

    def cancel_discard(self) -> None:
        """A scan arrived: whatever the Esc before it meant, the technician's next Esc only asks again."""
        if self.discard_pending:
            self.discard_pending = False
            self.show_error("")

    def edit_note(self) -> None:
        if self.session is not None:
            self.note.edit(self.current_step().note)

    def _note_saved(self, text: str) -> None:
        step_id = self.current_step().id
        key = step_id.partition(".")[0]  # the zones of a cosmetic step share its remark
        steps = tuple(
            dataclasses.replace(s, note=text) if s.id.partition(".")[0] == key else s for s in self.session.steps
        )
        self._replace_session(steps=steps)
        self.note_did_save.emit(step_id, text)
        self._refresh_marks()

    def _take_focus(self) -> None:
        if self.session is not None and self.current_step().kind == "battery":
            self.editors["battery"].take_focus()
        else:
            self.setFocus(Qt.FocusReason.OtherFocusReason)

    def move(self, delta: int) -> None:
        self.index = max(0, min(len(self.session.steps) - 1, self.index + delta))
        self._refresh()

    def confirm(self) -> None:
        step = self.current_step()
        editor = self.current_editor()
        if editor is not None and not editor.confirm():
            return
        if step.kind == "photos" and not self.session.step_done(step):
            missing = [
                title for slot, title, needed in step.slots if needed and slot not in self.session.photos
            ]
            self.show_error("Photos still missing: " + ", ".join(missing))
            return
        if not self.session.step_done(step) and step.required:
            self.show_error(_("Answer this step first."))
            return
        if self.index == len(self.session.steps) - 1 or self.session.complete and self._all_after_done():
            if self.session.complete:
                self.checklist_did_finish.emit()
            else:
                self.index = self.session.first_open_step()
                self._refresh()
                self.show_error(_("Some steps are still open."))
            return
        self.move(1)

    def _all_after_done(self) -> bool:
        return all(self.session.step_done(s) for s in self.session.steps[self.index + 1 :])

    def _chosen(self, value: str) -> None:
        step = self.current_step()
        steps = list(self.session.steps)
        steps[self.index] = dataclasses.replace(step, answer=value)
        self._replace_session(steps=tuple(steps))
        self.answer_did_choose.emit(step.id, value)
        if self.index < len(steps) - 1:
            self.move(1)
        else:
            self._refresh()

    def _replace_session(self, **changes) -> None:
        self.session = dataclasses.replace(self.session, **changes)

    # -- drawing -----------------------------------------------------------------------------------
    def _refresh(self) -> None:
        step = self.current_step()
        self.discard_pending = False
        self.show_error("")
        if self.note.editing:
            self.note.field.hide()  # an unsaved remark belongs to the step that was shown
        self.note.show_note(step.note)
        self.title.setText(f"{self.index + 1}. {step.title}")
        self.help.setText(step.help)
        self.help.setVisible(bool(step.help))
        if step.kind == "photos":
            self.stack.setCurrentWidget(self.photos)
            filled = {s: (p.thumbnail_png, p.filename) for s, p in self.session.photos.items()}
            self.photos.set_slots(
                [(s, t if needed else _("{slot} (optional)").format(slot=t)) for s, t, needed in step.slots], filled
            )
        else:
            editor = self.editors[step.kind]
            self.stack.setCurrentWidget(editor)
            editor.show_step(step)
            if step.kind == "battery":
                editor.set_unit(self.session.serial, self.session.category)
                editor.show_values(self.session.battery_health, self.session.battery_cycles,
                                   self.session.battery_source)
        device = step.kind == "battery" and self.editors["battery"].can_read
        self.keys_hint.setText(ChecklistKeys.hint(step.kind, step.allow_na, device))
        self._refresh_marks()
        self.awaiting_slot_did_change.emit(self.photos.awaiting if step.kind == "photos" else "")
        if step.kind == "battery":
            self.editors["battery"].take_focus()
        elif not self.hasFocus():
            self.setFocus(Qt.FocusReason.OtherFocusReason)

    def _refresh_marks(self) -> None:
        session = self.session
        self.steps.blockSignals(True)
        self.steps.clear()
        section = None
        current = None
        for index, step in enumerate(session.steps):
            if step.section and step.section != section:
                heading = QListWidgetItem(step.section.upper())
                heading.setFlags(Qt.ItemFlag.NoItemFlags)  # a heading, not a step: never selected
                font = QFont(heading.font())
                font.setBold(True)
                heading.setFont(font)
                heading.setForeground(QColor(MUTED))
                self.steps.addItem(heading)
            section = step.section
            mark, colour, answered = step_mark(step, session.step_done(step))
            text = f"{mark}  {step.title}" + (f" — {answered}" if answered else "") + ("  ✎" if step.note else "")
            item = QListWidgetItem(text)
            item.setData(STEP_ROW, index)
            if colour:
                item.setForeground(QColor(colour))
            item.setSizeHint(self._row_size(text))
            self.steps.addItem(item)
            if index == self.index:
                current = item
        if current is not None:
            self.steps.setCurrentItem(current)
            # In the middle of the list, not at its bottom edge: the steps around it stay in view.
            self.steps.scrollToItem(current, QAbstractItemView.ScrollHint.PositionAtCenter)
        self.steps.blockSignals(False)
        self.progress.setMaximum(len(session.steps))
        self.progress.setValue(session.answered)
        self.progress.setFormat(
            _("{done} of {total} steps done").format(done=session.answered, total=len(session.steps))
        )

    def _row_size(self, text: str) -> QSize:
        """The row's height for its wrapped text: Qt's own hint leaves out the style sheet's item padding, and
        then cuts the last line to "…"."""
        self.steps.ensurePolished()
        width = self.steps.viewport().width() - 2 * 6 - 8  # the item padding, and a little air
        lines = QFontMetrics(self.steps.font()).boundingRect(0, 0, max(width, 80), 10_000,
                                                             Qt.TextFlag.TextWordWrap, text)
        return QSize(max(width, 80), max(40, lines.height() + 10))

    def _row_clicked(self, row: int) -> None:
        item = self.steps.item(row) if row >= 0 else None
        index = item.data(STEP_ROW) if item is not None else None
        if index is not None and self.session is not None and index != self.index:
            self.index = index
            self._refresh()
