"""Battery readings typed or pasted by the technician: health % and cycle count, checked for plausibility.

`parse_health("87 %") -> 87`, `parse_cycles("1,203", "en") -> 1203`, `parse_reading("87", "312") ->
BatteryReading`, and `parse_report(text)` pulls both from a pasted diagnostic report (macOS System Information,
iOS/Android diagnostic tools, coconutBattery). Bad input raises InputError carrying a Reason (wording.py).

Thousands separators follow the station's locale (passed in: the domain looks nothing up): "1,000" is 1000 in
English, "1.000" in German. A separator that could be either ("4.000" in English: four, or four thousand?) is
refused rather than guessed; so is anything longer than MAX_FIELD_LENGTH.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import get_decimal_symbol, get_group_symbol

from grading_station.domain.reasons import code

from grading_station.errors import InputError

MAX_PLAUSIBLE_CYCLES = 5000
"""Phone and laptop batteries are worn out long before this; a larger number is a typo."""
MAX_FIELD_LENGTH = 16
"""Longest health or cycle-count entry accepted ("1 203 cycles" fits); the editor limits its fields to it."""

HEALTH_EMPTY = code("battery.health_empty")
HEALTH_NOT_NUMBER = code("battery.health_not_number", "text")
HEALTH_OUT_OF_RANGE = code("battery.health_out_of_range", "value")
CYCLES_EMPTY = code("battery.cycles_empty")
CYCLES_NOT_NUMBER = code("battery.cycles_not_number", "text")
CYCLES_NOT_WHOLE = code("battery.cycles_not_whole", "text")
CYCLES_AMBIGUOUS = code("battery.cycles_ambiguous", "text", "grouped", "decimal")
CYCLES_NEGATIVE = code("battery.cycles_negative", "cycles")
CYCLES_IMPLAUSIBLE = code("battery.cycles_implausible", "cycles", "maximum")
CYCLES_REQUIRED = code("battery.cycles_required")
TOO_LONG = code("battery.too_long", "maximum")
REPORT_WITHOUT_HEALTH = code("battery.report_without_health")

_HEALTH = re.compile(r"^([+-]?)([0-9]+)(?:[.,]([0-9]+))?$")
_SPACES = re.compile(r"[\u00a0\u202f\u2009 '\u2019]")  # spaces and apostrophes: thousands only, in any locale
_CYCLES = re.compile(r"^([+-]?)([0-9]{1,3}(?:([.,])[0-9]{3})+|[0-9]+)(?:([.,])([0-9]+))?$")

MANUAL = "manual"
"""The source of a reading typed or pasted by the technician; one read from the unit is "device (<probe>)"."""


@dataclass(frozen=True)
class BatteryReading:
    """A plausible reading: health 0–100 %, cycles None when the device does not report them; `source` says
    where it came from (MANUAL, or "device (adb)" when read from the unit), kept in the test report."""

    health: int
    cycles: int | None = None
    source: str = MANUAL

    def describe(self) -> str:
        """The reading as the test report stores it (data, not UI: it stays English)."""
        cycles = f", {self.cycles} cycles" if self.cycles is not None else ""
        return f"{self.health} %{cycles}"


def _cleaned(text: str) -> str:
    cleaned = text.strip()
    if len(cleaned) > MAX_FIELD_LENGTH:
        raise InputError(TOO_LONG(maximum=MAX_FIELD_LENGTH))
    return cleaned


def parse_health(text: str) -> int:
    """Battery health (maximum capacity) in %: "87", "87 %", "87.4%", "87,4" (rounded) -> 87."""
    cleaned = _cleaned(text)
    cleaned = cleaned[:-1].rstrip() if cleaned.endswith("%") else cleaned
    if not cleaned:
        raise InputError(HEALTH_EMPTY())
    # 0–100 leaves no room for thousands: a comma or a point is the decimal mark, whatever the locale.
    match = _HEALTH.match(cleaned)
    if not match:
        raise InputError(HEALTH_NOT_NUMBER(text=text.strip()))
    sign, whole, fraction = match.groups()
    value = Decimal(f"{sign}{whole}.{fraction or 0}")
    if value < 0 or value > 100:
        raise InputError(HEALTH_OUT_OF_RANGE(value=f"{value.normalize():f}"))
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def parse_cycles(text: str, locale: str = "en") -> int:
    """Charge cycle count: "312", "312 cycles", "1 203", "1,203" (English) or "1.203" (German) -> int."""
    cleaned = re.sub(r"\s*cycles?\s*$", "", _cleaned(text), flags=re.IGNORECASE)
    if not cleaned:
        raise InputError(CYCLES_EMPTY())
    shown = text.strip()
    match = _CYCLES.match(re.sub(r"(?<=[0-9])" + _SPACES.pattern + r"(?=[0-9]{3}\b)", "", cleaned))
    if not match:
        raise InputError(CYCLES_NOT_NUMBER(text=shown))
    sign, digits, separator, decimal_mark, fraction = match.groups()
    group, decimal = get_group_symbol(locale), get_decimal_symbol(locale)
    if separator and separator != group and digits.count(separator) == 1 and not decimal_mark:
        # "4.000" where the point is not the thousands separator: 4 (decimals) or 4000? Ask, do not guess.
        whole, _, _ = digits.partition(separator)
        raise InputError(CYCLES_AMBIGUOUS(text=shown, grouped=int(digits.replace(separator, "")), decimal=int(whole)))
    if decimal_mark:
        if decimal_mark != decimal and len(fraction) == 3 and not separator:
            grouped = int(digits + fraction)
            raise InputError(CYCLES_AMBIGUOUS(text=shown, grouped=grouped, decimal=int(digits)))
        raise InputError(CYCLES_NOT_WHOLE(text=shown))
    value = int(digits.replace(separator or ",", ""))
    if sign == "-" and value:
        raise InputError(CYCLES_NEGATIVE(cycles=-value))
    if value > MAX_PLAUSIBLE_CYCLES:
        raise InputError(CYCLES_IMPLAUSIBLE(cycles=value, maximum=MAX_PLAUSIBLE_CYCLES))
    return value


def parse_reading(
    health_text: str, cycles_text: str = "", cycles_required: bool = False, locale: str = "en"
) -> BatteryReading:
    """Both fields of the battery step; an empty cycle count is allowed unless `cycles_required`."""
    health = parse_health(health_text)
    if not cycles_text.strip():
        if cycles_required:
            raise InputError(CYCLES_REQUIRED())
        return BatteryReading(health, None)
    return BatteryReading(health, parse_cycles(cycles_text, locale))


_HEALTH_LINES = (
    re.compile(r"maximum\s+capacity\s*[:=]?\s*([\d.,]+)\s*%", re.IGNORECASE),
    re.compile(r"battery\s+health\s*[:=]?\s*([\d.,]+)\s*%", re.IGNORECASE),
    re.compile(r"design\s+capacity\s*[:=]?\s*([\d.,]+)\s*%", re.IGNORECASE),
    re.compile(r"\bhealth\s*[:=]?\s*([\d.,]+)\s*%", re.IGNORECASE),
)
# The whole figure, separators included ("2.501" must not be read as 2), up to the end of its line.
_CYCLE_LINES = (re.compile(r"cycle\s*count\s*[:=]?[ \t]*([0-9](?:[0-9.,'\u2019\u00a0\u202f ]*[0-9])?)", re.IGNORECASE),)


def parse_report(text: str, locale: str = "en") -> BatteryReading:
    """Health and cycles from a pasted diagnostic report (macOS: "Cycle Count: 312", "Maximum Capacity: 87%").
    Raises InputError when no health figure is found."""
    health_text = next((m.group(1) for rx in _HEALTH_LINES if (m := rx.search(text))), None)
    if health_text is None:
        raise InputError(REPORT_WITHOUT_HEALTH())
    cycles_text = next((m.group(1).strip() for rx in _CYCLE_LINES if (m := rx.search(text))), "")
    return parse_reading(health_text, cycles_text, locale=locale)
