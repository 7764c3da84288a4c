"""The app-wide keyboard-wedge filter: scanner bursts reach the router from any widget, typing is not lost."""

from __future__ import annotations

import pytest

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from grading_station.hardware.scanbuffer import ScanBuffer

from grading_station.ui.scan_filter import ScanFilter
from grading_station.ui.scan_router import ScanRouter


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_000

    def __call__(self) -> int:
        return self.now


@pytest.fixture
def wedge(qtbot):
    router = ScanRouter()
    clock = FakeClock()
    scan_filter = ScanFilter(router, ScanBuffer(max_interval_ms=30, min_length=6), clock_ms=clock)
    QApplication.instance().installEventFilter(scan_filter)
    field = QLineEdit()
    qtbot.add_widget(field)
    field.show()
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    scans: list[tuple[str, str]] = []
    router.scan_did_arrive.connect(lambda raw, source: scans.append((raw, source)))
    yield router, clock, field, scans
    QApplication.instance().removeEventFilter(scan_filter)


def test_burst_ended_by_enter_is_a_scan_and_never_reaches_the_widget(qtbot, wedge):
    _, _, field, scans = wedge
    entered = []
    field.returnPressed.connect(lambda: entered.append(field.text()))
    qtbot.keyClicks(field, "356938035643809")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert scans == [("356938035643809", "scanner")]
    assert field.text() == ""
    assert entered == []


def test_burst_ended_by_tab_is_a_scan(qtbot, wedge):
    _, _, field, scans = wedge
    qtbot.keyClicks(field, "F2LXK0ABCD12")
    qtbot.keyClick(field, Qt.Key.Key_Tab)
    assert scans == [("F2LXK0ABCD12", "scanner")]


def test_slow_typing_is_delivered_in_order(qtbot, wedge):
    _, clock, field, scans = wedge
    for char in "ab1":
        qtbot.keyClicks(field, char)
        clock.now += 200  # a person: far slower than a scanner
    qtbot.waitUntil(lambda: field.text() == "ab1", timeout=1000)
    assert scans == []


def test_short_fast_entry_then_enter_is_typing(qtbot, wedge):
    _, _, field, scans = wedge
    entered = []
    field.returnPressed.connect(lambda: entered.append(field.text()))
    qtbot.keyClicks(field, "92")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert field.text() == "92"
    assert entered == ["92"]
    assert scans == []


def test_a_lone_key_is_released_by_the_timer(qtbot, wedge):
    _, clock, field, _ = wedge
    qtbot.keyClicks(field, "P")
    assert field.text() == ""  # held: it may be the start of a scan
    clock.now += 100
    qtbot.waitUntil(lambda: field.text() == "P", timeout=1000)


def test_shortcuts_with_control_pass_straight_through(qtbot, wedge):
    _, _, field, scans = wedge
    field.setText("abc")
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert field.selectedText() == "abc"
    assert scans == []


def test_a_command_key_right_after_typing_sees_what_was_typed(qtbot, wedge):
    """Ctrl+S pressed within the hold window: the held keys reach the field before the shortcut runs (it used
    to save the old value and say "Settings saved")."""
    from PySide6.QtGui import QKeySequence, QShortcut

    _, clock, field, scans = wedge
    seen: list[str] = []
    QShortcut(QKeySequence("Ctrl+S"), field, lambda: seen.append(field.text()),
              context=Qt.ShortcutContext.WidgetShortcut)
    for char in "Bench 9":
        clock.now += 120  # a person typing
        qtbot.keyClick(field, char)
    assert field.text() == "Bench "  # the last key is still held: it may start a scan
    qtbot.keyClick(field, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert seen == ["Bench 9"] and field.text() == "Bench 9" and scans == []


def test_a_reason_typed_at_scanner_speed_stays_in_its_field(qtbot, wedge):
    _, _, field, scans = wedge
    entered = []
    field.returnPressed.connect(lambda: entered.append(field.text()))
    qtbot.keyClicks(field, "battery replaced")  # qtbot types far faster than a scanner
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert scans == [] and field.text() == "battery replaced" and entered == ["battery replaced"]


def test_the_scan_field_takes_any_fast_burst_as_a_scan(qtbot, wedge):
    _, _, field, scans = wedge
    field.setObjectName("scanField")
    qtbot.keyClicks(field, "battery replaced")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert scans == [("battery replaced", "scanner")] and field.text() == ""


def test_a_burst_matching_only_a_configured_serial_pattern_is_a_scan_in_a_text_field(qtbot):
    """The station's own serial patterns (Settings → Scanner) decide whether a fast burst in a free-text field is
    a scan: a laptop serial only a configured pattern accepts is taken, a word stays typing."""
    from grading_station.domain.identifiers import compile_serial_patterns

    from grading_station.ui.scan_filter import looks_like_scan

    patterns = compile_serial_patterns([r"^ZX\d{3}$"])
    assert not looks_like_scan("ZX123") and looks_like_scan("ZX123", patterns)
    assert not looks_like_scan("hello", patterns)
