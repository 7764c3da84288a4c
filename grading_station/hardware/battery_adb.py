"""Android phones and tablets over adb (the adbutils client talks to the adb server's TCP protocol).

One read: the device list (exactly one, authorised), `getprop` (serial, model), the IMEI parcel (refused to the
shell from Android 10 on), `dumpsys battery` and the kernel's battery uevent. Polling never starts an adb
server; an explicit read may (`start_server`), with the adb binary adbutils ships. adbutils (with requests and
Pillow) is imported at the first poll, not when the station starts.
"""

from __future__ import annotations

import os
import socket
import subprocess
from typing import TYPE_CHECKING

from grading_station.hardware.battery_android import android_gauge, imeis, parse_getprop, serials
from grading_station.hardware.battery_probe import (
    DeviceBattery,
    DeviceIds,
    ProbeError,
    Problem,
    check_identity,
    none_connected,
    several,
)

from grading_station import log
from grading_station.i18n import _

if TYPE_CHECKING:
    import adbutils

IMEI_CALL = "service call iphonesubinfo 1 s16 com.android.shell"  # getDeviceId(callingPackage) on Android 5-9
UEVENT = "cat /sys/class/power_supply/battery/uevent"


class AdbBatteryProbe:
    """Reads the one Android unit attached to the adb server at `host:port`."""

    name = "adb"
    available = True

    def __init__(
        self, host: str = "127.0.0.1", port: int | None = None, *, timeout_s: float = 10.0, start_server: bool = False
    ) -> None:
        self.host = host
        self.port = port or int(os.environ.get("ANDROID_ADB_SERVER_PORT", "5037"))
        self.timeout_s = timeout_s
        self.start_server = start_server
        self._client: adbutils.AdbClient | None = None

    @property
    def client(self) -> adbutils.AdbClient:
        import adbutils

        if self._client is None:  # no connection yet: each call opens its own to the server
            self._client = adbutils.AdbClient(self.host, self.port, socket_timeout=self.timeout_s)
        return self._client

    def _server_up(self) -> bool:
        try:
            socket.create_connection((self.host, self.port), timeout=0.3).close()
            return True
        except OSError:
            return False

    def _devices(self, wake: bool) -> list[adbutils.AdbDeviceInfo]:
        if not self._server_up():
            if not (wake and self.start_server):
                return []
            self._start_server()
        from adbutils import AdbError

        try:
            return self.client.list(extended=True)
        except (AdbError, OSError) as exc:
            log.hardware.info("adb device list failed: %s", exc)
            return []

    def _start_server(self) -> None:
        from adbutils import adb_path

        try:  # like `adb devices` does when no server runs
            subprocess.run([adb_path(), "start-server"], timeout=20, capture_output=True, check=False)
        except (OSError, subprocess.SubprocessError) as exc:
            raise ProbeError(Problem.UNAVAILABLE, _("The adb server could not be started: Android phones cannot be "
                                                    "read on this station."), detail=str(exc)) from exc

    def attached(self, wake: bool = False) -> int:
        return len(self._devices(wake))

    def read(self, scanned: str) -> DeviceBattery:
        devices = self._devices(wake=True)
        if not devices:
            raise none_connected(_("Connect the phone with its USB cable and turn on USB debugging "
                                   "(Settings › Developer options)."))
        if len(devices) > 1:
            raise several(len(devices), (d.serial for d in devices))
        info = devices[0]
        if info.state == "unauthorized":
            raise ProbeError(Problem.UNAUTHORISED, _("Allow USB debugging on the phone: unlock it and tap Allow "
                                                     "in “Allow USB debugging?”, then read again."))
        if info.state != "device":
            raise ProbeError(Problem.UNAVAILABLE, _("The phone is {state} for adb: unplug it, plug it in again and "
                                                    "read again.").format(state=info.state))
        from adbutils import AdbError

        try:
            return self._read(self.client.device(info.serial), scanned)
        except AdbError as exc:  # unplugged or locked out half-way
            raise ProbeError(Problem.UNAVAILABLE, _("The phone stopped answering ({reason}): check the cable and "
                                                    "read again.").format(reason=exc), detail=str(exc)) from exc
        except OSError as exc:  # a timeout or a reset connection
            raise ProbeError(Problem.UNAVAILABLE, _("The phone did not answer in time: check the cable and read "
                                                    "again."), detail=str(exc)) from exc

    def _read(self, device: adbutils.AdbDevice, scanned: str) -> DeviceBattery:
        props = parse_getprop(device.shell("getprop", timeout=self.timeout_s))
        name = props.get("ro.product.model") or device.serial
        ids = DeviceIds(serials(props, device.serial or ""), imeis(device.shell(IMEI_CALL, timeout=self.timeout_s)))
        identity = check_identity(scanned, ids, name)  # before the battery: another unit's reading is not shown
        gauge = android_gauge(device.shell("dumpsys battery", timeout=self.timeout_s),
                              device.shell(UEVENT, timeout=self.timeout_s))
        return DeviceBattery(self.name, name, gauge, identity)
