"""What a battery probe reads from a connected unit, the checks every probe shares, and its refusals in words.

A probe (adb, iOS, Linux sysfs) answers `attached()` (how many units it sees, cheap: polled every ~2 s) and
`read(scanned)` (the reading of the one attached unit, refused when it proves to be another unit). Reads block:
call them off the GUI thread.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from grading_station.domain.identifiers import is_valid_imei

from grading_station.errors import KnownError
from grading_station.i18n import _

OVER_DESIGN_TOLERANCE = 110
"""A new cell often holds a little more than its design capacity (gauges report 100-105 %): up to this it counts
as 100 %; above it the gauge or the figures are wrong (a swapped cell with the old design value, a bad read)."""


class Problem(enum.StrEnum):
    """Why a read gave no reading; the UI shows the error's message, tests check the code."""

    NO_DEVICE = "no_device"
    SEVERAL_DEVICES = "several_devices"
    UNAUTHORISED = "unauthorised"  # adb: "Allow USB debugging?" not accepted on the phone
    LOCKED = "locked"  # iOS: locked, or "Trust this computer?" not answered
    OTHER_UNIT = "other_unit"
    IMPLAUSIBLE = "implausible"
    UNAVAILABLE = "unavailable"  # the tool behind the probe is missing or not running


class ProbeError(KnownError):
    """A read refused or impossible, in the technician's words; `problem` says which case."""

    def __init__(self, problem: Problem, user_message: str, *, detail: str = "") -> None:
        super().__init__(user_message, detail=detail)
        self.problem = problem


class Identity(enum.StrEnum):
    MATCH = "match"  # the unit reported the scanned serial / IMEI
    UNPROVEN = "unproven"  # it reported nothing comparable: the technician confirms it is the scanned unit


@dataclass(frozen=True)
class DeviceIds:
    """The identifiers a unit reported (empty when it would not say)."""

    serials: tuple[str, ...] = ()
    imeis: tuple[str, ...] = ()

    def shown(self) -> str:
        return ", ".join(self.serials + self.imeis) or "?"


@dataclass(frozen=True)
class Gauge:
    """What the unit's fuel gauge says; `health` None when it reports no health figure at all."""

    health: int | None
    cycles: int | None
    basis: str = ""  # how the health was found, shown to the technician ("3,920 of 4,355 mAh design")


@dataclass(frozen=True)
class DeviceBattery:
    """A reading taken from the unit: the gauge, who the unit said it was, and over what (`probe`)."""

    probe: str  # "adb", "ios", "linux"
    device: str  # the model as the unit names itself ("Pixel 7", "iPhone14,5")
    gauge: Gauge
    identity: Identity

    @property
    def source(self) -> str:
        """What the test report and the lot's `battery_source` say."""
        return f"device ({self.probe})"


class BatteryProbe(Protocol):
    name: str
    available: bool  # False when the library behind it is not installed (the reader says so)

    def attached(self, wake: bool = False) -> int:
        """How many units this probe sees now (0 when its tool is missing or not running). `wake`: an explicit
        read, which may start the tool (the adb server); a poll never does."""

    def read(self, scanned: str) -> DeviceBattery:
        """The reading of the one attached unit; ProbeError when none, several, locked or another unit."""


def health_from_capacity(full: float | None, design: float | None, unit: str) -> Gauge:
    """Health as full-charge capacity over design capacity, refused when the figures cannot be right."""
    if not design or design <= 0:
        raise ProbeError(
            Problem.IMPLAUSIBLE,
            _("The unit reports a design capacity of 0: its battery gauge cannot be trusted. Enter the health "
              "from the diagnostics app."),
            detail=f"full={full} design={design}",
        )
    if full is None or full <= 0:
        raise ProbeError(
            Problem.IMPLAUSIBLE,
            _("The unit reports a full-charge capacity of 0 (the battery may need a full charge first). Enter the "
              "health from the diagnostics app."),
            detail=f"full={full} design={design}",
        )
    percent = full * 100 / design
    if percent > OVER_DESIGN_TOLERANCE:
        raise ProbeError(
            Problem.IMPLAUSIBLE,
            _("The unit reports {percent} % of its design capacity ({full} of {design} {unit}): that is not "
              "possible. Enter the health from the diagnostics app.").format(
                percent=round(percent), full=_amount(full), design=_amount(design), unit=unit),
            detail=f"full={full} design={design}",
        )
    basis = _("{full} of {design} {unit} design").format(full=_amount(full), design=_amount(design), unit=unit)
    return Gauge(min(100, int(percent + 0.5)), None, basis)


def _amount(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:,.1f}"


def _clean(value: str) -> str:
    return re.sub(r"[\s-]", "", value).upper()


def check_identity(scanned: str, ids: DeviceIds, device: str) -> Identity:
    """MATCH when the unit reported the scanned serial or IMEI; UNPROVEN when it reported nothing of that kind
    (adb hides the IMEI from Android 10 on); ProbeError OTHER_UNIT when it reported another one."""
    wanted = _clean(scanned)
    reported = {_clean(x) for x in ids.serials + ids.imeis if x.strip()}
    if wanted in reported:
        return Identity.MATCH
    comparable = ids.imeis if is_valid_imei(wanted) else ids.serials
    if any(x.strip() for x in comparable):
        raise ProbeError(
            Problem.OTHER_UNIT,
            _("The connected {device} is {ids}, not the scanned unit {serial}: connect the unit being graded "
              "(or enter the reading by hand).").format(device=device or _("device"), ids=ids.shown(),
                                                        serial=scanned),
        )
    return Identity.UNPROVEN


def plausible_cycles(value: object, zero_is_unknown: bool = True) -> int | None:
    """A cycle count as reported, None when absent, not a number, negative, or 0 where 0 means "not counted"."""
    try:
        cycles = int(float(str(value).strip()))
    except (TypeError, ValueError):
        return None
    if cycles < 0 or (cycles == 0 and zero_is_unknown):
        return None
    return cycles


def several(count: int, detail: Iterable[str] = ()) -> ProbeError:
    return ProbeError(
        Problem.SEVERAL_DEVICES,
        _("{count} devices connected: connect only the unit being graded.").format(count=count),
        detail=", ".join(detail),
    )


def none_connected(hint: str) -> ProbeError:
    return ProbeError(Problem.NO_DEVICE, _("No device connected. {hint}").format(hint=hint))
