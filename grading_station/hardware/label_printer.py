"""Label printers: a network printer on raw TCP (port 9100) or a CUPS queue through `lp -o raw`. Both take
the label as bytes; "cannot reach it now" is RemoteUnavailable (the outbox retries), a wrong set-up is
RemoteRefused (retrying cannot help)."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
from dataclasses import dataclass
from typing import Protocol

from grading_station.errors import InputError, RemoteRefused, RemoteUnavailable
from grading_station.i18n import _

NONE, NETWORK, CUPS = "none", "network", "cups"
RAW_PORT = 9100
# lp's words when the CUPS scheduler itself is down: that passes, unlike a queue that does not exist.
_CUPS_DOWN = re.compile(r"scheduler is not running|unable to connect|connection refused|not responding",
                        re.IGNORECASE)


class LabelPrinter(Protocol):
    def send(self, data: bytes) -> None:
        """Hand the whole label to the printer; RemoteUnavailable / RemoteRefused when it cannot."""

    def describe(self) -> str:
        """Where the labels go, for the log and the Activity panel."""


@dataclass(frozen=True)
class PrinterSettings:
    kind: str = NONE  # NONE, NETWORK or CUPS
    address: str = ""  # host[:port] of a network printer
    queue: str = ""  # CUPS queue name


def parse_address(address: str) -> tuple[str, int]:
    """"host", "host:port" or "[v6]:port" as (host, port); InputError in words when it is not one."""
    text = address.strip()
    match = re.fullmatch(r"\[([0-9A-Fa-f:.]+)\](?::(\d+))?|([^\s:\[\]]+)(?::(\d+))?", text)
    if not match:
        raise InputError(_("“{address}” is not a printer address: write host or host:port, e.g. "
                           "192.168.1.50:9100.").format(address=address))
    host = match.group(1) or match.group(3)
    port = int(match.group(2) or match.group(4) or RAW_PORT)
    if not 0 < port < 65536:
        raise InputError(_("The printer port must be between 1 and 65535, not {port}.").format(port=port))
    return host, port


class NetworkPrinter:
    """A printer listening for raw jobs on TCP (Zebra and most label printers: port 9100)."""

    def __init__(self, host: str, port: int = RAW_PORT, timeout: float = 5.0) -> None:
        self.host, self.port, self.timeout = host, port, timeout

    def describe(self) -> str:
        return f"{self.host}:{self.port}"

    def send(self, data: bytes) -> None:
        try:
            with socket.create_connection((self.host, self.port), timeout=self.timeout) as conn:
                conn.sendall(data)
                conn.shutdown(socket.SHUT_WR)  # end of job: the printer starts on the whole label
        except OSError as exc:  # refused, no route, timeout, name not found: the printer may come back
            raise RemoteUnavailable(
                _("The label printer {printer} cannot be reached: is it on and connected?").format(
                    printer=self.describe()),
                detail=f"{type(exc).__name__}: {exc}",
            ) from exc


class CupsPrinter:
    """A CUPS queue; the label goes unchanged (`-o raw`) so the printer gets the ZPL itself."""

    def __init__(self, queue: str, lp: str = "lp", timeout: float = 15.0) -> None:
        self.queue, self.lp, self.timeout = queue, lp, timeout

    def describe(self) -> str:
        return f"CUPS {self.queue}"

    def send(self, data: bytes) -> None:
        command = shutil.which(self.lp)
        if command is None:
            raise RemoteRefused(_("CUPS is not installed on this computer (no “{command}” command): choose a "
                                  "network printer in Settings.").format(command=self.lp))
        try:
            done = subprocess.run([command, "-d", self.queue, "-o", "raw"], input=data, capture_output=True,
                                  timeout=self.timeout, check=False)
        except subprocess.TimeoutExpired as exc:
            raise RemoteUnavailable(_("CUPS did not answer in time."), detail=str(exc)) from exc
        if done.returncode == 0:
            return
        reason = done.stderr.decode("utf-8", "replace").strip() or f"lp exited with {done.returncode}"
        if _CUPS_DOWN.search(reason):
            raise RemoteUnavailable(_("CUPS is not running: the label waits."), detail=reason)
        raise RemoteRefused(_("CUPS refused the label for queue “{queue}”: {reason}").format(
            queue=self.queue, reason=reason), detail=reason)


def printer_for(settings: PrinterSettings, timeout: float = 5.0) -> LabelPrinter | None:
    """The printer the settings name, None when none is set; InputError when they are incomplete."""
    if settings.kind == NETWORK:
        if not settings.address.strip():
            raise InputError(_("Enter the label printer's address (host or host:port)."))
        return NetworkPrinter(*parse_address(settings.address), timeout=timeout)
    if settings.kind == CUPS:
        if not settings.queue.strip():
            raise InputError(_("Enter the CUPS queue of the label printer."))
        return CupsPrinter(settings.queue.strip())
    return None
