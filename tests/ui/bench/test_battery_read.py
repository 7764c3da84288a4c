"""The battery step reads the unit on the cable: R, or by itself when a unit is plugged in while the step is shown;
the real adbutils client talks to the adb-server simulator on 127.0.0.1, the Odoo simulator receives the commit."""

from __future__ import annotations

import time

import pytest

from PySide6.QtCore import Qt, QTimer

from grading_station.hardware.battery_adb import AdbBatteryProbe
from grading_station.hardware.battery_ios import IosBatteryProbe
from grading_station.hardware.battery_reader import BatteryReader

from tests.helpers.battery_devices import DATA, galaxy_tab_shell, text
from tests.helpers.bench_rig import lot_property
from tests.helpers.sync import drain

TAB = "R52T30ABCDE"  # demo Galaxy Tab S8 128GB Graphite (tablet, graded Fair, in stock)




@pytest.fixture
def reader(adb_server) -> BatteryReader:
    adb = AdbBatteryProbe("127.0.0.1", adb_server.port, timeout_s=5)
    return BatteryReader({"tablet": (adb, IosBatteryProbe(None)), "phone": (adb, IosBatteryProbe(None))})


@pytest.fixture
def on_battery_step(make_bench, reader):
    """A bench grading the tablet, on its battery step; the poll every 100 ms (not 2 s) to keep tests short."""

    def make(poll_ms: int = 100):
        bench = make_bench(battery_reader=reader)
        editor = bench.view.checklist.editors["battery"]
        editor.attach_reader(reader, bench.pools[2], poll_ms=poll_ms)
        bench.scan(TAB)
        bench.start_grading()
        while bench.view.checklist.current_step().kind != "battery":
            bench.press(Qt.Key.Key_Down)
        return bench, editor

    return make


def test_r_reads_the_unit_and_the_commit_carries_the_reading_and_its_source(make_bench, reader, adb_server,
                                                                           tmp_path, qtbot):
    adb_server.add(TAB, shell=galaxy_tab_shell(), model="SM_X700")
    bench = make_bench(battery_reader=reader)
    view = bench.view
    bench.scan(TAB)
    bench.start_grading()
    assert view.card.model.text() == "Samsung Galaxy Tab S8 128GB Graphite"

    bench.answer_checklist(tmp_path, battery_from_device=True)
    qtbot.waitUntil(lambda: view.pages.currentWidget() is view.grade, timeout=5000)
    assert (view.checklist.session.battery_health, view.checklist.session.battery_cycles) == (96, 119)
    bench.press(Qt.Key.Key_Return)  # commit the suggested grade
    qtbot.waitUntil(lambda: view.pages.currentWidget() is view.idle, timeout=5000)
    assert bench.deliver() == 1
    [lot] = [lot for lot in bench.lots(TAB) if lot["product_qty"] > 0]
    assert lot_property(lot, "battery_health") == 96 and lot_property(lot, "battery_cycles") == 119
    assert lot_property(lot, "battery_source") == "device (adb)"
    assert f"host:tport:serial:{TAB}" in adb_server.requests  # the real client spoke the adb protocol


def test_a_unit_plugged_in_while_the_step_is_shown_is_read_by_itself(on_battery_step, adb_server, qtbot):
    bench, editor = on_battery_step()
    qtbot.waitUntil(lambda: "host:devices-l" in adb_server.requests, timeout=3000)  # polled: nothing there yet
    assert editor.health.text() == "" and editor.read_button.isVisible()
    assert "R read from the device" in bench.view.checklist.keys_hint.text()
    adb_server.add(TAB, shell=galaxy_tab_shell())
    qtbot.waitUntil(lambda: editor.health.text() == "96", timeout=5000)
    assert editor.cycles.text() == "119" and "Read from SM-X700" in editor.error.text()
    assert bench.focused() is editor.health  # the technician confirms with Enter
    bench.press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bench.view.checklist.current_step().kind != "battery", timeout=5000)
    assert bench.store.drafts.load("Bench 1").payload["session"]["battery"] == {
        "health": 96, "cycles": 119, "source": "device (adb)"}


def test_values_typed_over_the_reading_are_manual(on_battery_step, adb_server, qtbot):
    adb_server.add(TAB, shell=galaxy_tab_shell())
    bench, editor = on_battery_step()
    qtbot.waitUntil(lambda: editor.health.text() == "96", timeout=5000)  # on the cable as the step opened
    editor.health.selectAll()
    bench.type_text("94")
    bench.press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bench.view.checklist.current_step().kind != "battery", timeout=5000)
    assert bench.store.drafts.load("Bench 1").payload["session"]["battery"]["source"] == "manual"


def test_the_poll_runs_only_while_the_battery_step_is_shown(on_battery_step, adb_server, qtbot):
    bench, editor = on_battery_step()
    qtbot.waitUntil(lambda: adb_server.requests.count("host:devices-l") >= 2, timeout=3000)
    bench.press(Qt.Key.Key_Down)  # the next step
    drain(qtbot, bench.pools[2])  # a poll in flight has landed (polls run on the one device worker)
    seen = adb_server.requests.count("host:devices-l")
    # A timer of three poll intervals, started after the poll timer: were that still running, it would tick
    # (and queue a poll on the device worker) before this one fires; drained again, any such poll has landed.
    window = QTimer(singleShot=True, interval=300)
    with qtbot.wait_signal(window.timeout, timeout=5000):
        window.start()
    drain(qtbot, bench.pools[2])
    assert adb_server.requests.count("host:devices-l") == seen
    bench.press(Qt.Key.Key_Up)  # back on the battery step: polled again
    qtbot.waitUntil(lambda: adb_server.requests.count("host:devices-l") > seen, timeout=3000)


@pytest.mark.parametrize(
    ("devices", "message"),
    [
        ([], "No device connected"),
        ([(TAB, "device"), ("28291FDH200ABC", "device")], "2 devices connected: connect only the unit being graded"),
        ([(TAB, "unauthorized")], "Allow USB debugging on the phone"),
        ([("R52T30ZZZZZ", "device")], "not the scanned unit R52T30ABCDE"),
    ],
    ids=["no device", "two devices", "unauthorised", "another unit"],
)
def test_what_went_wrong_is_said_plainly_and_nothing_is_filled(on_battery_step, adb_server, qtbot, devices,
                                                               message):
    for serial, state in devices:
        adb_server.add(serial, state=state, shell=galaxy_tab_shell(getprop=f"[ro.serialno]: [{serial}]\n"))
    bench, editor = on_battery_step(poll_ms=60000)  # R only (the first poll may read by itself: same words)
    bench.press("R")
    qtbot.waitUntil(lambda: message in editor.error.text(), timeout=5000)
    assert editor.health.text() == "" and editor.cycles.text() == ""
    assert bench.view.checklist.current_step().kind == "battery"


def test_a_device_without_a_health_figure_says_so(on_battery_step, adb_server, qtbot):
    adb_server.add(TAB, shell=galaxy_tab_shell(**{"dumpsys battery": text("android/aosp14-pixel.dumpsys.txt")}))
    bench, editor = on_battery_step()
    expected = "This device does not report battery health: enter it from the diagnostics app."
    qtbot.waitUntil(lambda: editor.error.text() == expected, timeout=5000)
    assert editor.health.text() == "" and bench.focused() is editor.health


def test_an_absurd_reading_is_refused_on_screen(on_battery_step, adb_server, qtbot):
    adb_server.add(TAB, shell=galaxy_tab_shell(**{"dumpsys battery": text("android/samsung-absurd.dumpsys.txt")}))
    bench, editor = on_battery_step()
    qtbot.waitUntil(lambda: "140 %" in editor.error.text(), timeout=5000)
    assert editor.health.text() == ""


def test_a_device_that_cannot_prove_its_identity_is_filled_with_a_warning(on_battery_step, adb_server, qtbot):
    adb_server.add("emulator-5554", shell=galaxy_tab_shell(getprop="[ro.product.model]: [SM-X700]\n"))
    bench, editor = on_battery_step()
    qtbot.waitUntil(lambda: editor.health.text() == "96", timeout=5000)
    assert "cannot prove it is R52T30ABCDE" in editor.error.text()


def test_the_gui_thread_keeps_running_while_a_slow_device_answers(on_battery_step, adb_server, qtbot):
    def slow_getprop() -> str:
        time.sleep(0.8)
        return text("android/galaxy-tab-s8.getprop.txt")

    bench, editor = on_battery_step(poll_ms=60000)
    qtbot.waitUntil(lambda: "host:devices-l" in adb_server.requests, timeout=3000)
    drain(qtbot, bench.pools[2])  # the first poll (no device) has answered
    adb_server.add(TAB, shell=galaxy_tab_shell(getprop=slow_getprop))
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(20)
    bench.press("R")
    assert "Reading the battery" in editor.error.text()
    qtbot.waitUntil(lambda: editor.health.text() == "96", timeout=5000)
    timer.stop()
    assert len(ticks) >= 10  # the event loop ran during the ~0.8 s read


class PasswordRequiredError(Exception):
    """Named like pymobiledevice3's error for a locked iPhone (the package is optional: not imported here)."""


class LockedIphone:
    """An IosLink with one iPhone attached that refuses to pair while locked."""

    def udids(self) -> list[str]:
        return ["00008110-001A2B3C4D5E801E"]

    def read(self, udid):
        raise PasswordRequiredError("device is locked")


def test_a_locked_iphone_is_asked_to_be_unlocked(make_bench, adb_server, qtbot):
    adb = AdbBatteryProbe("127.0.0.1", adb_server.port, timeout_s=5)
    bench = make_bench(battery_reader=BatteryReader({"phone": (adb, IosBatteryProbe(LockedIphone()))}))
    editor = bench.view.checklist.editors["battery"]
    bench.scan("353918111045122")  # demo iPhone 13
    bench.start_grading()
    while bench.view.checklist.current_step().kind != "battery":
        bench.press(Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: "The iPhone is locked: unlock it" in editor.error.text(), timeout=5000)  # read by itself
    assert editor.health.text() == ""


def test_a_laptop_reads_its_own_battery_on_r_only(make_bench, qtbot):
    from grading_station.hardware.battery_sysfs import LinuxBatteryProbe

    case = DATA / "linux" / "thinkpad-t14"
    reader = BatteryReader({"laptop": (LinuxBatteryProbe(case / "power_supply", case / "dmi"),)})
    polls = []
    attached = reader.attached
    reader.attached = lambda category: polls.append(category) or attached(category)  # counted
    bench = make_bench(battery_reader=reader)
    editor = bench.view.checklist.editors["battery"]
    editor.attach_reader(reader, bench.pools[2], poll_ms=50)
    bench.scan("PF3ABC12")  # demo ThinkPad T14 Gen 2
    bench.start_grading()
    while bench.view.checklist.current_step().kind != "battery":
        bench.press(Qt.Key.Key_Down)
    # A poll starts only once the one before has answered, and not while a read is in flight: at the third,
    # a read the first two would have started has filled the fields.
    qtbot.waitUntil(lambda: len(polls) >= 3, timeout=5000)
    assert editor.health.text() == ""  # polled, but this computer's battery is never read by itself
    bench.press("R")
    qtbot.waitUntil(lambda: editor.health.text() == "85", timeout=5000)
    assert editor.cycles.text() == "287" and "cannot prove it is PF3ABC12" in editor.error.text()
    assert editor.source() == "device (linux)"
