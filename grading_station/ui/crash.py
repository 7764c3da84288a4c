"""Bugs (anything that is not a KnownError) reach the log and, unless `--no-err-windows`, a crash dialog;
from any thread (`threading.excepthook`), the dialog always on the GUI thread."""

from __future__ import annotations

import sys
import threading
import traceback
from collections.abc import Callable
from types import TracebackType

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QApplication, QMessageBox

from grading_station import log
from grading_station.i18n import _

Dialog = Callable[[type[BaseException], BaseException, TracebackType | None], None]


def show_crash_box(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    if QApplication.instance() is None:
        return
    box = QMessageBox(QMessageBox.Icon.Critical, _("Grading Station — unexpected error"),
                      _("Something went wrong inside Grading Station. Your gradings are safe: committed ones "
                        "wait in the outbox and the current one is saved as a draft.\n\n{error}").format(
                          error=f"{kind.__name__}: {exc}"))
    box.setDetailedText("".join(traceback.format_exception(kind, exc, tb)))
    box.exec()


class CrashRelay(QObject):
    """Lives on the GUI thread; `crash_did_happen` emitted from any thread runs the dialog there (queued).

    Signals:
        crash_did_happen(kind, exc, tb): an exception nobody handled, already logged.
    """

    crash_did_happen = Signal(object, object, object)

    def __init__(self, dialog: Dialog | None) -> None:
        super().__init__()
        self._dialog = dialog
        self.crash_did_happen.connect(self._show)

    @Slot(object, object, object)
    def _show(self, kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if self._dialog is not None:
            self._dialog(kind, exc, tb)


_relay: CrashRelay | None = None
_previous: dict[str, object] = {}  # the hooks `install` replaced


def install(show_dialog: bool, dialog: Dialog = show_crash_box) -> CrashRelay:
    """Replace sys.excepthook (an exception escaping a Qt slot would otherwise only print to stderr) and
    threading.excepthook (one in a worker thread would print and vanish). Call on the GUI thread."""
    global _relay
    _relay = CrashRelay(dialog if show_dialog else None)  # kept alive as long as the hooks

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        report_bug(exc, (kind, exc, tb))

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:  # what the default hook ignores too
            return
        exc = args.exc_value or args.exc_type()
        report_bug(exc, (args.exc_type, exc, args.exc_traceback),
                   where=args.thread.name if args.thread is not None else "a thread")

    _previous.setdefault("sys", sys.excepthook)
    _previous.setdefault("threading", threading.excepthook)
    sys.excepthook = hook
    threading.excepthook = thread_hook
    return _relay


def report_bug(exc: BaseException, exc_info: tuple | None = None, where: str = "") -> None:
    """Log a bug with its traceback and, when installed with dialogs, tell the user their work is safe: from
    any thread, the dialog opens on the GUI thread."""
    kind, tb = type(exc), exc.__traceback__
    if exc_info is not None:
        kind, exc, tb = exc_info
    log.app.critical("unexpected error: %s (thread %s)", exc, where or threading.current_thread().name,
                     exc_info=(kind, exc, tb), extra={"event": "crash"})
    if _relay is not None:
        _relay.crash_did_happen.emit(kind, exc, tb)  # queued when emitted off the GUI thread


def uninstall() -> None:
    """Put back the hooks `install` replaced (tests)."""
    global _relay
    if "sys" in _previous:
        sys.excepthook = _previous.pop("sys")  # type: ignore[assignment]
        threading.excepthook = _previous.pop("threading")  # type: ignore[assignment]
    _relay = None
