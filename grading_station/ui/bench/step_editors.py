"""Editors for one checklist step each: pass/fail/n-a, a choice (cosmetic zone), accessories, confirmation."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from grading_station.services.bench_models import StepView

from grading_station.ui.bench.theme import set_prop, set_state

from grading_station.i18n import N_, _

CHECK_KEYS = {Qt.Key.Key_P: "pass", Qt.Key.Key_F: "fail", Qt.Key.Key_N: "na"}
DIGITS = {getattr(Qt.Key, f"Key_{n}"): n for n in range(1, 10)}


def _keep_place(widget: QWidget) -> None:
    """A hidden button keeps its room, so the others neither grow nor jump from one step to the next."""
    policy = widget.sizePolicy()
    policy.setRetainSizeWhenHidden(True)
    widget.setSizePolicy(policy)


def _button(text: str, kind: str = "") -> QPushButton:
    button = QPushButton(text)
    button.setMinimumHeight(72)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the checklist panel keeps the focus and the keys
    if kind:
        button.setProperty("kind", kind)
    return button


class StepEditor(QWidget):
    """Base of the editors. Signal `answer_did_choose(value)`: the technician answered the step shown."""

    answer_did_choose = Signal(str)

    def show_step(self, step: StepView) -> None:
        raise NotImplementedError

    def handle_key(self, key: int) -> bool:
        """React to a key the checklist panel did not use; True when handled."""
        return False

    def confirm(self) -> bool:
        """Enter pressed: True when the step may be left (the editor may emit its answer first)."""
        return True


class CheckEditor(StepEditor):
    """Three big buttons: Pass (P), Fail (F), Not applicable (N). They sit at the top, in the same place on
    every step (a step without N/A keeps its room), so the eye and the finger find them without searching."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.buttons = {
            "pass": _button(_("✔ Pass  [P]"), "pass"),
            "fail": _button(_("✘ Fail  [F]"), "fail"),
            "na": _button(_("– N/A  [N]"), "na"),
        }
        for value, button in self.buttons.items():
            button.clicked.connect(lambda _checked=False, v=value: self.answer_did_choose.emit(v))
            row.addWidget(button, 1)
        _keep_place(self.buttons["na"])
        column.addLayout(row)
        column.addStretch(1)

    def show_step(self, step: StepView) -> None:
        self.buttons["na"].setVisible(step.allow_na)
        self.buttons["na"].setToolTip(_("Not applicable: this model has no such part"))
        for value, button in self.buttons.items():
            set_prop(button, "chosen", value == step.answer)

    def handle_key(self, key: int) -> bool:
        value = CHECK_KEYS.get(key)
        if value is None or not self.buttons[value].isVisibleTo(self):
            return False
        self.answer_did_choose.emit(value)
        return True


class ChoiceEditor(StepEditor):
    """One button per option, chosen with keys 1-9 (cosmetic zones: screen, back, frame...)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self.buttons: list[tuple[str, QPushButton]] = []

    def show_step(self, step: StepView) -> None:
        for _value, button in self.buttons:
            button.deleteLater()
        self.buttons = []
        for index, (value, title) in enumerate(step.options):
            button = _button(f"[{index + 1}]  {title}", "pass" if index == 0 else "")
            button.setMinimumHeight(56)
            button.setStyleSheet("text-align: left; padding-left: 16px;")
            set_prop(button, "chosen", value == step.answer)
            button.clicked.connect(lambda _=False, v=value: self.answer_did_choose.emit(v))
            self._grid.addWidget(button, index, 0)
            self.buttons.append((value, button))

    def handle_key(self, key: int) -> bool:
        index = DIGITS.get(key, 0) - 1
        if 0 <= index < len(self.buttons):
            self.answer_did_choose.emit(self.buttons[index][0])
            return True
        return False


class AccessoriesEditor(StepEditor):
    """Tick what came with the unit (keys 1-9 toggle), Enter confirms; nothing ticked means "none"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._column = QVBoxLayout(self)
        self._column.setContentsMargins(0, 0, 0, 0)
        self.boxes: list[tuple[str, QCheckBox]] = []

    def show_step(self, step: StepView) -> None:
        for _value, box in self.boxes:
            box.deleteLater()
        chosen = set(step.answer.split(",")) if step.answer else set()
        self.boxes = []
        for index, (value, title) in enumerate(step.options):
            box = QCheckBox(f"{title}  [{index + 1}]")
            box.setMinimumHeight(48)
            box.setStyleSheet("QCheckBox::indicator { width: 32px; height: 32px; }")
            box.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            box.setChecked(value in chosen)
            self._column.addWidget(box)
            self.boxes.append((value, box))

    def handle_key(self, key: int) -> bool:
        index = DIGITS.get(key, 0) - 1
        if 0 <= index < len(self.boxes):
            box = self.boxes[index][1]
            box.setChecked(not box.isChecked())
            return True
        return False

    def confirm(self) -> bool:
        ticked = [value for value, box in self.boxes if box.isChecked()]
        self.answer_did_choose.emit(",".join(ticked) if ticked else "none")
        return False  # the answer moves on once saved


class ConfirmEditor(StepEditor):
    """A yes/no confirmation (data erased, no account lock), never preset. Y yes, X (or Backspace) no,
    N not applicable: N means N/A on every step of the checklist. A "no" that holds the unit asks first:
    X again (or a second click) confirms it, any other answer or move gives it up."""

    KEYS = {Qt.Key.Key_Y: "yes", Qt.Key.Key_X: "no", Qt.Key.Key_Backspace: "no", Qt.Key.Key_N: "na"}

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.step: StepView | None = None
        self.no_pending = False  # X pressed once on a step whose "no" holds the unit
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.buttons = {
            "yes": _button(_("✔ Yes  [Y]"), "pass"),
            "no": _button(_("✘ No  [X]"), "fail"),
            "na": _button(_("– N/A  [N]"), "na"),
        }
        for value, button in self.buttons.items():
            button.clicked.connect(lambda _checked=False, v=value: self.choose(v))
            row.addWidget(button, 1)
        _keep_place(self.buttons["na"])
        self.prompt = QLabel()
        self.prompt.setObjectName("holdPrompt")
        self.prompt.setWordWrap(True)
        column.addLayout(row)
        column.addWidget(self.prompt)
        column.addStretch(1)

    def show_step(self, step: StepView) -> None:
        self.step = step
        self._ask_no(False)
        self.buttons["na"].setVisible(step.allow_na)
        for value, button in self.buttons.items():
            set_prop(button, "chosen", step.answer == value)

    def choose(self, value: str) -> None:
        holds = self.step is not None and bool(self.step.hold_reason) and self.step.answer != "no"
        if value == "no" and holds and not self.no_pending:
            self._ask_no(True)
            return
        self._ask_no(False)
        self.answer_did_choose.emit(value)

    def _ask_no(self, asking: bool) -> None:
        self.no_pending = asking
        if asking:
            self.prompt.setText(
                _("No to “{step}” holds the unit in WH/Hold, not on sale: {reason}. Press X again (or click "
                  "No) to confirm; another answer or ↑/↓ gives it up.").format(step=self.step.title,
                                                                      reason=self.step.hold_reason)
            )
        else:
            self.prompt.setText("")
        set_state(self.prompt, "warn" if asking else "")
        self.prompt.setVisible(asking)

    def handle_key(self, key: int) -> bool:
        value = self.KEYS.get(key)
        if value is None or not self.buttons[value].isVisibleTo(self):
            return False
        self.choose(value)
        return True


class ChecklistKeys:
    """The one-line key reminder under each kind of step. One key, one meaning: N is "not applicable" on
    every step that has it; "no" on a confirmation is X (or Backspace)."""

    HINTS = {
        "check": N_("P pass · F fail · N not applicable · ↑/↓ move · Enter next"),
        "choice": N_("1-9 choose · ↑/↓ move · Enter next"),
        "accessories": N_("1-9 tick / untick · Enter confirm · ↑/↓ move"),
        "confirm": N_("Y yes · X no (asks first when it holds the unit) · N not applicable · ↑/↓ move · Enter next"),
        "battery": N_("Type the values · Enter next field / save · ↑/↓ move"),
        "photos": N_("1-9 or click: choose a file · drop image files on the tiles · or the camera · Enter next"),
    }
    WITHOUT_NA = {
        "check": N_("P pass · F fail · ↑/↓ move · Enter next"),
        "confirm": N_("Y yes · X no (asks first when it holds the unit) · ↑/↓ move · Enter next"),
    }

    @classmethod
    def hint(cls, kind: str, allow_na: bool = True, device: bool = False) -> str:
        """`device`: the battery step can read the unit on the cable (R)."""
        text = _((cls.HINTS if allow_na else {**cls.HINTS, **cls.WITHOUT_NA}).get(kind, N_("↑/↓ move · Enter next")))
        if kind == "battery" and device:
            text = _("R read from the device") + " · " + text
        # The battery fields take letters as text: there the remark is the button's.
        tail = _(" · Esc discard") if kind == "battery" else _(" · M note · Esc discard")
        return text + tail
