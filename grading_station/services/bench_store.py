"""What the grading service needs from the local store (drafts, photos, outbox), as a Protocol."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from grading_station.domain.grading import GradingRecord

from grading_station.services.bench_models import DeliveryView


@dataclass(frozen=True)
class StoredPhoto:
    path: Path
    sha1: str


class BenchStore(Protocol):
    """Drafts keyed by serial, photo files, and the commit transaction. Called on the SQLite worker only."""

    def load_draft(self, serial: str) -> dict | None:
        """The open draft of that unit, None when there is none."""

    def latest_draft(self) -> dict | None:
        """The most recently saved open draft (resumed after a crash)."""

    def save_draft(self, serial: str, payload: dict) -> None: ...

    def discard_draft(self, serial: str) -> None: ...

    def save_photo(self, serial: str, filename: str, data: bytes) -> StoredPhoto: ...

    def commit_grading(self, serial: str, record: GradingRecord) -> int:
        """ONE transaction: close the draft, enqueue "odoo.grading" (and audit an override); the outbox id."""

    def delivery_state(self, outbox_id: int) -> DeliveryView: ...
