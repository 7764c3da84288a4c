"""The Back Market listing state of a unit in one line (pending, live, failed: reason), for the unit card."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from grading_station.backmarket.registry import ListingRegistry, UnitListing

from grading_station.ui.kit.background import run_in_background
from grading_station.ui.listing.states import state_text
from grading_station.ui.widgets import theme

from grading_station.i18n import _

_STATE = {"live": "ok", "failed": "error", "pending": "busy", "offline": "warn"}


class ListingBadge(QLabel):
    """Shows the listing state of the unit given to `show_serial` (read off the GUI thread); empty for a
    unit never graded at this station."""

    def __init__(self, registry: ListingRegistry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.registry = registry
        self.setObjectName("listingBadge")
        self.setWordWrap(True)
        self.hide()

    def show_serial(self, serial: str) -> None:
        run_in_background(self, lambda: self.registry.unit(serial), success=self.show_unit)

    def show_unit(self, unit: UnitListing | None) -> None:
        self.setText(_("Back Market: {state}").format(state=state_text(unit)) if unit else "")
        self.setVisible(unit is not None)  # no empty line on the card for a unit never listed from here
        theme.set_state(self, _STATE.get(unit.state, "") if unit else "")
