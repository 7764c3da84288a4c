"""Station-wide past-tense events: services and adapters publish them (any thread, no Qt), screens refresh from them.

❌ `self.listing_panel.refresh()` from the bench after a commit: screens would call each other.
✅ `events.publish(UnitDidChange(serial))`; the Listing workspace subscribes (through ui/kit/events.py) and refreshes.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

_log = logging.getLogger("grading_station.events")


@dataclass(frozen=True)
class UnitDidChange:
    """A unit's grading, location or properties changed (committed at a bench, delivered to Odoo, re-graded)."""

    serial: str


@dataclass(frozen=True)
class OutboxDidChange:
    """An outbox item was added or changed state (`item_id` None when several or unknown)."""

    item_id: int | None = None


@dataclass(frozen=True)
class ListingDidChange:
    """Back Market listings (quantity, price, state) of these SKUs were pushed or refused."""

    skus: tuple[str, ...] = ()


@dataclass(frozen=True)
class SettingsDidChange:
    """Settings changed in memory (`keys`); `saved` once the file and the keyring hold them."""

    keys: frozenset[str]
    saved: bool = False


@dataclass(frozen=True)
class ConnectionDidChange:
    """A remote system ("odoo", "backmarket") became reachable or not; `detail` says why, in the user's words."""

    system: str
    reachable: bool
    detail: str = ""


@dataclass(frozen=True)
class OrdersDidChange:
    """Back Market orders were imported, picked, shipped or cancelled (`order_ids` empty when unknown)."""

    order_ids: tuple[int, ...] = ()


StationEvent = (
    OrdersDidChange | UnitDidChange | OutboxDidChange | ListingDidChange | SettingsDidChange | ConnectionDidChange
)
Listener = Callable[[Any], None]


class StationEvents:
    """A thread-safe publish/subscribe hub for the events above. Listeners run on the publishing thread; a
    listener that raises is logged and does not stop the others (nor the service that published)."""

    def __init__(self) -> None:
        self._listeners: list[Listener] = []
        self._lock = threading.Lock()

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call `listener(event)` for every event from now on; returns the function that unsubscribes it."""
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def publish(self, event: StationEvent) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(event)
            except Exception:  # a screen's bug must not undo a service's work that already happened
                _log.exception("event listener failed on %s", type(event).__name__)


def announcing(handler: Callable[[Any], Any], events: StationEvents) -> Callable[[Any], Any]:
    """An outbox handler that, once its item reached Odoo, tells the station the item's unit changed (screens
    showing that unit — Listing, Review, the bench's card — refresh)."""

    def handle(item: Any) -> Any:
        result = handler(item)
        payload = item.payload if isinstance(item.payload, dict) else {}
        serial = payload.get("serial")
        if serial:
            events.publish(UnitDidChange(str(serial)))
        return result

    return handle
