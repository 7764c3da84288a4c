"""Unit identifiers: clean up a raw scan, then tell an IMEI (Luhn-checked) from a serial number, or refuse it.

Usage (the same for scanner, camera and typed input)::

    value = normalise_scan(raw, prefix=settings.scan_prefix, suffix=settings.scan_suffix)
    scanned = classify(value, serial_patterns)      # ScannedId(kind="imei"|"serial", value=...)

Both raise `InputError` with a Reason a technician can act on ("rescan", "check the keyboard layout", ...), worded
by grading_station.wording.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from grading_station.domain.reasons import code

from grading_station.errors import InputError

MAX_SCAN_LENGTH = 64
"""No serial or IMEI is longer: a longer burst is several codes run together, or a mis-set scanner."""

BAD_PATTERN = code("scan.bad_pattern", "index", "pattern", "error")
TOO_LONG = code("scan.too_long", "length", "maximum")
NOT_ASCII = code("scan.not_ascii", "char")
CONTROL_CHARACTER = code("scan.control_character", "hex")
NOTHING_SCANNED = code("scan.nothing_scanned")
TOO_SHORT = code("scan.too_short", "value")
NOT_A_SERIAL = code("scan.not_a_serial", "value")
NOT_A_REAL_IMEI = code("scan.not_a_real_imei", "value")
WRONG_CHECK_DIGIT = code("scan.wrong_check_digit", "value", "expected")
IMEISV = code("scan.imeisv", "value")
PRODUCT_BARCODE = code("scan.product_barcode", "value")
WRONG_DIGIT_COUNT = code("scan.wrong_digit_count", "value", "count")

# Labels printed next to the code on boxes and SIM trays, which some scanners and people include.
_LABEL = re.compile(
    r"^(?:(?:IMEI(?:\s*[12])?(?:\s*/\s*MEID)?|S/?N|SERIAL(?:\s*(?:NO|NUMBER))?)\s*[:#.]|IMEI\s+|IMEI(?=\d{14,15}$)|S/N\s+)\s*",
    re.IGNORECASE,
)
# AIM symbology identifier ("]C0", "]Q1", "]E0", "]d2"), sent by scanners set to announce the barcode type.
_AIM = re.compile(r"^\][A-Za-z][0-9A-Za-z]")
_EDGE_SYMBOLS = "*\"'`.,;:|<>[]{}()#"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_DIGIT_GROUPS = re.compile(r"^\d[\d \-/.]*\d$")


@dataclass(frozen=True)
class SerialPattern:
    """A named regular expression a whole serial number must match (upper case, no spaces)."""

    name: str
    regex: str

    def matches(self, value: str) -> bool:
        return re.fullmatch(self.regex, value) is not None


DEFAULT_SERIAL_PATTERNS: tuple[SerialPattern, ...] = (
    # Every default needs a digit and a letter, so a word typed by mistake is refused.
    # Samsung phones/tablets: 11 characters starting with R (R58M…, R5CR…, RF8N…).
    SerialPattern("samsung", r"(?=[0-9A-Z]*[0-9])R[0-9A-Z]{10}"),
    # Apple: 12 characters until 2021 (C02…, F2L…, DNP…, FVF…), then 10 random characters.
    SerialPattern("apple", r"(?=[0-9A-Z]*[0-9])(?=[0-9A-Z]*[A-Z])(?:[0-9A-Z]{12}|[0-9A-Z]{10})"),
    # Lenovo ThinkPad/IdeaPad: two letters + six characters (PF1ABCDE, MP1XYZ12, R90ABCDE).
    SerialPattern("lenovo", r"(?=[0-9A-Z]*[0-9])[A-Z]{2}[0-9A-Z]{6}"),
    # Dell service tag: 7 characters.
    SerialPattern("dell", r"(?=[0-9A-Z]*[0-9])(?=[0-9A-Z]*[A-Z])[0-9A-Z]{7}"),
    # Anything else that looks like a serial: 6–40 letters/digits (dashes allowed inside), with at least
    # one digit and one letter, so a word or a price typed by mistake is refused.
    SerialPattern("other", r"(?=[0-9A-Z-]*[0-9])(?=[0-9A-Z-]*[A-Z])[0-9A-Z][0-9A-Z-]{4,38}[0-9A-Z]"),
)


@dataclass(frozen=True)
class ScannedId:
    """A validated identifier: a 15-digit IMEI with a correct check digit, or an upper-case serial number.

    `format` names the serial pattern that matched ("apple", "samsung", ...) or is "imei"; it is a hint only.
    `completed` is True when a 14-digit IMEI was given and the check digit was added.
    """

    kind: Literal["imei", "serial"]
    value: str
    format: str = ""
    completed: bool = False


def luhn_check_digit(digits: str) -> int:
    """The Luhn check digit for a string of digits (for an IMEI, its first 14 digits)."""
    if not digits.isdigit() or not digits.isascii():
        raise ValueError(f"digits only, got {digits!r}")
    total = 0
    # Double every second digit counting from the right of the payload (the check digit will sit right of it).
    for position, char in enumerate(reversed(digits)):
        digit = int(char)
        if position % 2 == 0:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return (10 - total % 10) % 10


def is_valid_imei(value: str) -> bool:
    return (
        len(value) == 15
        and value.isdigit()
        and value.isascii()
        and luhn_check_digit(value[:14]) == int(value[14])
    )


def compile_serial_patterns(regexes: Iterable[str]) -> tuple[SerialPattern, ...]:
    """Turn configured regexes (settings) into patterns; a broken one is refused with a readable message."""
    patterns = []
    for index, regex in enumerate(regexes, start=1):
        regex = regex.strip()
        if not regex:
            continue
        try:
            re.compile(regex)
        except re.error as exc:
            raise InputError(BAD_PATTERN(index=index, pattern=regex, error=str(exc))) from exc
        patterns.append(SerialPattern(f"custom-{index}", regex))
    return tuple(patterns)


def _refuse_junk(text: str) -> None:
    if len(text) > MAX_SCAN_LENGTH:
        raise InputError(TOO_LONG(length=len(text), maximum=MAX_SCAN_LENGTH))
    for char in text:
        if not char.isascii():
            raise InputError(NOT_ASCII(char=char))
        if _CONTROL.match(char):
            raise InputError(CONTROL_CHARACTER(hex=f"0x{ord(char):02X}"))


def normalise_scan(raw: str, prefix: str = "", suffix: str = "") -> str:
    """Clean a raw scan or typed entry: strip the configured prefix/suffix, terminators, whitespace, AIM
    identifiers, labels ("IMEI:", "S/N:") and stray symbols at the edges; drop the spaces or dashes that group
    an IMEI's digits; upper-case. Raises InputError for junk (over-long bursts, non-ASCII, control characters
    inside the code)."""
    text = raw.strip(" \t\r\n\x00\x02\x03\x04\x1d\x1e")
    if prefix and text.startswith(prefix):
        text = text[len(prefix) :]
    if suffix and text.endswith(suffix):
        text = text[: len(text) - len(suffix)]
    text = _AIM.sub("", text.strip())
    text = _LABEL.sub("", text.strip())
    text = text.strip().strip(_EDGE_SYMBOLS).strip()
    _refuse_junk(text)
    if _DIGIT_GROUPS.match(text):
        text = re.sub(r"[ \-/.]", "", text)
    text = re.sub(r"\s+", "", text)
    return text.upper()


def classify(value: str, serial_patterns: Sequence[SerialPattern] = DEFAULT_SERIAL_PATTERNS) -> ScannedId:
    """Tell what a normalised value is: an IMEI (check digit verified; added to a 14-digit IMEI) or a serial
    matching one of `serial_patterns`. Raises InputError in the technician's words otherwise."""
    if not value:
        raise InputError(NOTHING_SCANNED())
    _refuse_junk(value)
    if value.isdigit():
        return _classify_digits(value, serial_patterns)
    upper = value.upper()
    for pattern in serial_patterns:
        if pattern.matches(upper):
            return ScannedId("serial", upper, pattern.name)
    if len(upper) < 6:
        raise InputError(TOO_SHORT(value=value))
    raise InputError(NOT_A_SERIAL(value=value))


def _classify_digits(value: str, serial_patterns: Sequence[SerialPattern]) -> ScannedId:
    if len(value) in (14, 15) and value.startswith("00000000"):
        raise InputError(NOT_A_REAL_IMEI(value=value))
    if len(value) == 15:
        expected = luhn_check_digit(value[:14])
        if int(value[14]) != expected:
            raise InputError(WRONG_CHECK_DIGIT(value=value, expected=expected))
        return ScannedId("imei", value, "imei")
    if len(value) == 14:
        # Some labels and diagnostic tools print the IMEI without its check digit.
        return ScannedId("imei", value + str(luhn_check_digit(value)), "imei", completed=True)
    for pattern in serial_patterns:
        if pattern.matches(value):
            return ScannedId("serial", value, pattern.name)
    if len(value) == 16:
        raise InputError(IMEISV(value=value))
    if len(value) in (8, 12, 13):
        raise InputError(PRODUCT_BARCODE(value=value))
    raise InputError(WRONG_DIGIT_COUNT(value=value, count=len(value)))


def parse_scan(
    raw: str,
    prefix: str = "",
    suffix: str = "",
    serial_patterns: Sequence[SerialPattern] = DEFAULT_SERIAL_PATTERNS,
) -> ScannedId:
    """`classify(normalise_scan(raw, prefix, suffix), serial_patterns)` in one call."""
    return classify(normalise_scan(raw, prefix, suffix), serial_patterns)
