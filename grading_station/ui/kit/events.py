"""Station events (services/events.py) brought to the GUI thread as Qt signals, one per kind of event."""

from __future__ import annotations

import shiboken6

from PySide6.QtCore import QObject, Signal

from grading_station.services.events import (
    ConnectionDidChange,
    ListingDidChange,
    OrdersDidChange,
    OutboxDidChange,
    SettingsDidChange,
    StationEvents,
    UnitDidChange,
)

from grading_station.ui.kit.background import call_in_gui


class EventSignals(QObject):
    """Re-emits every event of a StationEvents hub on the GUI thread, whichever thread published it.

    Signals (each carries the event dataclass):
        unit_did_change(UnitDidChange), outbox_did_change(OutboxDidChange), listing_did_change(ListingDidChange),
        settings_did_change(SettingsDidChange), connection_did_change(ConnectionDidChange),
        orders_did_change(OrdersDidChange).
    Screens connect to the ones they show and refresh themselves; they never call each other.
    """

    unit_did_change = Signal(object)
    outbox_did_change = Signal(object)
    listing_did_change = Signal(object)
    settings_did_change = Signal(object)
    connection_did_change = Signal(object)
    orders_did_change = Signal(object)

    def __init__(self, hub: StationEvents, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.hub = hub
        self._routes = {
            UnitDidChange: self.unit_did_change,
            OutboxDidChange: self.outbox_did_change,
            ListingDidChange: self.listing_did_change,
            SettingsDidChange: self.settings_did_change,
            ConnectionDidChange: self.connection_did_change,
            OrdersDidChange: self.orders_did_change,
        }
        self._unsubscribe = unsubscribe = hub.subscribe(self._arrived)
        self.destroyed.connect(lambda *_: unsubscribe())

    def detach(self) -> None:
        """Hear no more events (the station is stopping; its windows may be deleted before this object)."""
        self._unsubscribe()

    def _arrived(self, event: object) -> None:
        signal = self._routes.get(type(event))
        if signal is None:
            return

        def emit() -> None:
            if shiboken6.isValid(self):  # published while the window closed
                signal.emit(event)

        call_in_gui(emit)
