"""Editors for declared settings (one per type) and a page that lays out a list of them as a form."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from grading_station.ui.settings.pages import BlockingWork, SettingsContext, SettingsPage

from grading_station.config import Setting, setting
from grading_station.i18n import _

_ESCAPES = (("\\", "\\\\"), ("\n", "\\n"), ("\r", "\\r"), ("\t", "\\t"))


class Editor:
    """A widget that shows and returns one setting's value."""

    def __init__(self, item: Setting, widget: QWidget) -> None:
        self.setting = item
        self.widget = widget

    def get(self) -> Any:
        w = self.widget
        if isinstance(w, QComboBox):
            return w.currentData()
        if isinstance(w, QSpinBox | QDoubleSpinBox):
            return w.value()
        if isinstance(w, QCheckBox):
            return w.isChecked()
        if isinstance(w, QPlainTextEdit):
            return [line.strip() for line in w.toPlainText().splitlines() if line.strip()]
        return w.text().strip()

    def set(self, value: Any) -> None:
        w = self.widget
        if isinstance(w, QComboBox):
            w.setCurrentIndex(max(0, w.findData(value)))
        elif isinstance(w, QSpinBox | QDoubleSpinBox):
            w.setValue(value)
        elif isinstance(w, QCheckBox):
            w.setChecked(bool(value))
        elif isinstance(w, QPlainTextEdit):
            w.setPlainText("\n".join(value))
        else:
            w.setText(value)


class EscapedEditor(Editor):
    """A text setting holding control characters (a scanner suffix), shown as \\n, \\t, \\r to be seen."""

    def get(self) -> str:
        text, out, i = self.widget.text(), [], 0
        codes = {"n": "\n", "r": "\r", "t": "\t", "\\": "\\"}
        while i < len(text):
            if text[i] == "\\" and i + 1 < len(text) and text[i + 1] in codes:
                out.append(codes[text[i + 1]])
                i += 2
            else:
                out.append(text[i])
                i += 1
        return "".join(out)

    def set(self, value: str) -> None:
        for raw, shown in _ESCAPES:
            value = value.replace(raw, shown)
        self.widget.setText(value)


def make_editor(key: str, choice_titles: dict[str, str] | None = None, escaped: bool = False) -> Editor:
    """The editor that fits the declared type of `key` (combo for choices, spin box for numbers, ...)."""
    item = setting(key)
    widget: QWidget
    if item.choices:
        widget = QComboBox()
        for choice in item.choices:
            widget.addItem(_((choice_titles or {}).get(choice, choice)), choice)  # titles are N_()-marked
    elif item.type is bool:
        widget = QCheckBox(_(item.title))
    elif item.type is int:
        widget = QSpinBox()
        widget.setRange(int(item.minimum if item.minimum is not None else -1_000_000),
                        int(item.maximum if item.maximum is not None else 1_000_000))
    elif item.type is float:
        widget = QDoubleSpinBox()
        widget.setDecimals(2)
        widget.setRange(item.minimum if item.minimum is not None else -1e9,
                        item.maximum if item.maximum is not None else 1e9)
    elif item.type is list:
        widget = QPlainTextEdit()
        widget.setTabChangesFocus(True)  # Tab moves on (keyboard navigation), it never types into the list
        widget.setFixedHeight(110)
    else:
        widget = QLineEdit()
    widget.setObjectName(key)
    widget.setToolTip(_(item.description))
    return (EscapedEditor if escaped else Editor)(item, widget)


class DeclaredSettingsPage(SettingsPage):
    """A form of declared settings: a title, then per setting its title, its editor and its description.

    Subclasses set `title` and `editors` (a list of Editor from make_editor); other packages can use it too.
    """

    def __init__(self, context: SettingsContext, title: str, editors: list[Editor]) -> None:
        super().__init__(context)
        self.title = title
        self.editors = {editor.setting.key: editor for editor in editors}
        self.form = QFormLayout()
        self.form.setVerticalSpacing(4)
        self.form.setHorizontalSpacing(16)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        for editor in editors:
            self.add_row(_(editor.setting.title), editor.widget, _(editor.setting.description))
        # Fields stay a readable width on a wide screen instead of stretching across it.
        body = QWidget()
        body.setMaximumWidth(960)
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 0, 0)
        heading = QLabel(_(title))
        heading.setProperty("role", "title")
        column.addWidget(heading)
        column.addLayout(self.form)
        column.addStretch(1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 16, 24, 16)
        outer.addWidget(body)

    def add_row(self, label: str, widget: QWidget, hint: str = "") -> None:
        self.form.addRow(label, widget)
        if hint:
            note = QLabel(hint)
            note.setProperty("role", "hint")
            note.setWordWrap(True)
            self.form.addRow("", note)

    def load(self) -> None:
        for key, editor in self.editors.items():
            editor.set(self.context.config.get(key))

    def save(self) -> BlockingWork | None:
        # Check every field before setting any, so one bad field leaves the config untouched.
        values = {key: setting(key).check(editor.get()) for key, editor in self.editors.items()}
        for key, value in values.items():
            self.context.config.set(key, value)
        return None
