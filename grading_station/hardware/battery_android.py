"""What an Android phone tells over `adb shell`: `dumpsys battery`, `getprop`, the IMEI parcel, parsed.

AOSP's `dumpsys battery` (BatteryService.dumpInternal) has no health percentage nor cycle count: its `health: 2`
is a status code (BATTERY_HEALTH_GOOD), never a %. Samsung adds `mSavedBatteryAsoc` (capacity left, %) and
`mSavedBatteryUsage` (cycles × 100); other phones expose `charge_full` / `charge_full_design` / `cycle_count`
in the kernel's power_supply node (battery_sysfs), when the shell may read it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from grading_station.domain.identifiers import is_valid_imei

from grading_station.hardware.battery_probe import OVER_DESIGN_TOLERANCE, Gauge, ProbeError, Problem, plausible_cycles
from grading_station.hardware.battery_sysfs import gauge_from_power_supply, parse_uevent

from grading_station.i18n import _

# Serials that say nothing: cheap boards ship with one of these for every unit.
_PLACEHOLDER_SERIALS = {"", "unknown", "0123456789abcdef", "0123456789", "null"}
SERIAL_PROPS = ("ro.serialno", "ro.boot.serialno", "ril.serialnumber")  # the last: Samsung's label serial


def parse_dumpsys(text: str) -> dict[str, str]:
    """`  level: 87` lines -> {"level": "87"} (the first of a repeated key); `[96]` brackets are dropped."""
    values: dict[str, str] = {}
    for line in text.splitlines():
        key, sep, value = line.strip().partition(":")
        if sep and key:
            values.setdefault(key.strip(), value.strip().removeprefix("[").removesuffix("]").strip())
    return values


def parse_getprop(text: str) -> dict[str, str]:
    """`[ro.serialno]: [R58M12ABCDE]` lines -> {"ro.serialno": "R58M12ABCDE"}."""
    return dict(re.findall(r"^\[([^\]]+)\]: \[([^\]]*)\]", text, flags=re.MULTILINE))


def serials(props: Mapping[str, str], adb_serial: str = "") -> tuple[str, ...]:
    found = []
    for value in (*(props.get(name, "") for name in SERIAL_PROPS), adb_serial):
        value = value.strip()
        # "192.168.1.5:5555" (adb over the network) and "emulator-5554" name a transport, not the unit
        if value.lower() not in _PLACEHOLDER_SERIALS and ":" not in value and not value.startswith("emulator-") \
                and value not in found:
            found.append(value)
    return tuple(found)


def parcel_string(text: str) -> str | None:
    """The string in a `service call` reply (`Result: Parcel(00000000 0000000f 00350033 ...)`): status word,
    UTF-16 length, then two UTF-16LE units per little-endian word. None for an exception reply (status ≠ 0,
    e.g. the SecurityException Android 10+ answers the shell) or a null string."""
    words = []
    for line in text.splitlines():
        line = re.sub(r"'[^']*'\)?\s*$", "", line)  # the ASCII column
        line = re.sub(r"0x[0-9a-fA-F]+:", "", line.replace("Result: Parcel(", ""))
        words += [int(w, 16) for w in re.findall(r"\b[0-9a-fA-F]{8}\b", line)]
    if len(words) < 2 or words[0] != 0 or words[1] == 0xFFFFFFFF:
        return None
    units = [u for w in words[2:] for u in (w & 0xFFFF, w >> 16)][: words[1]]
    return "".join(map(chr, units))


def imeis(parcel_reply: str) -> tuple[str, ...]:
    value = parcel_string(parcel_reply) or ""
    return (value,) if is_valid_imei(value) else ()


def android_gauge(dumpsys: str, uevent: str) -> Gauge:
    """Samsung's saved figures first (what its own diagnostics show), else the kernel's full vs design."""
    values = parse_dumpsys(dumpsys)
    kernel = gauge_from_power_supply([parse_uevent(uevent)])
    usage = plausible_cycles(values.get("mSavedBatteryUsage"))
    cycles = round(usage / 100) if usage is not None else kernel.cycles
    asoc = plausible_cycles(values.get("mSavedBatteryAsoc"))
    if asoc is None:
        return Gauge(kernel.health, cycles, kernel.basis)
    if asoc > OVER_DESIGN_TOLERANCE:
        raise ProbeError(
            Problem.IMPLAUSIBLE,
            _("The phone reports {percent} % battery health: that is not possible. Enter the health from the "
              "diagnostics app.").format(percent=asoc),
            detail=f"mSavedBatteryAsoc={asoc}",
        )
    return Gauge(min(100, asoc), cycles, _("Samsung's saved capacity figure"))
