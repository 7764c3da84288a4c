"""A lot's properties as last read from Odoo, with the write date they carried (an entry of the station's cache)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class LotReading:
    """`props` as read ({name: value}) at `read_at` (the station's clock, seconds since the epoch); `confirmed`
    when they were read after Odoo's clock had left the second of `write_date` (write dates have one-second
    steps: a later write in that same second carries the same date, so an unconfirmed reading is read again)."""

    lot_id: int
    write_date: str
    props: Mapping[str, object] = field(default_factory=dict)
    confirmed: bool = True
    read_at: float = 0.0
