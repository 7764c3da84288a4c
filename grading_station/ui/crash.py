"""Bugs (anything that is not a KnownError) reach the log and, unless `--no-err-windows`, a crash dialog."""

from __future__ import annotations

import sys
import traceback
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox

from grading_station import log


def install(show_dialog: bool) -> None:
    """Replace sys.excepthook: an exception escaping a Qt slot would otherwise only print to stderr."""

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        log.app.critical("unexpected error: %s", exc, exc_info=(kind, exc, tb), extra={"event": "crash"})
        if show_dialog and QApplication.instance() is not None:
            box = QMessageBox(QMessageBox.Icon.Critical, "Grading Station — unexpected error",
                              "Something went wrong inside Grading Station. Your gradings are safe: committed "
                              "ones wait in the outbox and the current one is saved as a draft.\n\n"
                              f"{kind.__name__}: {exc}")
            box.setDetailedText("".join(traceback.format_exception(kind, exc, tb)))
            box.exec()

    sys.excepthook = hook
