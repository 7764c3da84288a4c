"""Bugs (anything that is not a KnownError) reach the log and, unless `--no-err-windows`, a crash dialog."""

from __future__ import annotations

import sys
import traceback
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox

from grading_station import log
from grading_station.i18n import _

_show_dialog = False


def install(show_dialog: bool) -> None:
    """Replace sys.excepthook: an exception escaping a Qt slot would otherwise only print to stderr."""
    global _show_dialog
    _show_dialog = show_dialog

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        report_bug(exc, (kind, exc, tb))

    sys.excepthook = hook


def report_bug(exc: BaseException, exc_info: tuple | None = None) -> None:
    """Log a bug with its traceback and, when installed with dialogs, tell the user their work is safe."""
    kind, tb = type(exc), exc.__traceback__
    if exc_info is not None:
        kind, exc, tb = exc_info
    log.app.critical("unexpected error: %s", exc, exc_info=(kind, exc, tb), extra={"event": "crash"})
    if _show_dialog and QApplication.instance() is not None:
        box = QMessageBox(
            QMessageBox.Icon.Critical, _("Grading Station — unexpected error"),
            _("Something went wrong inside Grading Station. Your gradings are safe: committed ones wait in "
              "the outbox and the current one is saved as a draft.") + f"\n\n{kind.__name__}: {exc}",
        )
        box.setDetailedText("".join(traceback.format_exception(kind, exc, tb)))
        box.exec()
