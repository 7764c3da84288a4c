"""Validity checks on decoded symbols, so half-read or misread codes never leave the decoder."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from grading_station.hardware.decoding import Symbol

GS = "\x1d"
# Plain Code 39 (no full-ASCII pairs): device labels print serials in it. A "(" or "&" in a read comes from a
# misread "/" or "+" pair, never from a real label.
_CODE39 = re.compile(r"[0-9A-Z\-. ]+")
_LINEAR = {"Code128", "Code39", "EAN13", "EAN8", "UPCE", "ITF"}
_ONE_CHECK_DIGIT = {"EAN13", "EAN8", "UPCE"}  # a label holds one product code: two near each other contradict
# zxing-cpp 3 also reports variants of the formats asked for (Code 32, an Italian pharmacode, converts a
# Code 39 to other digits): only the formats the station reads are trusted (a Code 32 crashed field-c).
_KNOWN = _LINEAR | {"QRCode", "DataMatrix"}


def _gtin_ok(digits: str) -> bool:
    body, check = digits[:-1], int(digits[-1])
    total = sum(int(c) * (3 if i % 2 == 0 else 1) for i, c in enumerate(reversed(body)))
    return (10 - total % 10) % 10 == check


def plausible(symbol: Symbol) -> bool:
    """Reject what scan lines across a partial or noisy code produce: ITF has no length field, so only a
    check-digit-valid ITF-14 is trusted; very short or full-ASCII Code 39 reads are mostly noise."""
    text = symbol.text
    if symbol.format not in _KNOWN:
        return False
    if not text or any(ord(c) < 32 and c != GS for c in text):
        return False
    if symbol.format == "ITF":
        return len(text) == 14 and text.isdigit() and _gtin_ok(text)
    if symbol.format == "Code39":
        return len(text) >= 5 and _CODE39.fullmatch(text) is not None
    if symbol.format == "Code128":
        return len(text) >= 4  # no serial, IMEI or GTIN is shorter; 1-3 characters are mostly noise
    return True


def _box(symbol: Symbol, grow: float = 0.0) -> tuple[float, float, float, float]:
    xs, ys = [x for x, _ in symbol.corners], [y for _, y in symbol.corners]
    margin = grow * max(max(xs) - min(xs), max(ys) - min(ys))
    return min(xs) - margin, min(ys) - margin, max(xs) + margin, max(ys) + margin


def _overlap(a: Symbol, b: Symbol, grow: float = 0.0) -> bool:
    if not a.corners or not b.corners:
        return False
    ax0, ay0, ax1, ay1 = _box(a, grow)
    bx0, by0, bx1, by1 = _box(b, grow)
    return ax0 <= bx1 and bx0 <= ax1 and ay0 <= by1 and by0 <= ay1


def _contradicts(a: Symbol, b: Symbol) -> bool:
    if b.format not in _LINEAR or b.text == a.text:
        return False
    # zbar gives a 1D read the corners of the scan line that read it: two product codes read on lines a few
    # pixels apart across one code are the same place too (field corpus: a wrong EAN-13 beside the right one).
    near = 0.5 if a.format in _ONE_CHECK_DIGIT and b.format in _ONE_CHECK_DIGIT else 0.0
    return _overlap(a, b, near)


def consistent(found: list[Symbol]) -> list[Symbol]:
    """Drop 1D reads that another, different 1D read of the same place contradicts: two scan lines across
    one blurred EAN can both pass the check digit, and neither can be trusted (the next frame decides)."""
    return [s for s in found if s.format not in _LINEAR or not any(_contradicts(s, o) for o in found)]
