"""Parts of the window built after start-up (they need something slow to load): the stand-in that holds a
deferred workspace's place, and the loader that brings them in one after the other."""

from __future__ import annotations

import concurrent.futures
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from grading_station.ui import messages
from grading_station.ui.kit.background import run_in_background, show_failure
from grading_station.ui.kit.workspace import ScanTarget


class DeferredWorkspace(QWidget):
    """Stands in the side bar from the start; says `waiting_text` until `set_widget` gives the real workspace,
    then shows it and forwards the workspace protocol (scans, activation) to it."""

    def __init__(self, waiting_text: str) -> None:
        super().__init__()
        self._waiting_text = waiting_text
        self.widget: QWidget | None = None
        self._label = QLabel(waiting_text)
        self._label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._label.setProperty("role", "big-hint")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.addWidget(self._label)

    def set_widget(self, widget: QWidget) -> None:
        self._label.hide()
        self._layout.addWidget(widget)
        self.widget = widget
        if self.isVisible() and isinstance(widget, ScanTarget):
            widget.on_activate()

    def on_scan(self, raw: str, source: str) -> None:
        if isinstance(self.widget, ScanTarget):
            self.widget.on_scan(raw, source)
        else:
            messages.info(self._waiting_text, replace="scan")

    def on_activate(self) -> None:
        if isinstance(self.widget, ScanTarget):
            self.widget.on_activate()
        else:
            self.setFocus()


def load_in_turn(owner: QObject, steps: Sequence[tuple[Callable[[], Any], Callable[[Any], None]]],
                 going_on: Callable[[], bool] = lambda: True,
                 executor: concurrent.futures.Executor | None = None) -> None:
    """Load parts of the window one after the other: each step's `load()` off the GUI thread, then its
    `build(result)` on it, then the next step. One at a time, so that work arriving meanwhile (a scan) competes
    for the GIL with one of them at most. A load that fails is shown (as `run_in_background` does) and the next
    step goes on; the steps stop once `going_on()` is false (the window is closing). `executor`: as
    `run_in_background`'s."""
    if not steps or not going_on():
        return
    (load, build), rest = steps[0], steps[1:]

    def built(result: Any) -> None:
        if going_on():
            build(result)
            load_in_turn(owner, rest, going_on, executor)

    def failed(exc: BaseException) -> None:
        show_failure(exc)
        load_in_turn(owner, rest, going_on, executor)

    run_in_background(owner, load, success=built, failure=failed, executor=executor)
