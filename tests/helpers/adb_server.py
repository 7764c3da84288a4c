"""An adb server on 127.0.0.1 speaking the smart-socket protocol (AOSP packages/modules/adb/SERVICES.TXT), so
the real adbutils client runs against simulated devices: 4-hex-length requests, OKAY/FAIL replies, host:version,
host:devices(-l), host:transport:SERIAL and host:tport:serial:SERIAL, then shell:COMMAND on that transport.

Fixture `adb_server`: `adb_server.add("R58M12ABCDE", shell={"getprop": "..."})`, `.port`, `.requests`.
"""

from __future__ import annotations

import socketserver
import struct
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest

SERVER_VERSION = 41  # adb 1.0.41: clients use host:tport (which answers the transport id) from this version on


@dataclass
class SimDevice:
    serial: str
    state: str = "device"  # "device", "unauthorized", "offline"
    shell: dict[str, str | Callable[[], str]] = field(default_factory=dict)
    model: str = "Pixel_7"
    transport_id: int = 1


class AdbServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Session)
        self.devices: dict[str, SimDevice] = {}
        self.requests: list[str] = []
        self.lock = threading.Lock()

    @property
    def port(self) -> int:
        return self.server_address[1]

    def add(self, serial: str, **kwargs) -> SimDevice:
        device = SimDevice(serial, transport_id=len(self.devices) + 1, **kwargs)
        with self.lock:
            self.devices[serial] = device
        return device

    def remove(self, serial: str) -> None:
        with self.lock:
            self.devices.pop(serial, None)

    def device_list(self, long: bool) -> str:
        with self.lock:
            devices = list(self.devices.values())
        if long:
            return "".join(f"{d.serial:<22} {d.state} product:{d.model.lower()} model:{d.model} device:sim "
                           f"transport_id:{d.transport_id}\n" for d in devices)
        return "".join(f"{d.serial}\t{d.state}\n" for d in devices)


class _Session(socketserver.BaseRequestHandler):
    """One client connection: host requests until one switches it to a device's transport."""

    server: AdbServer

    def _read_request(self) -> str | None:
        head = self._read(4)
        if not head:
            return None
        return self._read(int(head, 16)).decode("utf-8")

    def _read(self, size: int) -> bytes:
        data = b""
        while len(data) < size:
            chunk = self.request.recv(size - len(data))
            if not chunk:
                return data
            data += chunk
        return data

    def _okay(self, payload: str | None = None) -> None:
        body = b"" if payload is None else f"{len(payload.encode()):04x}".encode() + payload.encode()
        self.request.sendall(b"OKAY" + body)

    def _fail(self, message: str) -> None:
        self.request.sendall(b"FAIL" + f"{len(message.encode()):04x}".encode() + message.encode())

    def handle(self) -> None:
        device: SimDevice | None = None
        while (request := self._read_request()) is not None:
            with self.server.lock:
                self.server.requests.append(request)
            if device is not None:
                self._device_request(device, request)
                return
            if request == "host:version":
                return self._okay(f"{SERVER_VERSION:04x}")
            if request in ("host:devices", "host:devices-l"):
                return self._okay(self.server.device_list(long=request.endswith("-l")))
            serial = request.removeprefix("host:tport:serial:").removeprefix("host:transport:")
            if serial == request:
                return self._fail(f"unknown host service '{request}'")
            device = self._transport(serial)
            if device is None:
                return
            self._okay()
            if request.startswith("host:tport:"):
                self.request.sendall(struct.pack("<Q", device.transport_id))

    def _transport(self, serial: str) -> SimDevice | None:
        with self.server.lock:
            device = self.server.devices.get(serial)
        if device is None:
            self._fail(f"device '{serial}' not found")
        elif device.state == "unauthorized":  # adb's own words
            self._fail("device unauthorized.\nThis adb server's $ADB_VENDOR_KEYS is not set\nTry 'adb kill-server' "
                       "if that seems wrong.\nOtherwise check for a confirmation dialog on your device.")
        elif device.state != "device":
            self._fail(f"device {device.state}")
        else:
            return device
        return None

    def _device_request(self, device: SimDevice, request: str) -> None:
        if not request.startswith("shell:"):
            return self._fail(f"unknown service '{request}'")
        command = request.removeprefix("shell:")
        answer = device.shell.get(command)
        output = answer() if callable(answer) else answer
        if output is None:
            output = f"/system/bin/sh: {command.split()[0]}: inaccessible or not found\n"
        self.request.sendall(b"OKAY" + output.encode("utf-8"))  # the shell's output, then the stream closes


@pytest.fixture
def adb_server() -> Iterator[AdbServer]:
    server = AdbServer()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)
