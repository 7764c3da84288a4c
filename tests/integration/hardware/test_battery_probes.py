"""The probes end to end: the real adbutils client against the adb-server simulator on 127.0.0.1, the iOS probe
over a fake link (pymobiledevice3 is optional), and the reader's one-unit rule across them."""

from __future__ import annotations

import json
import socket

import pytest

from grading_station.hardware.battery_adb import IMEI_CALL, UEVENT, AdbBatteryProbe
from grading_station.hardware.battery_ios import IosBatteryProbe
from grading_station.hardware.battery_probe import Identity, ProbeError, Problem
from grading_station.hardware.battery_reader import BatteryReader

from tests.helpers.battery_devices import galaxy_tab_shell, text

TAB = "R52T30ABCDE"  # demo Galaxy Tab S8 (its serial is its scanned identifier)
PIXEL_IMEI = "358508112045059"  # demo Pixel 7
IPHONE_IMEI = "353918111045122"  # demo iPhone 13




def pixel(**overrides) -> dict:
    shell = {
        "getprop": text("android/pixel7.getprop.txt"),
        IMEI_CALL: text("android/iphonesubinfo-imei.txt"),
        "dumpsys battery": text("android/aosp14-pixel.dumpsys.txt"),
        UEVENT: text("android/pixel7.uevent.txt"),
    }
    return {**shell, **overrides}


@pytest.fixture
def adb(adb_server) -> AdbBatteryProbe:
    return AdbBatteryProbe("127.0.0.1", adb_server.port, timeout_s=5)


def refused(call, problem: Problem) -> ProbeError:
    with pytest.raises(ProbeError) as caught:
        call()
    assert caught.value.problem == problem, caught.value.user_message
    return caught.value


# -- adb -------------------------------------------------------------------------------------------------
def test_a_samsung_tablet_with_the_scanned_serial_is_read_over_the_adb_protocol(adb, adb_server):
    adb_server.add(TAB, shell=galaxy_tab_shell(), model="SM_X700")
    assert adb.attached() == 1
    reading = adb.read(TAB)
    assert (reading.gauge.health, reading.gauge.cycles) == (96, 119)
    assert reading.identity == Identity.MATCH and reading.device == "SM-X700"
    assert reading.source == "device (adb)"
    assert "host:devices-l" in adb_server.requests and f"host:tport:serial:{TAB}" in adb_server.requests
    assert "shell:dumpsys battery" in adb_server.requests


def test_a_pixel_proves_itself_by_its_imei_and_reads_from_the_kernel_node(adb, adb_server):
    adb_server.add("28291FDH200ABC", shell=pixel())
    reading = adb.read(PIXEL_IMEI)
    assert (reading.gauge.health, reading.gauge.cycles, reading.identity) == (90, 412, Identity.MATCH)


def test_a_phone_that_hides_its_imei_cannot_prove_which_unit_it_is(adb, adb_server):
    adb_server.add("28291FDH200ABC", shell=pixel(**{IMEI_CALL: text("android/iphonesubinfo-denied.txt")}))
    assert adb.read(PIXEL_IMEI).identity == Identity.UNPROVEN  # the serial cannot be compared with an IMEI


def test_another_unit_is_refused_before_its_battery_is_read(adb, adb_server):
    adb_server.add("R52T30ZZZZZ", shell=galaxy_tab_shell(getprop="[ro.serialno]: [R52T30ZZZZZ]\n"))
    error = refused(lambda: adb.read(TAB), Problem.OTHER_UNIT)
    assert "R52T30ZZZZZ" in error.user_message and TAB in error.user_message
    assert "shell:dumpsys battery" not in adb_server.requests


def test_no_device(adb):
    assert adb.attached() == 0
    assert "No device connected" in refused(lambda: adb.read(TAB), Problem.NO_DEVICE).user_message


def test_two_devices(adb, adb_server):
    adb_server.add(TAB, shell=galaxy_tab_shell())
    adb_server.add("28291FDH200ABC", shell=pixel())
    error = refused(lambda: adb.read(TAB), Problem.SEVERAL_DEVICES)
    assert error.user_message == "2 devices connected: connect only the unit being graded."


def test_an_unauthorised_device(adb, adb_server):
    adb_server.add(TAB, state="unauthorized")
    assert adb.attached() == 1  # it is there: the technician must allow it, not plug something in
    assert "Allow USB debugging" in refused(lambda: adb.read(TAB), Problem.UNAUTHORISED).user_message


def test_an_absurd_reading_over_adb(adb, adb_server):
    adb_server.add(TAB, shell=galaxy_tab_shell(**{"dumpsys battery": text("android/samsung-absurd.dumpsys.txt")}))
    assert "140 %" in refused(lambda: adb.read(TAB), Problem.IMPLAUSIBLE).user_message


def test_a_device_unplugged_during_the_read(adb, adb_server):
    def unplug() -> str:
        adb_server.remove(TAB)
        return text("android/galaxy-tab-s8.getprop.txt")

    adb_server.add(TAB, shell=galaxy_tab_shell(getprop=unplug))
    refused(lambda: adb.read(TAB), Problem.UNAVAILABLE)


def test_without_an_adb_server_a_poll_sees_nothing_and_starts_nothing():
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]  # closed again when the block ends: nothing listens there
    probe = AdbBatteryProbe("127.0.0.1", port, start_server=False)
    assert probe.attached() == 0 and probe.attached(wake=True) == 0
    refused(lambda: probe.read(TAB), Problem.NO_DEVICE)


# -- iOS -------------------------------------------------------------------------------------------------
class PasswordRequiredError(Exception):
    """Named like pymobiledevice3.exceptions.PasswordRequiredError (a locked iPhone during pairing)."""


class PairingDialogResponsePendingError(Exception):
    """Named like pymobiledevice3's: "Trust this computer?" not answered yet."""


class FakeLink:
    def __init__(self, udids=("00008110-001A2B3C4D5E801E",), entry="ios/iphone13-ios17.json", error=None):
        self._udids, self.entry, self.error = list(udids), entry, error

    def udids(self) -> list[str]:
        return self._udids

    def read(self, udid):
        if self.error:
            raise self.error
        return json.loads(text("ios/iphone13.lockdown.json")), json.loads(text(self.entry))


def test_an_iphone_is_read_and_proves_itself_by_its_imei():
    reading = IosBatteryProbe(FakeLink()).read(IPHONE_IMEI)
    assert (reading.gauge.health, reading.gauge.cycles, reading.identity) == (88, 412, Identity.MATCH)
    assert reading.source == "device (ios)" and reading.device == "iPhone14,5"


def test_a_locked_iphone():
    error = refused(lambda: IosBatteryProbe(FakeLink(error=PasswordRequiredError())).read(IPHONE_IMEI), Problem.LOCKED)
    assert "unlock it" in error.user_message
    pending = IosBatteryProbe(FakeLink(error=PairingDialogResponsePendingError()))
    assert "Tap Trust" in refused(lambda: pending.read(IPHONE_IMEI), Problem.LOCKED).user_message


def test_an_iphone_with_a_zero_design_capacity():
    probe = IosBatteryProbe(FakeLink(entry="ios/replacement-cell-design-zero.json"))
    refused(lambda: probe.read(IPHONE_IMEI), Problem.IMPLAUSIBLE)


def test_an_unexpected_library_error_is_a_bug_not_a_message():
    with pytest.raises(KeyError):
        IosBatteryProbe(FakeLink(error=KeyError("x"))).read(IPHONE_IMEI)


def test_without_pymobiledevice3_iphones_are_not_seen_and_the_read_says_why():
    probe = IosBatteryProbe(None)
    assert probe.attached() == 0
    assert "pymobiledevice3" in refused(lambda: probe.read(IPHONE_IMEI), Problem.UNAVAILABLE).user_message


# -- the reader ------------------------------------------------------------------------------------------
def test_an_android_and_an_iphone_attached_are_two_devices(adb, adb_server):
    adb_server.add(TAB, shell=galaxy_tab_shell())
    reader = BatteryReader({"tablet": (adb, IosBatteryProbe(FakeLink()))})
    assert reader.attached("tablet") == 2
    refused(lambda: reader.read("tablet", TAB), Problem.SEVERAL_DEVICES)


def test_the_reader_reads_the_one_attached_unit_whichever_probe_sees_it(adb, adb_server):
    reader = BatteryReader({"phone": (adb, IosBatteryProbe(FakeLink()))})
    assert reader.read("phone", IPHONE_IMEI).source == "device (ios)"
    adb_server.add(TAB, shell=galaxy_tab_shell())
    reader = BatteryReader({"tablet": (adb, IosBatteryProbe(FakeLink(udids=())))})
    assert reader.read("tablet", TAB).source == "device (adb)"


def test_the_reader_with_nothing_attached_names_both_ways_and_the_missing_package(adb):
    reader = BatteryReader({"phone": (adb, IosBatteryProbe(None))})
    error = refused(lambda: reader.read("phone", TAB), Problem.NO_DEVICE)
    assert "USB debugging" in error.user_message and "pymobiledevice3" in error.user_message
    assert not reader.can_read("camera")
    refused(lambda: reader.read("camera", TAB), Problem.UNAVAILABLE)
