"""The bench's look in one place: large type, big touch targets, state colours (pass, fail, warning, info)."""

from __future__ import annotations

PASS = "#2e7d32"
FAIL = "#c62828"
WARN = "#ef6c00"
INFO = "#1565c0"
MUTED = "#546e7a"
BUTTON_HEIGHT = 56  # ≥ 48 px: gloved fingers on a touch screen

STYLE = f"""
#bench, #bench QWidget {{ font-size: 16pt; }}
#bench QLabel[role="title"] {{ font-size: 22pt; font-weight: 700; }}
#bench QLabel[role="subtitle"] {{ font-size: 17pt; font-weight: 600; color: #263238; }}
#bench QLabel[role="hint"] {{ font-size: 14pt; color: {MUTED}; }}
#bench QLabel[role="big-hint"] {{ font-size: 24pt; color: {MUTED}; }}
#bench QPushButton {{ min-height: {BUTTON_HEIGHT}px; padding: 4px 12px; border-radius: 8px;
                      background: #eceff1; border: 2px solid #b0bec5; font-weight: 600; }}
#bench QPushButton:focus {{ border: 3px solid {INFO}; }}
#bench QPushButton:disabled {{ color: #90a4ae; background: #f5f5f5; }}
#bench QPushButton[kind="pass"] {{ background: #e8f5e9; border-color: {PASS}; color: {PASS}; }}
#bench QPushButton[kind="fail"] {{ background: #ffebee; border-color: {FAIL}; color: {FAIL}; }}
#bench QPushButton[kind="na"] {{ background: #eceff1; border-color: {MUTED}; color: #37474f; }}
#bench QPushButton[kind="primary"] {{ background: {INFO}; border-color: #0d47a1; color: white; }}
#bench QPushButton[chosen="true"] {{ border: 5px solid {INFO}; background: #bbdefb; color: #0d47a1; }}
#bench QPushButton[kind="pass"][chosen="true"] {{ background: {PASS}; color: white; }}
#bench QPushButton[kind="fail"][chosen="true"] {{ background: {FAIL}; color: white; }}
#bench QPushButton[kind="na"][chosen="true"] {{ background: {MUTED}; color: white; }}
#bench QLineEdit, #bench QComboBox, #bench QSpinBox {{ min-height: 44px; padding: 2px 8px;
                      border: 2px solid #b0bec5; border-radius: 6px; background: white; }}
#bench QLineEdit:focus, #bench QComboBox:focus {{ border-color: {INFO}; }}
#bench QListWidget {{ border: 1px solid #cfd8dc; border-radius: 6px; }}
#bench QListWidget::item {{ min-height: 40px; padding: 2px 6px; }}
#bench QListWidget#stepList {{ font-size: 14pt; }}
#bench QLabel#photoTitle {{ font-size: 14pt; font-weight: 700; }}
#bench QListWidget::item:selected {{ background: #bbdefb; color: black; }}
#bench QProgressBar {{ min-height: 22px; border: 1px solid #b0bec5; border-radius: 6px; text-align: center;
                      font-size: 13pt; }}
#bench QProgressBar::chunk {{ background: {INFO}; border-radius: 5px; }}
#bench QFrame[role="card"] {{ background: #fafafa; border: 1px solid #cfd8dc; border-radius: 10px; }}
#bench QLabel[state="error"] {{ color: {FAIL}; font-weight: 600; }}
#bench QLabel[state="warn"] {{ color: {WARN}; font-weight: 600; }}
#bench QLabel[state="ok"] {{ color: {PASS}; font-weight: 600; }}
#bench QLabel[state="info"] {{ color: {INFO}; }}
#scanField {{ font-size: 22pt; min-height: 60px; font-family: monospace; }}
#scanField[state="error"] {{ border: 4px solid {FAIL}; background: #ffebee; }}
#scanField[state="ok"] {{ border: 3px solid {PASS}; }}
#scanField[state="busy"] {{ border: 3px solid {INFO}; background: #e3f2fd; }}
"""


def set_state(widget, state: str) -> None:
    """Set a widget's `state` property and re-apply the style sheet so the colour changes at once."""
    widget.setProperty("state", state)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def set_prop(widget, name: str, value) -> None:
    widget.setProperty(name, value)
    widget.style().unpolish(widget)
    widget.style().polish(widget)
