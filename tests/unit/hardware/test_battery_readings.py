"""Battery figures parsed from recorded outputs (tests/data/battery/README.md says where each comes from)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from grading_station.hardware.battery_android import android_gauge, imeis, parse_dumpsys, parse_getprop, serials
from grading_station.hardware.battery_ios import gauge_from_ioregistry, ids_from_lockdown
from grading_station.hardware.battery_probe import (
    DeviceIds,
    Gauge,
    Identity,
    ProbeError,
    Problem,
    check_identity,
    health_from_capacity,
)
from grading_station.hardware.battery_sysfs import LinuxBatteryProbe, gauge_from_power_supply, parse_uevent

DATA = Path(__file__).resolve().parents[2] / "data" / "battery"


def text(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def linux(case: str) -> LinuxBatteryProbe:
    return LinuxBatteryProbe(DATA / "linux" / case / "power_supply", DATA / "linux" / case / "dmi")


# -- Android ---------------------------------------------------------------------------------------------
def test_aosp_dumpsys_has_no_health_figure_and_its_health_code_is_not_taken_for_one():
    for name in ("android/aosp14-pixel.dumpsys.txt", "android/aosp9.dumpsys.txt"):
        assert parse_dumpsys(text(name))["health"] == "2"  # BATTERY_HEALTH_GOOD, a status code
        assert android_gauge(text(name), text("android/uevent-denied.txt")) == Gauge(None, None, "")


def test_aosp14_adds_its_charging_lines():
    values = parse_dumpsys(text("android/aosp14-pixel.dumpsys.txt"))
    assert values["Dock powered"] == "false" and values["Charging policy"] == "1"
    assert "Dock powered" not in parse_dumpsys(text("android/aosp9.dumpsys.txt"))


def test_the_kernel_node_gives_health_and_cycles_when_dumpsys_does_not():
    gauge = android_gauge(text("android/aosp14-pixel.dumpsys.txt"), text("android/pixel7.uevent.txt"))
    assert (gauge.health, gauge.cycles) == (90, 412)  # 3,920 / 4,355 mAh = 90.0 %
    assert gauge.basis == "3,920 of 4,355 mAh design"


def test_samsung_saved_figures_posted_online():
    gauge = android_gauge(text("android/samsung-2018.dumpsys.txt"), text("android/uevent-denied.txt"))
    assert (gauge.health, gauge.cycles) == (77, 1765)  # mSavedBatteryUsage 176488 = 1764.88 cycles


def test_samsung_bracketed_figures():
    gauge = android_gauge(text("android/samsung-oneui-bracketed.dumpsys.txt"), "")
    assert (gauge.health, gauge.cycles) == (96, 119)


def test_an_absurd_samsung_health_is_refused():
    with pytest.raises(ProbeError, match="140 %") as refused:
        android_gauge(text("android/samsung-absurd.dumpsys.txt"), "")
    assert refused.value.problem == Problem.IMPLAUSIBLE


def test_getprop_serials_and_placeholders():
    props = parse_getprop(text("android/galaxy-tab-s8.getprop.txt"))
    assert props["ro.product.model"] == "SM-X700"
    assert serials(props, "R52T30ABCDE") == ("R52T30ABCDE",)
    assert serials({"ro.serialno": "0123456789ABCDEF"}, "192.168.1.20:5555") == ()  # says nothing
    assert serials({}, "emulator-5554") == ()


def test_imei_from_the_parcel_and_none_where_android_refuses_it():
    assert imeis(text("android/iphonesubinfo-imei.txt")) == ("358508112045059",)
    assert imeis(text("android/iphonesubinfo-denied.txt")) == ()
    assert imeis("/system/bin/sh: service: inaccessible or not found") == ()


# -- Linux laptops ---------------------------------------------------------------------------------------
def test_energy_battery_and_the_mouse_is_not_the_laptop():
    probe = linux("thinkpad-t14")
    assert probe.attached(wake=True) == 1 and len(probe.batteries()) == 1
    assert probe.attached() == 0  # never read by itself: the bench may be a laptop too
    reading = probe.read("PF3ABC12")
    assert (reading.gauge.health, reading.gauge.cycles) == (85, 287)  # 43.12 / 50.5 Wh
    assert reading.device == "LENOVO 20W0005QGE" and reading.source == "device (linux)"
    assert reading.identity == Identity.UNPROVEN  # product_serial is root-only


def test_charge_battery_zero_cycles_means_unknown_and_the_serial_is_checked():
    probe = linux("latitude-charge")
    reading = probe.read("7QX2LH2")
    assert (reading.gauge.health, reading.gauge.cycles) == (84, None)  # 2,954 / 3,500 mAh; cycle_count 0
    assert reading.identity == Identity.MATCH
    with pytest.raises(ProbeError, match="7QX2LH2, not the scanned unit PF3ABC12") as refused:
        probe.read("PF3ABC12")
    assert refused.value.problem == Problem.OTHER_UNIT


def test_two_packs_add_up():
    gauge = gauge_from_power_supply(linux("thinkpad-t480-dual").batteries())
    assert (gauge.health, gauge.cycles) == (83, 340)  # (21.6 + 57.6) / (24 + 72) Wh = 82.5 %; the more worn pack


def test_a_computer_without_battery_says_so():
    probe = linux("desktop")
    assert probe.attached(wake=True) == 0
    with pytest.raises(ProbeError, match="No device connected") as refused:
        probe.read("PF3ABC12")
    assert refused.value.problem == Problem.NO_DEVICE


def test_zero_design_capacity_in_sysfs_is_refused(tmp_path):
    node = tmp_path / "power_supply" / "BAT0"
    node.mkdir(parents=True)
    for name, value in {"type": "Battery", "energy_full": "40000000", "energy_full_design": "0"}.items():
        (node / name).write_text(value + "\n")
    with pytest.raises(ProbeError, match="design capacity of 0") as refused:
        LinuxBatteryProbe(tmp_path / "power_supply", tmp_path / "dmi").read("PF3ABC12")
    assert refused.value.problem == Problem.IMPLAUSIBLE


def test_uevent_names_are_the_attribute_names():
    assert parse_uevent("POWER_SUPPLY_CHARGE_FULL=1\nnoise\nPOWER_SUPPLY_CYCLE_COUNT= 3 \n") == {
        "charge_full": "1", "cycle_count": "3"}


# -- iOS -------------------------------------------------------------------------------------------------
def test_ios9_dictionary_posted_online():
    gauge = gauge_from_ioregistry(json.loads(text("ios/iokit-ios9-eeiokitlistener.json")))
    assert (gauge.health, gauge.cycles) == (90, 524)  # AppleRawMaxCapacity 1,275 / DesignCapacity 1,420


def test_recent_ios_uses_the_nominal_charge_capacity():
    gauge = gauge_from_ioregistry(json.loads(text("ios/iphone13-ios17.json")))
    assert (gauge.health, gauge.cycles) == (88, 412)  # 2,840 / 3,227 mAh (AppleRawMaxCapacity would say 86)


def test_ios_zero_design_capacity_is_refused_and_a_missing_one_is_no_figure():
    with pytest.raises(ProbeError, match="design capacity of 0"):
        gauge_from_ioregistry(json.loads(text("ios/replacement-cell-design-zero.json")))
    assert gauge_from_ioregistry({"CycleCount": 0}) == Gauge(None, 0)  # 0 cycles on iOS: a new battery


def test_lockdown_identifiers():
    ids = ids_from_lockdown(json.loads(text("ios/iphone13.lockdown.json")))
    assert ids == DeviceIds(("F17GQ4ABCD12",), ("353918111045122",))


# -- shared rules ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("full", "design", "health"),
    [(4200, 4000, 100), (4000, 4000, 100), (3000, 4000, 75)],  # a new cell a little above design counts as 100 %
)
def test_health_from_capacity(full, design, health):
    assert health_from_capacity(full, design, "mAh").health == health


def test_a_reading_above_design_is_refused():
    with pytest.raises(ProbeError, match="140 % of its design capacity") as refused:
        health_from_capacity(4200, 3000, "mAh")
    assert refused.value.problem == Problem.IMPLAUSIBLE
    with pytest.raises(ProbeError, match="full-charge capacity of 0"):
        health_from_capacity(0, 3000, "mAh")


def test_identity_rules():
    ids = DeviceIds(("R52T30ABCDE",), ())
    assert check_identity("r52t30abcde", ids, "SM-X700") == Identity.MATCH
    assert check_identity("358508112045059", ids, "SM-X700") == Identity.UNPROVEN  # an IMEI, and none reported
    with pytest.raises(ProbeError, match="SM-X700 is R52T30ABCDE, not the scanned unit R52T30XXXXX"):
        check_identity("R52T30XXXXX", ids, "SM-X700")
    with pytest.raises(ProbeError) as refused:
        check_identity("358508112045059", DeviceIds((), ("353918111045122",)), "iPhone14,5")
    assert refused.value.problem == Problem.OTHER_UNIT
