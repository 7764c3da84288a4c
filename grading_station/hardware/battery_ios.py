"""iPhones and iPads over usbmux: the battery's IORegistry entry (diagnostics relay) and the lockdown values.

The link is a small Protocol; `Pmd3Link` implements it with pymobiledevice3, an optional dependency
(`pip install grading-station[ios]`; ~90 packages) that also needs usbmuxd running on Linux. Without it the probe
sees no iPhone and says so. Health is NominalChargeCapacity (else AppleRawMaxCapacity) over DesignCapacity:
close to, not always equal to, the "Maximum Capacity" of the iPhone's Settings, which Apple does not expose.
"""

from __future__ import annotations

import importlib.util
import inspect
from collections.abc import Mapping
from typing import Any, Protocol

from grading_station.hardware.battery_probe import (
    DeviceBattery,
    DeviceIds,
    Gauge,
    ProbeError,
    Problem,
    check_identity,
    health_from_capacity,
    none_connected,
    plausible_cycles,
    several,
)

from grading_station.i18n import _

IMEI_KEYS = ("InternationalMobileEquipmentIdentity", "InternationalMobileEquipmentIdentity2")


class IosLink(Protocol):
    def udids(self) -> list[str]:
        """The iOS devices attached over USB."""

    def read(self, udid: str) -> tuple[dict[str, Any], dict[str, Any]]:
        """(lockdown values, battery IORegistry entry) of one device; raises the library's pairing errors."""


def _number(entry: Mapping[str, Any], key: str) -> float | None:
    nested = entry.get("BatteryData") if isinstance(entry.get("BatteryData"), Mapping) else {}
    value = entry.get(key, nested.get(key))
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def gauge_from_ioregistry(entry: Mapping[str, Any]) -> Gauge:
    """Health and cycles from the IOPMPowerSource / AppleSmartBattery entry (keys at the top level, or in
    BatteryData on some iOS versions). A missing DesignCapacity: no health figure; a 0 one: refused."""
    cycles = plausible_cycles(_number(entry, "CycleCount"), zero_is_unknown=False)  # 0: a brand-new battery
    design = _number(entry, "DesignCapacity")
    if design is None:
        return Gauge(None, cycles)
    full = _number(entry, "NominalChargeCapacity") or _number(entry, "AppleRawMaxCapacity")
    gauge = health_from_capacity(full, design, "mAh")
    return Gauge(gauge.health, cycles, gauge.basis)


def ids_from_lockdown(values: Mapping[str, Any]) -> DeviceIds:
    serial = str(values.get("SerialNumber") or "")
    found = tuple(str(values[k]) for k in IMEI_KEYS if values.get(k))
    return DeviceIds(serials=(serial,) if serial else (), imeis=found)


# pymobiledevice3's errors, by class name (the package is optional: its classes cannot be imported here)
_LOCKED = {
    "PasswordRequiredError": "locked",
    "PasscodeRequiredError": "locked",
    "PairingDialogResponsePendingError": "trust",
    "NotPairedError": "trust",
    "InvalidHostIDError": "trust",
    "UserDeniedPairingError": "denied",
}


def _problem(exc: BaseException) -> ProbeError | None:
    names = [cls.__name__ for cls in type(exc).__mro__]
    kind = next((_LOCKED[n] for n in names if n in _LOCKED), None)
    if kind == "locked":
        return ProbeError(Problem.LOCKED, _("The iPhone is locked: unlock it (and tap Trust if it asks), then read "
                                            "again."), detail=repr(exc))
    if kind == "trust":
        return ProbeError(Problem.LOCKED, _("Tap Trust on the iPhone and enter its passcode, then read again."),
                          detail=repr(exc))
    if kind == "denied":
        return ProbeError(Problem.LOCKED, _("The iPhone answered “Don't Trust”: unplug it, plug it in again and tap "
                                            "Trust."), detail=repr(exc))
    if any(n in ("ConnectionFailedToUsbmuxdError", "MuxException") for n in names):
        return ProbeError(Problem.UNAVAILABLE, _("iPhones cannot be reached: usbmuxd is not running on this "
                                                 "station."), detail=repr(exc))
    if any(n in ("DeviceNotFoundError", "NoDeviceConnectedError", "ConnectionTerminatedError") for n in names):
        return ProbeError(Problem.NO_DEVICE, _("The iPhone was disconnected: plug it in again and read again."),
                          detail=repr(exc))
    return None


class IosBatteryProbe:
    """Reads the one iPhone or iPad attached; `link` None when pymobiledevice3 is not installed."""

    name = "ios"

    def __init__(self, link: IosLink | None = None) -> None:
        self.link = link

    @property
    def available(self) -> bool:
        return self.link is not None

    @classmethod
    def installed(cls) -> IosBatteryProbe:
        return cls(Pmd3Link() if importlib.util.find_spec("pymobiledevice3") else None)

    def _udids(self) -> list[str]:
        if self.link is None:
            return []
        try:
            return list(self.link.udids())
        except Exception as exc:  # noqa: BLE001 - no usbmuxd, a device going away: nothing attached
            if _problem(exc) is None:
                raise
            return []

    def attached(self, wake: bool = False) -> int:
        return len(self._udids())

    def read(self, scanned: str) -> DeviceBattery:
        if self.link is None:
            raise ProbeError(Problem.UNAVAILABLE, _("iPhones are read with the optional pymobiledevice3 package, "
                                                    "not installed on this station: enter the reading by hand."))
        udids = self._udids()
        if not udids:
            raise none_connected(_("Connect the iPhone with its cable and unlock it."))
        if len(udids) > 1:
            raise several(len(udids), udids)
        try:
            values, entry = self.link.read(udids[0])
        except Exception as exc:
            problem = _problem(exc)
            if problem is None:
                raise
            raise problem from exc
        name = str(values.get("ProductType") or values.get("DeviceName") or "iPhone")
        identity = check_identity(scanned, ids_from_lockdown(values), name)
        return DeviceBattery(self.name, name, gauge_from_ioregistry(entry), identity)


class Pmd3Link:
    """IosLink over pymobiledevice3 (its API is asynchronous from version 9: each call runs its own loop)."""

    def __init__(self, pair_timeout_s: float = 5.0) -> None:
        self.pair_timeout_s = pair_timeout_s

    def udids(self) -> list[str]:
        import asyncio

        from pymobiledevice3 import usbmux

        async def run() -> list[str]:
            devices = await _settled(usbmux.list_devices())
            return [d.serial for d in devices if getattr(d, "is_usb", True)]

        return asyncio.run(run())

    def read(self, udid: str) -> tuple[dict[str, Any], dict[str, Any]]:
        import asyncio

        from pymobiledevice3.lockdown import create_using_usbmux
        from pymobiledevice3.services.diagnostics import DiagnosticsService

        async def run() -> tuple[dict[str, Any], dict[str, Any]]:
            lockdown = await _settled(create_using_usbmux(serial=udid, pair_timeout=self.pair_timeout_s))
            try:
                values = dict(lockdown.all_values)
                service = DiagnosticsService(lockdown=lockdown)
                entry = await _settled(service.get_battery()) or {}
                await _settled(service.close())
            finally:
                await _settled(lockdown.close())
            return values, dict(entry)

        return asyncio.run(run())


async def _settled(value: Any) -> Any:
    """Await what the library made a coroutine (newer versions), take plain values as they are (older ones)."""
    return await value if inspect.isawaitable(value) else value
