"""Which probes read a unit of a category, and the one-unit rule across them (a phone on adb and an iPhone on
usbmux are two devices). Blocking: call it off the GUI thread."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from grading_station.hardware.battery_adb import AdbBatteryProbe
from grading_station.hardware.battery_ios import IosBatteryProbe
from grading_station.hardware.battery_probe import (
    BatteryProbe,
    DeviceBattery,
    ProbeError,
    Problem,
    none_connected,
    several,
)
from grading_station.hardware.battery_sysfs import LinuxBatteryProbe

from grading_station.i18n import _


class BatteryReader:
    """`probes` maps a checklist category to the probes that can read its units."""

    def __init__(self, probes: Mapping[str, Sequence[BatteryProbe]]) -> None:
        self.probes = {category: tuple(found) for category, found in probes.items()}

    @classmethod
    def for_station(cls, start_adb: bool = True) -> BatteryReader:
        """Phones and tablets over adb and (with pymobiledevice3) usbmux; laptops from this computer's sysfs.
        `start_adb`: an explicit read starts the adb server when none runs (as `adb devices` would)."""
        handheld = (AdbBatteryProbe(start_server=start_adb), IosBatteryProbe.installed())
        return cls({"phone": handheld, "tablet": handheld, "laptop": (LinuxBatteryProbe(),)})

    def can_read(self, category: str) -> bool:
        return bool(self.probes.get(category))

    def attached(self, category: str) -> int:
        """Units attached now, for the poll (never starts a tool, never raises for a missing one)."""
        return sum(probe.attached() for probe in self.probes.get(category, ()))

    def read(self, category: str, scanned: str) -> DeviceBattery:
        """The reading of the one attached unit, checked against the `scanned` serial / IMEI."""
        probes = self.probes.get(category, ())
        counts = [(probe, probe.attached(wake=True)) for probe in probes]
        total = sum(count for _, count in counts)
        if total > 1:
            raise several(total, (f"{probe.name}: {count}" for probe, count in counts if count))
        if total == 1:
            return next(probe for probe, count in counts if count).read(scanned)
        if len(probes) == 1:
            return probes[0].read(scanned)  # its own words for "nothing there"
        if not probes:
            raise ProbeError(Problem.UNAVAILABLE, _("This station cannot read the battery of a {category}: enter "
                                                    "it by hand.").format(category=category))
        hint = _("Connect the unit with its USB cable: an Android device with USB debugging on, an iPhone or iPad "
                 "unlocked.")
        if not all(probe.available for probe in probes):
            hint += " " + _("(iPhones are read only where the optional pymobiledevice3 package is installed.)")
        raise none_connected(hint)

