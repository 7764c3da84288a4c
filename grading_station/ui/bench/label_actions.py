"""Grade labels at the bench: queued after a commit, reprinted for the unit on the card (L), previewed (V)."""

from __future__ import annotations

import concurrent.futures
from types import ModuleType

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from grading_station.domain.units import Unit

from grading_station.services.bench_models import CommitSummary
from grading_station.services.labels import LabelService

from grading_station.ui.kit.background import run_in_background

from grading_station.errors import KnownError
from grading_station.i18n import _


class LabelPreview(QDialog):
    """The label as it will print (twice its size in dots), for a look before printing."""

    def __init__(self, png: bytes, serial: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("labelPreviewDialog")
        self.setWindowTitle(_("Label of {serial}").format(serial=serial))
        self.picture = QLabel()
        self.picture.setObjectName("labelPreview")
        pixmap = QPixmap()
        pixmap.loadFromData(png, "PNG")
        self.picture.setPixmap(pixmap)
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setStyleSheet("background: white; border: 1px solid #888;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.picture)
        layout.addWidget(buttons)


class LabelActions(QObject):
    """Runs the LabelService off the GUI thread for the bench and says what happened on the scan bar (the
    printing itself is the outbox's: Activity shows a label waiting for its printer)."""

    def __init__(self, parent: QObject, labels: LabelService, executor: concurrent.futures.Executor,
                 messages: ModuleType, scan_bar, window: QWidget) -> None:
        super().__init__(parent)
        self.labels, self._executor, self._messages = labels, executor, messages
        self._scan_bar, self._window = scan_bar, window
        self.preview_dialog: LabelPreview | None = None

    def after_commit(self, summary: CommitSummary) -> None:
        """The committed unit's grade label, when a printer is set and printing on commit is on."""
        self._run(lambda: self.labels.queue_after_commit(summary.outbox_id), lambda _id: None,
                  lambda exc: self._messages.error(
                      _("The label of {serial} was not printed: {reason}").format(
                          serial=summary.serial, reason=_text(exc)), replace="label"))

    def reprint(self, unit: Unit | None) -> None:
        if unit is None:
            self._scan_bar.show_error(_("Scan a unit in stock to reprint its label."))
            return
        if not self.labels.printer_set:
            self._scan_bar.show_error(_("No label printer is set: choose one in Settings → Labels (F4)."))
            return
        self._run(lambda: self.labels.queue(self.labels.fields_of_unit(unit)),
                  lambda _id: self._scan_bar.show_ok(
                      _("Label of {serial} sent to the printer.").format(serial=unit.serial)),
                  lambda exc: self._scan_bar.show_error(_text(exc)))

    def preview(self, unit: Unit | None) -> None:
        if unit is None:
            self._scan_bar.show_error(_("Scan a unit in stock to see its label."))
            return
        self._run(lambda: self.labels.preview_png(self.labels.fields_of_unit(unit)),
                  lambda png: self._show_preview(png, unit.serial),
                  lambda exc: self._scan_bar.show_error(_text(exc)))

    def _show_preview(self, png: bytes, serial: str) -> None:
        if self.preview_dialog is not None:
            self.preview_dialog.close()
        self.preview_dialog = LabelPreview(png, serial, self._window)
        self.preview_dialog.show()

    def _run(self, op, success, failure) -> None:
        def failed(exc: BaseException) -> None:
            failure(exc)
            if not isinstance(exc, KnownError):
                raise exc  # a bug: the crash handler reports it

        run_in_background(self, op, success, failed, executor=self._executor)


def _text(exc: BaseException) -> str:
    return exc.user_message if isinstance(exc, KnownError) else _("Unexpected error: {error}").format(error=exc)
