"""Battery figures from Linux's power_supply class: the laptop the station runs on, and Android's kernel over adb.

The kernel's ABI (Documentation/ABI/testing/sysfs-class-power): `energy_full` / `energy_full_design` in µWh, or
`charge_full` / `charge_full_design` in µAh, and `cycle_count`, where 0 means the gauge does not count cycles.
The same names come as `POWER_SUPPLY_<NAME>=value` lines in the node's `uevent` file (what adb can read).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from grading_station.hardware.battery_probe import (
    DeviceBattery,
    DeviceIds,
    Gauge,
    check_identity,
    health_from_capacity,
    none_connected,
    plausible_cycles,
)

from grading_station.i18n import _

ATTRIBUTES = ("type", "scope", "present", "energy_full", "energy_full_design", "charge_full", "charge_full_design",
              "cycle_count", "model_name", "manufacturer")
# (full, design, divisor to the shown unit, shown unit)
_PAIRS = (("energy_full", "energy_full_design", 1e6, "Wh"), ("charge_full", "charge_full_design", 1e3, "mAh"))


def parse_uevent(text: str) -> dict[str, str]:
    """`POWER_SUPPLY_CHARGE_FULL=3920000` lines -> {"charge_full": "3920000"}."""
    values = {}
    for line in text.splitlines():
        key, sep, value = line.strip().partition("=")
        if sep and key.startswith("POWER_SUPPLY_"):
            values[key.removeprefix("POWER_SUPPLY_").lower()] = value.strip()
    return values


def read_attributes(folder: Path, names: Sequence[str] = ATTRIBUTES) -> dict[str, str]:
    """The named attribute files of a sysfs node; unreadable (root-only) or absent ones are left out."""
    values = {}
    for name in names:
        try:
            values[name] = (folder / name).read_text(encoding="utf-8", errors="replace").strip()
        except OSError:
            continue
    return values


def _number(attrs: Mapping[str, str], name: str) -> float | None:
    try:
        return float(attrs[name])
    except (KeyError, ValueError):
        return None


def gauge_from_power_supply(nodes: Sequence[Mapping[str, str]]) -> Gauge:
    """Health from full vs design capacity of the battery nodes (a laptop may have two packs: their capacities
    add up; the cycle count is the more worn pack's); None health when no node reports both figures."""
    for full_name, design_name, divisor, unit in _PAIRS:
        pairs = [(_number(n, full_name), _number(n, design_name)) for n in nodes if design_name in n]
        if pairs:
            full = sum(f or 0 for f, _ in pairs) / divisor
            design = sum(d or 0 for _, d in pairs) / divisor
            gauge = health_from_capacity(full, design, unit)
            break
    else:
        gauge = Gauge(None, None)
    counted = [c for c in (plausible_cycles(n.get("cycle_count")) for n in nodes) if c is not None]
    return Gauge(gauge.health, max(counted) if counted else None, gauge.basis)


class LinuxBatteryProbe:
    """The battery of the computer the station runs on (a laptop booted on the station's system to be graded),
    read on request only. Its identity is the DMI serial, readable only by root: otherwise the technician
    confirms the unit."""

    name = "linux"
    available = True

    def __init__(self, root: Path = Path("/sys/class/power_supply"), dmi: Path = Path("/sys/class/dmi/id")) -> None:
        self.root, self.dmi = root, dmi

    def batteries(self) -> list[dict[str, str]]:
        """The system's battery nodes (not a wireless mouse's: those have scope "Device")."""
        try:
            folders = sorted(p for p in self.root.iterdir() if p.is_dir())
        except OSError:
            return []
        nodes = [read_attributes(folder) for folder in folders]
        return [n for n in nodes if n.get("type") == "Battery" and n.get("scope") != "Device"
                and n.get("present", "1") == "1"]

    def attached(self, wake: bool = False) -> int:
        # Never to the poll: this battery is always "connected", and the bench may itself be a laptop, so it is
        # read when the technician asks (R), not by itself.
        return 1 if wake and self.batteries() else 0

    def read(self, scanned: str) -> DeviceBattery:
        nodes = self.batteries()
        if not nodes:
            raise none_connected(_("This computer has no battery: run the station on the laptop being graded."))
        dmi = read_attributes(self.dmi, ("sys_vendor", "product_name", "product_serial"))
        device = " ".join(v for v in (dmi.get("sys_vendor"), dmi.get("product_name")) if v) or _("this laptop")
        serial = dmi.get("product_serial", "")
        ids = DeviceIds(serials=(serial,) if serial and "O.E.M." not in serial else ())
        identity = check_identity(scanned, ids, device)
        return DeviceBattery(self.name, device, gauge_from_power_supply(nodes), identity)

