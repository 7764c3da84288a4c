"""Battery readings typed or pasted by the technician: health % and cycle count, checked for plausibility.

`parse_health("87 %") -> 87`, `parse_cycles("312") -> 312`, `parse_reading("87", "312") -> BatteryReading`,
and `parse_report(text)` pulls both from a pasted diagnostic report (macOS System Information, iOS/Android
diagnostic tools, coconutBattery). Bad input raises InputError in the technician's words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from grading_station.errors import InputError

MAX_PLAUSIBLE_CYCLES = 5000
"""Phone and laptop batteries are worn out long before this; a larger number is a typo."""

MANUAL = "manual"
"""The source of a reading typed or pasted by the technician; one read from the unit is "device (<probe>)"."""

_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")


@dataclass(frozen=True)
class BatteryReading:
    """A plausible reading: health 0–100 %, cycles None when the device does not report them; `source` says
    where it came from (MANUAL, or "device (adb)" when read from the unit), kept in the test report."""

    health: int
    cycles: int | None = None
    source: str = MANUAL

    def describe(self) -> str:
        cycles = f", {self.cycles} cycles" if self.cycles is not None else ""
        return f"{self.health} %{cycles}"


def _number(text: str, what: str) -> float:
    cleaned = text.strip().replace("\u00a0", " ")
    cleaned = re.sub(r"(?<=\d)[ '](?=\d{3}\b)", "", cleaned)  # thousands separators: "1 203", "1'203"
    if not cleaned:
        raise InputError(f"Enter the {what}.")
    if not _NUMBER.match(cleaned):
        raise InputError(f"'{text.strip()}' is not a number: enter the {what} in digits.")
    return float(cleaned.replace(",", "."))


def parse_health(text: str) -> int:
    """Battery health (maximum capacity) in %: "87", "87 %", "87.4%" (rounded) -> 87."""
    cleaned = text.strip()
    cleaned = cleaned[:-1] if cleaned.endswith("%") else cleaned
    value = _number(cleaned, "battery health (%)")
    if value < 0 or value > 100:
        shown = f"{value:g}"
        raise InputError(f"{shown} % is not possible: battery health is 0–100 %.")
    return int(value + 0.5)


def parse_cycles(text: str) -> int:
    """Charge cycle count: "312", "312 cycles", "1 203" -> int."""
    cleaned = re.sub(r"\s*cycles?\s*$", "", text.strip(), flags=re.IGNORECASE)
    value = _number(cleaned, "cycle count")
    if value != int(value):
        raise InputError(f"'{text.strip()}' is not a whole number: a cycle count has no decimals.")
    if value < 0:
        raise InputError(f"{int(value)} cycles is not possible: a cycle count cannot be negative.")
    if value > MAX_PLAUSIBLE_CYCLES:
        raise InputError(
            f"{int(value)} cycles is not plausible (at most {MAX_PLAUSIBLE_CYCLES}): "
            "check the reading and type it again."
        )
    return int(value)


def parse_reading(health_text: str, cycles_text: str = "", cycles_required: bool = False) -> BatteryReading:
    """Both fields of the battery step; an empty cycle count is allowed unless `cycles_required`."""
    health = parse_health(health_text)
    if not cycles_text.strip():
        if cycles_required:
            raise InputError(
                "Enter the cycle count: this device reports it (Settings or the diagnostic tool)."
            )
        return BatteryReading(health, None)
    return BatteryReading(health, parse_cycles(cycles_text))


_HEALTH_LINES = (
    re.compile(r"maximum\s+capacity\s*[:=]?\s*([\d.,]+)\s*%", re.IGNORECASE),
    re.compile(r"battery\s+health\s*[:=]?\s*([\d.,]+)\s*%", re.IGNORECASE),
    re.compile(r"design\s+capacity\s*[:=]?\s*([\d.,]+)\s*%", re.IGNORECASE),
    re.compile(r"\bhealth\s*[:=]?\s*([\d.,]+)\s*%", re.IGNORECASE),
)
_CYCLE_LINES = (re.compile(r"cycle\s*count\s*[:=]?\s*([\d ,']+)", re.IGNORECASE),)


def parse_report(text: str) -> BatteryReading:
    """Health and cycles from a pasted diagnostic report (macOS: "Cycle Count: 312", "Maximum Capacity: 87%").
    Raises InputError when no health figure is found."""
    health_text = next((m.group(1) for rx in _HEALTH_LINES if (m := rx.search(text))), None)
    if health_text is None:
        raise InputError("No battery health (e.g. 'Maximum Capacity: 87%') was found in the pasted text.")
    cycles_text = next((m.group(1).strip() for rx in _CYCLE_LINES if (m := rx.search(text))), "")
    return parse_reading(health_text, cycles_text)
