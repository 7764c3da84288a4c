"""The Station and Scanner pages: plain forms of declared settings."""

from __future__ import annotations

import re

from grading_station.ui.settings.fields import DeclaredSettingsPage, make_editor
from grading_station.ui.settings.pages import BlockingWork, SettingsContext, register_page

from grading_station.errors import InputError
from grading_station.i18n import LANGUAGES, N_, _


@register_page
class StationPage(DeclaredSettingsPage):
    """Who works at this bench and what it is called (shown to other benches)."""

    order = 20

    def __init__(self, context: SettingsContext) -> None:
        languages = {"": _("Follow the computer's language"), **LANGUAGES}
        super().__init__(context, N_("Station"), [make_editor("station.name"), make_editor("station.technician"),
                                              make_editor("station.language", languages),
                                              make_editor("photos.jpeg_quality")])


@register_page
class ScannerPage(DeclaredSettingsPage):
    """How the HID scanner frames its codes and which serial formats are accepted besides IMEIs."""

    order = 30

    def __init__(self, context: SettingsContext) -> None:
        super().__init__(context, N_("Scanner"), [
            make_editor("scanner.prefix", escaped=True),
            make_editor("scanner.suffix", escaped=True),
            make_editor("scanner.max_key_interval_ms"),
            make_editor("scanner.serial_patterns"),
        ])
        self.editors["scanner.prefix"].widget.setPlaceholderText(_("nothing"))
        self.editors["scanner.suffix"].widget.setPlaceholderText(_(r"\n = Enter, \t = Tab"))

    def save(self) -> BlockingWork | None:
        for pattern in self.editors["scanner.serial_patterns"].get():
            try:
                re.compile(pattern)
            except re.error as exc:
                message = _("The serial pattern “{pattern}” is not a valid regular expression: {error}.").format(
                    pattern=pattern, error=exc)
                raise InputError(message) from exc
        return super().save()
