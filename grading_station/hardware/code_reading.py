"""What the codes in one frame say about the unit (IMEIs, serial numbers, product codes); which one to scan.

A box label carries IMEI 1, IMEI 2, the serial and the EAN; a QR code may hold "IMEI1:...;SN:..." and a GS1
DataMatrix "(01)GTIN(21)serial". Each becomes a `Reading`; `pick` chooses the one the technician wants
by the configured preference (IMEI first or serial first), IMEI 1 before IMEI 2 (printed above it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from grading_station.domain import gs1
from grading_station.domain.identifiers import (
    DEFAULT_SERIAL_PATTERNS,
    SerialPattern,
    classify,
    is_valid_imei,
    normalise_scan,
)

from grading_station.hardware.decoding import Symbol

from grading_station.errors import InputError

Kind = Literal["imei", "serial", "gtin", "other"]
_IMEI_RUN = re.compile(r"(?<!\d)(\d{15})(?!\d)")
_SERIAL_FIELD = re.compile(r"\b(?:S/?N|SERIAL(?:\s*NO)?)\s*[:=#]?\s*([0-9A-Z][0-9A-Z-]{4,38})", re.IGNORECASE)
_URL_SERIAL = re.compile(r"[?&](?:sn|serial|imei)=([0-9A-Za-z-]{5,40})", re.IGNORECASE)


@dataclass(frozen=True)
class Reading:
    """One value read from a code: `kind` says what it is, `label` how the panel names it
    ("IMEI", "Serial", "GTIN 01", ...), `top` the code's top edge in the frame (IMEI 1 sits above IMEI 2)."""

    kind: Kind
    value: str
    label: str
    format: str
    top: float = 0.0


def _top(symbol: Symbol) -> float:
    return min((y for _, y in symbol.corners), default=0.0)


def _from_gs1(symbol: Symbol, elements: list[gs1.Element]) -> list[Reading]:
    top, found = _top(symbol), []
    for element in elements:
        if element.ai in ("21", "250") and element.data:
            data = element.data.upper()
            kind: Kind = "imei" if is_valid_imei(data) else "serial"
            found.append(Reading(kind, data, f"{'IMEI' if kind == 'imei' else 'Serial'} (AI {element.ai})",
                                 symbol.format, top))
        elif element.ai in ("01", "02"):
            found.append(Reading("gtin", element.data, f"GTIN (AI {element.ai})", symbol.format, top))
    return found


def _from_text(symbol: Symbol, patterns: Sequence[SerialPattern]) -> list[Reading]:
    text, top = symbol.text, _top(symbol)
    if symbol.format in ("EAN13", "EAN8", "UPCE") or (symbol.format == "ITF" and gs1.gtin_check_ok(text)):
        return [Reading("gtin", text, symbol.format, symbol.format, top)]
    try:
        scanned = classify(normalise_scan(text), patterns)
    except InputError:
        scanned = None
    if scanned is not None:
        return [Reading(scanned.kind, scanned.value, "IMEI" if scanned.kind == "imei" else "Serial",
                        symbol.format, top)]
    # Multi-field text (QR codes on boxes and in diagnostic apps): every valid IMEI, then any "SN:" field.
    found = [Reading("imei", m, "IMEI", symbol.format, top)
             for m in _IMEI_RUN.findall(text) if is_valid_imei(m)]
    for match in [*_SERIAL_FIELD.findall(text), *_URL_SERIAL.findall(text)]:
        value = match.upper()
        if is_valid_imei(value):
            if all(r.value != value for r in found):
                found.append(Reading("imei", value, "IMEI", symbol.format, top))
        elif any(p.matches(value) for p in patterns):
            found.append(Reading("serial", value, "Serial", symbol.format, top))
    return found or [Reading("other", text[:60], "Other code", symbol.format, top)]


def readings(symbols: Iterable[Symbol], patterns: Sequence[SerialPattern] = DEFAULT_SERIAL_PATTERNS
             ) -> list[Reading]:
    """Every value the symbols carry, one Reading per distinct (kind, value)."""
    found: list[Reading] = []
    for symbol in symbols:
        try:
            elements = gs1.parse(symbol.text, assume_gs1=symbol.gs1)
        except gs1.GS1Error:
            elements = []
        for reading in _from_gs1(symbol, elements) if elements else _from_text(symbol, patterns):
            if all((r.kind, r.value) != (reading.kind, reading.value) for r in found):
                found.append(reading)
    return found


def pick(found: Sequence[Reading], prefer: str = "imei") -> Reading | None:
    """The reading to scan: by `prefer` ("imei" or "serial"), the other kind when the preferred one is
    absent, and the topmost code among equals. Product codes (GTIN) and other text never identify a unit."""
    order = ("imei", "serial") if prefer != "serial" else ("serial", "imei")
    for kind in order:
        candidates = sorted((r for r in found if r.kind == kind), key=lambda r: r.top)
        if candidates:
            return candidates[0]
    return None
