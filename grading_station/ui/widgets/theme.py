"""The look of the workspaces (Settings, Activity, Listing): large fields, clear state colours, visible focus."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

OK = "#2e7d32"
ERROR = "#c62828"
WARN = "#ef6c00"
INFO = "#1565c0"
MUTED = "#546e7a"

STYLE = f"""
QWidget[screen="true"], QWidget[screen="true"] QWidget {{ font-size: 13pt; }}
QWidget[screen="true"] QLabel[role="title"] {{ font-size: 19pt; font-weight: 700; }}
QWidget[screen="true"] QLabel[role="hint"] {{ font-size: 11pt; color: {MUTED}; }}
QWidget[screen="true"] QLineEdit, QWidget[screen="true"] QComboBox, QWidget[screen="true"] QSpinBox,
QWidget[screen="true"] QDoubleSpinBox {{ min-height: 38px; padding: 1px 8px; border: 2px solid #b0bec5;
    border-radius: 6px; background: white; }}
QWidget[screen="true"] QAbstractSpinBox::up-button, QWidget[screen="true"] QAbstractSpinBox::down-button {{
    width: 0; border: none; }}
QWidget[screen="true"] QPlainTextEdit {{ border: 2px solid #b0bec5; border-radius: 6px; background: white; }}
QWidget[screen="true"] QLineEdit:focus, QWidget[screen="true"] QComboBox:focus,
QWidget[screen="true"] QSpinBox:focus, QWidget[screen="true"] QDoubleSpinBox:focus,
QWidget[screen="true"] QPlainTextEdit:focus {{ border-color: {INFO}; }}
QWidget[screen="true"] QPushButton {{ min-height: 44px; padding: 2px 18px; border-radius: 8px;
    background: #eceff1; border: 2px solid #b0bec5; font-weight: 600; }}
QWidget[screen="true"] QPushButton:focus {{ border: 3px solid {INFO}; }}
QWidget[screen="true"] QPushButton:disabled {{ color: #90a4ae; background: #f5f5f5; }}
QWidget[screen="true"] QPushButton[kind="primary"] {{ background: {INFO}; border-color: #0d47a1;
    color: white; }}
QWidget[screen="true"] QListWidget#pageList {{ font-size: 14pt; border: none; background: #eceff1; }}
QWidget[screen="true"] QListWidget#pageList::item {{ min-height: 48px; padding: 0 12px; }}
QWidget[screen="true"] QListWidget#pageList::item:selected {{ background: {INFO}; color: white; }}
QWidget[screen="true"] QLabel[state="error"] {{ color: {ERROR}; font-weight: 600; }}
QWidget[screen="true"] QLabel[state="warn"] {{ color: {WARN}; font-weight: 600; }}
QWidget[screen="true"] QLabel[state="ok"] {{ color: {OK}; font-weight: 600; }}
QWidget[screen="true"] QLabel[state="busy"] {{ color: {INFO}; }}
QWidget[screen="true"] QTableView {{ font-size: 12pt; gridline-color: #eceff1; }}
QWidget[screen="true"] QHeaderView::section {{ font-size: 12pt; font-weight: 600; padding: 6px;
    background: #eceff1; border: none; border-bottom: 2px solid #b0bec5; }}
"""


def apply(screen: QWidget) -> None:
    """Mark `screen` as one of ours and give it the style sheet."""
    screen.setProperty("screen", True)
    screen.setStyleSheet(STYLE)


def set_state(label: QWidget, state: str) -> None:
    """Set the `state` property ("ok", "error", "warn", "busy", "") and re-polish so the colour shows."""
    label.setProperty("state", state)
    label.style().unpolish(label)
    label.style().polish(label)
