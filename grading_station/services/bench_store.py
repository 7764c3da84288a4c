"""What the grading service needs from the local store (drafts, photos, outbox); its adapter over Store.

The Store (grading_station.store.local) keeps ONE open draft per station: the bench saves the whole grading
in progress there at every step, keyed by the unit's serial inside the payload.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from grading_station.domain.battery import BatteryReading
from grading_station.domain.grading import GradingRecord, PhotoRef
from grading_station.domain.units import CatalogueModel, IntakeSource, Unit

from grading_station.services.bench_models import DeliveryView

from grading_station.errors import KnownError
from grading_station.i18n import _


class BenchStore(Protocol):
    """Blocking calls (disk, SQLite): the service runs them off the GUI thread."""

    def open_draft(self) -> dict | None:
        """The station's unfinished grading (resumed after a crash), None when there is none."""

    def save_draft(self, payload: dict) -> None: ...

    def discard_draft(self) -> None: ...

    def save_photo(self, slot: str, data: bytes, name: str) -> tuple[PhotoRef, bytes]:
        """Check, re-encode and keep an image; its reference and a small JPEG thumbnail.
        InputError when the data is not a readable photo."""

    def thumbnail(self, ref: PhotoRef) -> bytes | None: ...

    def commit_grading(self, record: GradingRecord) -> str:
        """ONE transaction: close the draft, enqueue the grading, audit it (and an override); outbox id."""

    def delivery_state(self, outbox_id: str) -> DeliveryView: ...


def draft_problem(payload: dict) -> str:
    """Why the bench could not rebuild this draft ('' when it can): its parts are rebuilt here with the same
    constructors `OpenGrading.from_draft` uses (the checklist answers are checked against the template there)."""
    try:
        if not isinstance(payload.get("serial"), str) or not payload["serial"]:
            return _("the grading in progress has no serial")
        session = payload.get("session") or {}
        for part in ("answers", "cosmetic", "photos", "notes"):
            if not isinstance(session.get(part, {}), dict):
                return _("the grading in progress is damaged ({part})").format(part=part)
        for ref in session.get("photos", {}).values():
            PhotoRef(**ref)
        if session.get("battery"):
            BatteryReading(**session["battery"])
        if payload.get("unit"):
            Unit(**{**payload["unit"], "lease": None})
        if payload.get("model"):
            CatalogueModel(**payload["model"])
        if payload.get("source"):
            IntakeSource(payload["source"])
    except (TypeError, ValueError, AttributeError) as exc:
        return _("the grading in progress is damaged ({error})").format(error=exc)
    return ""


class StationStore:
    """BenchStore over the app's Store (`store.drafts`, `store.outbox`, `store.photos`) for one station."""

    def __init__(self, store: Any, station: str) -> None:
        self._store = store
        self.station = station

    def open_draft(self) -> dict | None:
        """The draft to resume; one whose parts cannot be rebuilt (damaged, hand-edited) is set aside
        instead of failing every start and every scan."""
        draft = self._store.drafts.load(self.station)
        if draft is None:
            return None
        problem = draft_problem(draft.payload)
        if problem:
            self._store.drafts.set_aside(draft.id, problem)
            return None
        return draft.payload

    def save_draft(self, payload: dict) -> None:
        self._store.drafts.save(self.station, payload)

    def discard_draft(self) -> None:
        draft = self._store.drafts.load(self.station)
        if draft is not None:
            self._store.drafts.abandon(draft.id)

    def save_photo(self, slot: str, data: bytes, name: str) -> tuple[PhotoRef, bytes]:
        ref = self._store.photos.import_bytes(slot, data, name)
        return ref, self.thumbnail(ref) or b""

    def thumbnail(self, ref: PhotoRef) -> bytes | None:
        try:
            return Path(self._store.photos.thumbnail_path(ref.sha1)).read_bytes()
        except OSError:
            return None

    def commit_grading(self, record: GradingRecord) -> str:
        draft = self._store.drafts.load(self.station)
        if draft is None:
            # Nothing to close (e.g. the draft was discarded meanwhile): the commit would lose its trail.
            raise KnownError(_("This grading is no longer open on this bench: scan the unit again."))
        return self._store.outbox.commit_grading(draft.id, record)

    def delivery_state(self, outbox_id: str) -> DeliveryView:
        item = self._store.outbox.get(outbox_id)
        if item is None:
            return DeliveryView("pending")
        if item.state == "delivered":
            return DeliveryView("delivered")
        if item.state == "failing":
            return DeliveryView("refused" if item.permanent else "retrying", item.last_error)
        return DeliveryView("pending")
