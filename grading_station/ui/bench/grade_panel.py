"""The grade step: the suggested grade with its reasons; another grade needs a reason; Enter commits."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from grading_station.domain.grade_choices import is_upgrade, possible_grades

from grading_station.services.bench_models import GradeAdvice

from grading_station.ui.bench.step_editors import DIGITS
from grading_station.ui.bench.theme import set_prop, set_state

from grading_station.i18n import _


class GradePanel(QWidget):
    """Keys 1-9 choose a grade (the suggestion is pre-chosen); Enter commits; Esc goes back to the checklist.
    Grades the checklist rules out are greyed out; a grade above the suggestion needs a supervisor's name and
    confirmation, kept with the reason in the audit log.

    Signals:
        commit_did_request(grade, override_reason): commit with this grade ("" reason: the suggestion).
        back_did_request(): return to the checklist.
    """

    commit_did_request = Signal(str, str)
    back_did_request = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.suggestion: GradeAdvice | None = None
        self.grade = ""
        self.title = QLabel(_("Grade"))
        self.title.setProperty("role", "title")
        self.reasons = QLabel()
        self.reasons.setObjectName("gradeReasons")
        self.reasons.setWordWrap(True)
        self.hold = QLabel()
        self.hold.setObjectName("holdReasons")
        self.hold.setWordWrap(True)
        set_state(self.hold, "warn")
        self._grid = QGridLayout()
        self.buttons: list[tuple[str, QPushButton]] = []
        self.reason_label = QLabel(_("Why a different grade? (required, kept in the audit log)"))
        self.reason_label.setWordWrap(True)  # longer in German than the page is wide at 1366×768
        self.reason = QLineEdit()
        self.reason.setObjectName("overrideReason")
        self.reason.setPlaceholderText(_("e.g. deep scratch on the camera lens not covered by the checklist"))
        self.reason.returnPressed.connect(self._reason_entered)
        self.supervisor = QLineEdit()
        self.supervisor.setObjectName("upgradeSupervisor")
        self.supervisor.setPlaceholderText(_("Supervisor's name (upgrade)"))
        self.supervisor.returnPressed.connect(self._supervisor_entered)
        self.approved = QCheckBox(_("Supervisor confirms  [Space]"))
        self.approved.setObjectName("upgradeApproved")
        self.approved.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.approved.setStyleSheet("QCheckBox::indicator { width: 28px; height: 28px; }")
        self.upgrade_box = QWidget()
        upgrade = QHBoxLayout(self.upgrade_box)  # one row: the grades must still fit 1366×768
        upgrade.setContentsMargins(0, 0, 0, 0)
        upgrade.addWidget(self.supervisor, 1)
        upgrade.addWidget(self.approved)
        self.error = QLabel()
        self.error.setObjectName("gradeError")
        self.error.setWordWrap(True)
        self.commit = QPushButton(_("Commit grading  [Enter]"))
        self.commit.setObjectName("commitButton")
        self.commit.setProperty("kind", "primary")
        self.commit.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.commit.clicked.connect(self._commit)
        self.back = QPushButton(_("◀ Back to checklist  [Esc]"))
        self.back.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.back.clicked.connect(self.back_did_request)
        why = QWidget()
        why_layout = QVBoxLayout(why)
        why_layout.setContentsMargins(0, 0, 8, 0)
        why_layout.addWidget(self.reasons)
        why_layout.addWidget(self.hold)
        why_layout.addStretch(1)
        self.why = QScrollArea()  # a long list of reasons scrolls instead of pushing the grades off screen
        self.why.setWidget(why)
        self.why.setWidgetResizable(True)
        self.why.setFrameShape(QFrame.Shape.NoFrame)
        self.why.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.why.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._why_body = why
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.why)
        layout.addLayout(self._grid)
        layout.addWidget(self.reason_label)
        layout.addWidget(self.reason)
        layout.addWidget(self.upgrade_box)
        layout.addWidget(self.error)
        layout.addStretch(1)
        actions = QHBoxLayout()  # side by side: room for the supervisor's row at 1366×768
        actions.addWidget(self.back, 1)
        actions.addWidget(self.commit, 2)
        layout.addLayout(actions)

    def show_suggestion(self, suggestion: GradeAdvice) -> None:
        self.suggestion = suggestion
        titles = dict(suggestion.choices)
        self.title.setText(_("Suggested grade: {grade}").format(grade=titles.get(suggestion.grade, suggestion.grade)))
        self.reasons.setText(
            "\n".join(f"• {reason}" for reason in suggestion.reasons) or "• " + _("All passed.")
        )
        for _key, button in self.buttons:
            button.deleteLater()
        self.buttons = []
        possible = possible_grades([k for k, _t in suggestion.choices], suggestion.sellable, suggestion.grade)
        for index, (key, title) in enumerate(suggestion.choices):
            button = QPushButton(f"{title}  [{index + 1}]")
            button.setObjectName(f"grade_{key}")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setMinimumHeight(64)
            button.setEnabled(key in possible)
            if key not in possible:
                button.setToolTip(self._impossible_text(title))
            button.clicked.connect(lambda _checked=False, k=key: self.choose(k))
            self._grid.addWidget(button, index // 3, index % 3)
            self.buttons.append((key, button))
        self.reason.clear()
        self.supervisor.clear()
        self.approved.setChecked(False)
        self.show_error("")
        self.choose(suggestion.grade)
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    def choose(self, grade: str) -> None:
        button = dict(self.buttons).get(grade)
        if button is not None and not button.isEnabled():
            self.show_error(button.toolTip())  # said, not silently ignored: the key did something
            return
        self.show_error("")
        self.grade = grade
        for key, button in self.buttons:
            set_prop(button, "kind", "pass" if key == self.suggestion.grade else "")
            set_prop(button, "chosen", key == grade)
        overriding = grade != self.suggestion.grade
        sellable = grade in self.suggestion.sellable
        held = sellable and self.suggestion.hold_reasons
        self.hold.setVisible(bool(held))
        QTimer.singleShot(0, self._fit_why)
        if held:
            self.hold.setText(
                "Will go to WH/Hold, not on sale, because: " + "; ".join(_few(self.suggestion.hold_reasons))
            )
        self.reason_label.setVisible(overriding)
        self.reason.setVisible(overriding)
        self.upgrade_box.setVisible(self.upgrading)
        if overriding:
            self.reason.setFocus(Qt.FocusReason.OtherFocusReason)

    @property
    def upgrading(self) -> bool:
        """The chosen grade is better than the suggestion: a supervisor must confirm it."""
        advice = self.suggestion
        return advice is not None and is_upgrade(
            [k for k, _t in advice.choices], advice.sellable, advice.grade, self.grade
        )

    def _impossible_text(self, title: str) -> str:
        titles = dict(self.suggestion.choices)
        return _(
            "Not possible: the checklist sends this unit to {outcome}, so it cannot be graded {grade}. "
            "If a test was answered by mistake, go back (Esc) and answer it again."
        ).format(outcome=titles.get(self.suggestion.grade, self.suggestion.grade), grade=title)

    def _reason_entered(self) -> None:
        if self.upgrading:
            self.supervisor.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self._commit()

    def _supervisor_entered(self) -> None:
        if self.approved.isChecked():
            self._commit()
        else:
            self.approved.setFocus(Qt.FocusReason.OtherFocusReason)
            self.show_error(_("Supervisor: press Space to confirm the upgrade, then Enter."))

    def _fit_why(self) -> None:
        """As tall as the reasons need, at most 220 px (120 with the supervisor's row; then they scroll): the
        grades stay in view."""
        width = max(200, self.why.viewport().width())
        body = self._why_body
        needed = body.heightForWidth(width) if body.hasHeightForWidth() else body.sizeHint().height()
        self.why.setFixedHeight(min(max(needed, 40), 120 if self.upgrading else 220))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._fit_why()

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        set_state(self.error, "error" if text else "")

    def set_busy(self, busy: bool) -> None:
        self.commit.setEnabled(not busy)
        self.commit.setText("Saving…" if busy else "Commit grading  [Enter]")

    def _commit(self) -> None:
        if not self.commit.isEnabled():
            return
        reason = self.reason.text().strip() if self.grade != self.suggestion.grade else ""
        if self.upgrading:
            supervisor = " ".join(self.supervisor.text().split())
            if not supervisor or not self.approved.isChecked():
                self.show_error(_("An upgrade above the suggestion needs a supervisor: their name, and their "
                                  "confirmation (tick the box)."))
                (self.approved if supervisor else self.supervisor).setFocus(Qt.FocusReason.OtherFocusReason)
                return
            if reason:
                # The commit keeps one reason text (services/grading.py): the confirmation goes with it.
                reason = _("{reason} (upgrade confirmed by supervisor {name})").format(reason=reason, name=supervisor)
        self.commit_did_request.emit(self.grade, reason)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        key = event.key()
        index = DIGITS.get(key, 0) - 1
        typing = self.reason.hasFocus() or self.supervisor.hasFocus()
        if 0 <= index < len(self.buttons) and not typing:
            self.choose(self.buttons[index][0])
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if not typing:  # a field's Enter already acted (returnPressed) before QLineEdit passed it on
                self._commit()
        elif key == Qt.Key.Key_Escape:
            self.back_did_request.emit()
        else:
            super().keyPressEvent(event)


def _few(items: tuple[str, ...], keep: int = 3) -> list[str]:
    if len(items) <= keep:
        return list(items)
    return [*items[:keep], _("… and {count} more").format(count=len(items) - keep)]
