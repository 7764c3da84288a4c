"""Editors for one checklist step each: pass/fail/n-a, a choice (cosmetic zone), accessories, confirmation."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QGridLayout, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from grading_station.services.bench_models import StepView

from grading_station.ui.bench.theme import set_prop

from grading_station.i18n import _

CHECK_KEYS = {Qt.Key.Key_P: "pass", Qt.Key.Key_F: "fail", Qt.Key.Key_N: "na"}
DIGITS = {getattr(Qt.Key, f"Key_{n}"): n for n in range(1, 10)}


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
    """Three big buttons: Pass (P), Fail (F), Not applicable (N)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.buttons = {
            "pass": _button("✔ Pass  [P]", "pass"),
            "fail": _button("✘ Fail  [F]", "fail"),
            "na": _button("– N/A  [N]", "na"),
        }
        for value, button in self.buttons.items():
            button.clicked.connect(lambda _=False, v=value: self.answer_did_choose.emit(v))
            row.addWidget(button, 1)

    def show_step(self, step: StepView) -> None:
        self.buttons["na"].setVisible(step.allow_na)
        self.buttons["na"].setToolTip("Not applicable: this model has no such part")
        for value, button in self.buttons.items():
            set_prop(button, "chosen", value == step.answer)

    def handle_key(self, key: int) -> bool:
        value = CHECK_KEYS.get(key)
        if value is None or not self.buttons[value].isVisible():
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
    """A yes/no confirmation (data erased, no account lock): Y, N, or A if it may not apply; never preset."""

    KEYS = {Qt.Key.Key_Y: "yes", Qt.Key.Key_N: "no", Qt.Key.Key_A: "na"}

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.buttons = {
            "yes": _button("✔ Yes  [Y]", "pass"),
            "no": _button("✘ No  [N]", "fail"),
            "na": _button("– N/A  [A]", "na"),
        }
        for value, button in self.buttons.items():
            button.clicked.connect(lambda _=False, v=value: self.answer_did_choose.emit(v))
            row.addWidget(button, 1)

    def show_step(self, step: StepView) -> None:
        self.buttons["na"].setVisible(step.allow_na)
        for value, button in self.buttons.items():
            set_prop(button, "chosen", step.answer == value)

    def handle_key(self, key: int) -> bool:
        value = self.KEYS.get(key)
        if value is None or not self.buttons[value].isVisible():
            return False
        self.answer_did_choose.emit(value)
        return True


class ChecklistKeys:
    """The one-line key reminder under each kind of step."""

    HINTS = {
        "check": "P pass · F fail · N not applicable · ↑/↓ move · Enter next",
        "choice": "1-9 choose · ↑/↓ move · Enter next",
        "accessories": "1-9 tick / untick · Enter confirm · ↑/↓ move",
        "confirm": "Y yes · N no (holds the unit) · A not applicable · ↑/↓ move · Enter next",
        "battery": "Type the values · Enter next field / save · ↑/↓ move",
        "photos": "1-9 or click: choose a file · drop image files on the tiles · or the camera · Enter next",
    }

    @classmethod
    def hint(cls, kind: str, allow_na: bool = True, device: bool = False) -> str:
        """`device`: the battery step can read the unit on the cable (R)."""
        text = cls.HINTS.get(kind, "↑/↓ move · Enter next")
        if kind == "battery" and device:
            text = _("R read from the device") + " · " + text
        if not allow_na:
            text = text.replace(" · N not applicable", "").replace(" · A not applicable", "")
        # The battery fields take letters as text: there the remark is the button's.
        return text + (" · Esc discard" if kind == "battery" else " · M note · Esc discard")
