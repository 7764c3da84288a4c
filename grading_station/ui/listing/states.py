"""How a Back Market listing state reads on screen (the Listing table and the bench's badge), without the
listing machinery: the bench loads it at start-up, before the Back Market client exists."""

from __future__ import annotations

from typing import Protocol

from grading_station.backmarket.registry import ListingRecord

from grading_station.i18n import _


class _Listed(Protocol):
    listing: ListingRecord | None


def state_text(unit: _Listed) -> str:
    """What the Back Market column says (and the bench's badge): the state, and the reason when it failed."""
    record = unit.listing
    if record is None or record.state == "pending":
        if record and record.reason:
            return _("Pending: {reason}").format(reason=record.reason)
        return _("Pending")
    if record.state == "failed":
        return _("Failed: {reason}").format(reason=record.reason)
    if record.state == "live":
        return _("Live ({count} on sale)").format(count=record.quantity)
    return _("Offline: {reason}").format(reason=record.reason) if record.reason else _("Offline")
