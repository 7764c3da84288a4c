"""Recorded device outputs (tests/data/battery) as the adb-server simulator serves them."""

from __future__ import annotations

from pathlib import Path

from grading_station.hardware.battery_adb import IMEI_CALL, UEVENT

DATA = Path(__file__).resolve().parents[1] / "data" / "battery"


def text(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def galaxy_tab_shell(**overrides) -> dict:
    """The shell answers of the demo Galaxy Tab S8 (One UI: health in dumpsys, IMEI and uevent denied)."""
    shell = {
        "getprop": text("android/galaxy-tab-s8.getprop.txt"),
        IMEI_CALL: text("android/iphonesubinfo-denied.txt"),
        "dumpsys battery": text("android/samsung-oneui-bracketed.dumpsys.txt"),
        UEVENT: text("android/uevent-denied.txt"),
    }
    return {**shell, **overrides}
