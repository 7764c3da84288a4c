"""GS1 element strings (AI 01 GTIN, 21 serial, ...) as printed on device and box labels: parse, look up by AI.

Accepts what decoders and scanners produce: the raw form with FNC1 sent as GS (0x1D), optionally behind an
AIM symbology identifier of a GS1 code (]C1, ]d2, ]Q3, ]e0, ]J1), and the human-readable form
"(01)0950...(21)AB12".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

GS = "\x1d"
_GS1_AIM = ("]C1", "]d2", "]Q3", "]e0", "]J1")


@dataclass(frozen=True)
class AI:
    """An application identifier: its code, a short title, and a fixed data length (None: variable)."""

    code: str
    title: str
    length: int | None
    max_length: int
    numeric: bool = False


# The AIs found on device, box and carton labels; others are still split correctly when they have a
# predefined length (GS1 General Specifications, table 7.8.5) or end with GS.
_TABLE = {a.code: a for a in (
    AI("00", "SSCC", 18, 18, True),
    AI("01", "GTIN", 14, 14, True),
    AI("02", "GTIN of contents", 14, 14, True),
    AI("10", "Batch/lot", None, 20),
    AI("11", "Production date", 6, 6, True),
    AI("13", "Packaging date", 6, 6, True),
    AI("15", "Best before", 6, 6, True),
    AI("17", "Expiry date", 6, 6, True),
    AI("20", "Variant", 2, 2, True),
    AI("21", "Serial number", None, 20),
    AI("22", "Consumer product variant", None, 20),
    AI("240", "Additional product id", None, 30),
    AI("241", "Customer part number", None, 30),
    AI("250", "Secondary serial number", None, 30),
    AI("30", "Count", None, 8, True),
    AI("37", "Count of trade items", None, 8, True),
    AI("400", "Customer order number", None, 30),
    AI("420", "Ship-to postal code", None, 20),
    AI("422", "Country of origin", 3, 3, True),
    AI("8006", "ITIP", 18, 18, True),
    AI("8020", "Payment slip reference", None, 25),
)}
# Two-digit prefixes whose data length is predefined: no GS follows them even when more data comes after.
_PREDEFINED = {"00": 18, "01": 14, "02": 14, "03": 14, "04": 16, "11": 6, "12": 6, "13": 6, "14": 6, "15": 6,
               "16": 6, "17": 6, "18": 6, "19": 6, "20": 2, "31": 8, "32": 8, "33": 8, "34": 8, "35": 8,
               "36": 8, "41": 15}
_HRI = re.compile(r"\((\d{2,4})\)([^()]*)")


@dataclass(frozen=True)
class Element:
    """One AI and its data, e.g. Element("21", "F2LXK1ABJG5J")."""

    ai: str
    data: str

    @property
    def title(self) -> str:
        known = _TABLE.get(self.ai)
        return known.title if known else f"AI {self.ai}"


class GS1Error(ValueError):
    """The text is not a well-formed GS1 element string."""


def _ai_at(text: str, pos: int) -> str:
    for size in (2, 3, 4):
        if text[pos : pos + size] in _TABLE:
            return text[pos : pos + size]
    prefix = text[pos : pos + 2]
    if prefix in _PREDEFINED:
        return prefix if prefix not in ("31", "32", "33", "34", "35", "36", "41") else text[pos : pos + 4]
    raise GS1Error(f"unknown application identifier at {text[pos:pos + 4]!r}")


def _data_length(ai: str) -> int | None:
    known = _TABLE.get(ai)
    if known is not None:
        return known.length
    total = _PREDEFINED.get(ai[:2])
    return total - len(ai) if total else None


def _check(ai: str, data: str) -> None:
    length = _data_length(ai)
    known = _TABLE.get(ai)
    if length is None and known is None and ai[:2] not in _PREDEFINED:
        raise GS1Error(f"unknown application identifier {ai}")
    if length is not None and len(data) != length:
        raise GS1Error(f"AI {ai} needs {length} characters, not {len(data)}")
    if not data or (known and len(data) > known.max_length):
        raise GS1Error(f"AI {ai} has {len(data)} characters")
    if known and known.numeric and not data.isdigit():
        raise GS1Error(f"AI {ai} must be digits")


def _parse_raw(text: str) -> list[Element]:
    elements, pos = [], 0
    while pos < len(text):
        if text[pos] == GS:
            pos += 1
            continue
        ai = _ai_at(text, pos)
        pos += len(ai)
        length = _data_length(ai)
        if length is not None:
            data = text[pos : pos + length]
        else:
            end = text.find(GS, pos)
            data = text[pos:] if end < 0 else text[pos:end]
        if GS in data:
            raise GS1Error(f"AI {ai} is cut short")
        _check(ai, data)
        elements.append(Element(ai, data))
        pos += len(data)
    if not elements:
        raise GS1Error("empty element string")
    return elements


def parse(text: str, *, assume_gs1: bool = False) -> list[Element]:
    """The elements of a GS1 element string. Without an AIM GS1 prefix, a leading GS or parentheses the
    text is only parsed when `assume_gs1` (the decoder said it was GS1). Raises GS1Error."""
    text = text.strip("\r\n ")
    if text.startswith("("):
        parts = _HRI.findall(text)
        if not parts or "".join(f"({a}){d}" for a, d in parts) != text:
            raise GS1Error("malformed (AI)data text")
        for ai, data in parts:
            _check(ai, data)
        return [Element(ai, data) for ai, data in parts]
    for aim in _GS1_AIM:
        if text.startswith(aim):
            return _parse_raw(text[len(aim) :])
    if text.startswith(GS) or assume_gs1:
        return _parse_raw(text)
    raise GS1Error("not a GS1 element string")


def first(elements: list[Element], ai: str) -> str | None:
    """The data of the first element with that AI, or None."""
    return next((e.data for e in elements if e.ai == ai), None)


def gtin_check_ok(digits: str) -> bool:
    """True when a GTIN-8/12/13/14 (or SSCC) has a correct mod-10 check digit."""
    if not digits.isdigit() or len(digits) < 8:
        return False
    body, check = digits[:-1], int(digits[-1])
    total = sum(int(c) * (3 if i % 2 == 0 else 1) for i, c in enumerate(reversed(body)))
    return (10 - total % 10) % 10 == check
