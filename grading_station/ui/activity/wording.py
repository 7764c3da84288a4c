"""The outbox in the user's words: what an item is about and what became of it, with local times (Qt-free)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from grading_station.i18n import N_, _

# Where each kind of outbox command goes; unknown kinds are named by their raw kind.
DESTINATIONS = {"grading": "Odoo", "bm.listing": "Back Market", "bm.stock": "Back Market",
                "bm.shipment": "Back Market", "label.print": N_("the label printer"), "certificate": "Odoo",
                "bm.order.import": "Odoo", "odoo.pick": "Odoo", "odoo.warranty": "Odoo", "odoo.order.cancel": "Odoo"}
KIND_SUBJECTS = {
    "grading": N_("Grading of {unit}"),
    "bm.stock": N_("Back Market stock of {unit}"),
    "bm.listing": N_("Back Market listing of {unit}"),
    "bm.shipment": N_("Shipment of {unit} to the Back Market buyer"),
    "label.print": N_("Grade label of {unit}"),
    "certificate": N_("Buyer certificate of {unit}"),
    "bm.order.import": N_("Import of Back Market orders {unit}"),
    "odoo.pick": N_("Pick of {unit}"),
    "odoo.warranty": N_("Warranty of {unit}"),
    "odoo.order.cancel": N_("Cancellation of {unit}"),
}


@dataclass(frozen=True)
class ItemWords:
    """One outbox item worded for a person, with the technical side kept apart for the details pane."""

    item_id: Any
    when: str  # local time of the last change ("14:32", or "2 Dec 14:32" when not today)
    subject: str  # "Grading of 356938035643809 (iPhone 14 Pro, Good)"
    unit: str  # "356938035643809 (iPhone 14 Pro, Good)": what a scan in Activity is matched against
    status_words: str  # "delivered to Odoo at 14:32", "waiting: <reason>, next try at 14:35"...
    state: str  # the store's state: pending, delivering, failing, delivered
    failure: str  # "", retry, refused, bug, quarantined
    reason: str
    technical: str  # ids, kind, attempts, UTC times, error detail: for support, copied as text

    @property
    def status(self) -> str:
        """The status on its own (a table cell): "Delivered to Odoo at 14:32"."""
        return self.status_words[:1].upper() + self.status_words[1:]

    @property
    def sentence(self) -> str:
        """"Grading of 356938035643809 (iPhone 14 Pro, Good) delivered to Odoo at 14:32"."""
        return _("{subject} {status}").format(subject=self.subject, status=self.status_words)

    @property
    def retryable(self) -> bool:
        return self.state == "failing"

    @property
    def needs_attention(self) -> bool:
        """Stopped until someone acts (refused, a bug, set aside): what the sidebar badge counts."""
        return self.state == "failing" and self.failure != "retry"


def local_time(iso: str | None, tz: dt.tzinfo | None, today: dt.date | None = None) -> str:
    if not iso:
        return ""
    moment = dt.datetime.fromisoformat(iso).astimezone(tz)
    if moment.date() == (today or dt.datetime.now(tz).date()):
        return moment.strftime("%H:%M")
    return moment.strftime("%d %b %H:%M").lstrip("0")


def unit_words(item: Any) -> str:
    """"356938035643809 (iPhone 14 Pro, Good)" or "iPhone 14 Pro (good), SKU IP14P-GOOD", from the payload."""
    payload = item.payload if isinstance(item.payload, dict) else {}
    serial = str(payload.get("serial") or "")
    model = str(payload.get("model_name") or "")
    grade = str(payload.get("grade") or "")
    sku = str(payload.get("sku") or "")
    if item.kind == "grading":
        facts = ", ".join(p for p in (model, grade.capitalize()) if p)
        unit = serial or _("a unit")
        return f"{unit} ({facts})" if facts else unit
    name = model or sku or serial or _("an item")
    return _("{model}, SKU {sku}").format(model=model, sku=sku) if sku and model else name


def subject_of(item: Any) -> str:
    template = KIND_SUBJECTS.get(item.kind)
    if template is None:
        return _("{kind} item for {unit}").format(kind=item.kind, unit=unit_words(item))
    return _(template).format(unit=unit_words(item))


def failure_of(item: Any) -> str:
    """How a failing item failed ('' when it is not failing); rows older than the `failure` column say it
    only through `permanent`."""
    if item.state != "failing":
        return ""
    return getattr(item, "failure", "") or ("refused" if item.permanent else "retry")


def status_of(item: Any, tz: dt.tzinfo | None, today: dt.date | None = None) -> str:
    to = _(DESTINATIONS.get(item.kind, item.kind))  # brand names are not in the catalogue: they stay
    reason = (item.last_error or "").rstrip(".")
    failure = failure_of(item)
    if item.state == "delivered":
        return _("delivered to {to} at {time}").format(to=to, time=local_time(item.delivered_at, tz, today))
    if item.state == "delivering":
        return _("sending to {to}…").format(to=to)
    if item.state == "pending":
        return _("waiting to be sent to {to}").format(to=to)
    if failure == "quarantined":
        return _("set aside, not sent: {reason}").format(reason=reason)
    if failure == "bug":
        return _("stopped by a bug: {reason}. Press Retry once it is fixed").format(reason=reason)
    if item.permanent or not item.next_attempt_at:
        return _("stopped: {reason}. Press Retry once it is fixed").format(reason=reason)
    return _("waiting: {reason}, next try at {time}").format(
        reason=reason, time=local_time(item.next_attempt_at, tz, today))


def technical_of(item: Any) -> str:
    lines = [
        f"id: {item.id}", f"kind: {item.kind}", f"state: {item.state}"
        + (f" ({item.failure})" if getattr(item, "failure", "") else ""),
        f"attempts: {item.attempts}", f"created: {item.created_at}", f"updated: {item.updated_at}",
    ]
    if item.next_attempt_at:
        lines.append(f"next attempt: {item.next_attempt_at}")
    if item.delivered_at:
        lines.append(f"delivered: {item.delivered_at}")
    if item.last_error:
        lines.append(f"reason: {item.last_error}")
    if getattr(item, "error_detail", ""):
        lines.append(f"detail: {item.error_detail}")
    if item.result:
        lines.append(f"result: {json.dumps(item.result, sort_keys=True)}")
    return "\n".join(lines)


def words_of(item: Any, tz: dt.tzinfo | None = None, today: dt.date | None = None) -> ItemWords:
    """The words of a store.outbox.OutboxItem; times in `tz` (the computer's zone by default)."""
    return ItemWords(
        item.id, local_time(item.updated_at, tz, today), subject_of(item), unit_words(item),
        status_of(item, tz, today),
        item.state, failure_of(item), item.last_error or "",
        technical_of(item),
    )
