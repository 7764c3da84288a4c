"""Labels settings page: the label printer (none, network, CUPS), the label stock, print on commit, and a
"Print test label" button that prints with what the fields show, saved or not."""

from __future__ import annotations

from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton

from grading_station.domain.labels import SIZES

from grading_station.hardware.label_printer import CUPS, NETWORK, NONE, PrinterSettings, printer_for

from grading_station.services.labels import printer_settings

from grading_station.ui.kit.background import run_in_background
from grading_station.ui.settings.fields import DeclaredSettingsPage, make_editor
from grading_station.ui.settings.pages import BlockingWork, SettingsContext, register_page
from grading_station.ui.widgets import theme

from grading_station import log
from grading_station.config import setting
from grading_station.errors import KnownError
from grading_station.i18n import _


@register_page
class LabelsPage(DeclaredSettingsPage):
    """Where grade labels print. The test label goes through `context.services["labels.test"]`
    ((PrinterSettings, LabelSize) -> sentence) and its picture through `["labels.preview"]`
    (LabelSize -> PNG bytes), both off the GUI thread; without them the button is hidden."""

    order = 45  # after Back Market (40)

    def __init__(self, context: SettingsContext) -> None:
        kinds = {NONE: _("None"), NETWORK: _("Network printer (raw TCP 9100)"), CUPS: _("CUPS queue")}
        super().__init__(context, _("Labels"), [
            make_editor("labels.printer", kinds),
            make_editor("labels.address"),
            make_editor("labels.queue"),
            make_editor("labels.size", {"50x25mm": _("50 × 25 mm"), "2x1in": _("2 × 1 in"),
                                        "57x32mm": _("57 × 32 mm"), "4x2in": _("4 × 2 in")}),
            make_editor("labels.dpi"),
            make_editor("labels.auto_print"),
        ])
        self.editors["labels.address"].widget.setPlaceholderText("192.168.1.50:9100")
        self.editors["labels.printer"].widget.currentIndexChanged.connect(lambda _i: self._kind_changed())
        self.test_button = QPushButton(_("Print test label"))
        self.test_button.setObjectName("labels.test")
        self.test_button.clicked.connect(self.print_test)
        row = QHBoxLayout()
        row.addWidget(self.test_button)
        row.addStretch(1)
        self.form.addRow("", row)
        self.result = QLabel("")
        self.result.setObjectName("labelsResult")
        self.result.setWordWrap(True)
        self.form.addRow("", self.result)
        self.picture = QLabel()
        self.picture.setObjectName("labelPreview")
        self.form.addRow("", self.picture)
        self.test_button.setVisible("labels.test" in context.services)

    def load(self) -> None:
        super().load()
        self._kind_changed()

    def _kind_changed(self) -> None:
        kind = self.editors["labels.printer"].get()
        self.editors["labels.address"].widget.setEnabled(kind == NETWORK)
        self.editors["labels.queue"].widget.setEnabled(kind == CUPS)
        self.test_button.setEnabled(kind != NONE)

    def printer(self) -> PrinterSettings:
        return printer_settings(lambda key: setting(key).check(self.editors[key].get()))

    def save(self) -> BlockingWork | None:
        printer_for(self.printer())  # an address that is not one is refused here, not at the first label
        return super().save()

    def print_test(self) -> None:
        try:
            printer = self.printer()
            printer_for(printer)  # a wrong address is said at once, not after a round trip
            size = SIZES[self.editors["labels.size"].get()].at(self.editors["labels.dpi"].get())
        except KnownError as exc:
            self._show(exc.user_message, "error")
            return
        test, preview = self.context.services["labels.test"], self.context.services.get("labels.preview")
        self.test_button.setEnabled(False)
        self._show(_("Printing a test label…"), "busy")
        run_in_background(self, lambda: test(printer, size), success=self._printed, failure=self._failed)
        if preview is not None:
            run_in_background(self, lambda: preview(size), success=self._show_picture,
                              failure=lambda exc: log.ui.info("label preview failed: %s", exc))

    def _show_picture(self, png: bytes) -> None:
        pixmap = QPixmap()
        pixmap.loadFromData(png, "PNG")
        self.picture.setPixmap(pixmap)

    def _printed(self, text: str) -> None:
        self._kind_changed()
        self._show(text, "ok")

    def _failed(self, exc: BaseException) -> None:
        self._kind_changed()
        if isinstance(exc, KnownError):
            self._show(exc.user_message, "error")
        else:
            log.ui.error("test label failed", exc_info=exc)
            self._show(_("The test label stopped on an unexpected error (see the log in Activity)."), "error")

    def _show(self, text: str, state: str) -> None:
        self.result.setText(text)
        theme.set_state(self.result, state)
