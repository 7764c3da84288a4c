"""What the bench keeps locally to go on while Odoo is down: the Protocol of the unit cache, and model search
over the cached catalogue."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from grading_station.domain.units import CatalogueModel, Unit


class UnitCachePort(Protocol):
    """Units and models last seen in Odoo, and this station's last answers per serial (store/unit_cache.py).
    Blocking (SQLite): called off the GUI thread."""

    def remember_unit(self, unit: Unit) -> None: ...

    def unit(self, serial: str) -> tuple[Unit, str] | None:
        """The unit as last seen in Odoo and when (ISO UTC)."""

    def remember_models(self, models: Iterable[CatalogueModel]) -> None: ...

    def models(self) -> list[CatalogueModel]: ...

    def remember_answers(self, serial: str, session_json: dict) -> None: ...

    def answers(self, serial: str) -> dict | None:
        """The checklist session (its draft JSON) this station last committed for the serial."""


def search_cached(models: Iterable[CatalogueModel], text: str, limit: int = 20) -> list[CatalogueModel]:
    """Models whose name or internal reference holds every word of `text`, or whose EAN is `text` (what the
    Odoo catalogue search does, over the cached copy)."""
    query = text.strip().lower()
    words = query.split()
    hits = [
        m for m in models
        if (m.barcode and m.barcode == query)
        or (words and all(w in f"{m.name} {m.default_code}".lower() for w in words))
    ]
    return hits[:limit]
