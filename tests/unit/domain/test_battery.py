import pytest

from grading_station.domain.battery import (
    BatteryReading,
    parse_cycles,
    parse_health,
    parse_reading,
    parse_report,
)

from grading_station.errors import InputError


@pytest.mark.parametrize(
    ("text", "value"),
    [("87", 87), ("87 %", 87), ("87%", 87), (" 100 ", 100), ("0", 0), ("86.5", 87), ("86,4 %", 86)],
)
def test_parse_health(text, value):
    assert parse_health(text) == value


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("140", r"^140 % is not possible: battery health is 0–100 %\.$"),
        ("140 %", r"^140 % is not possible"),
        ("-5", r"^-5 % is not possible"),
        ("abc", r"^'abc' is not a number"),
        ("8 7", r"^'8 7' is not a number"),
        ("", r"Enter the battery health"),
    ],
)
def test_parse_health_refuses(text, message):
    with pytest.raises(InputError, match=message):
        parse_health(text)


@pytest.mark.parametrize(("text", "value"), [("312", 312), ("312 cycles", 312), ("1 203", 1203), ("0", 0)])
def test_parse_cycles(text, value):
    assert parse_cycles(text) == value


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abc", r"'abc' is not a number"),
        ("-3", r"cannot be negative"),
        ("12.5", r"not a whole number"),
        ("90000", r"not plausible"),
    ],
)
def test_parse_cycles_refuses(text, message):
    with pytest.raises(InputError, match=message):
        parse_cycles(text)


def test_parse_reading():
    assert parse_reading("91 %", "") == BatteryReading(91, None)
    assert parse_reading("91", "140") == BatteryReading(91, 140)
    assert BatteryReading(91, 140).describe() == "91 %, 140 cycles"
    with pytest.raises(InputError, match="cycle count"):
        parse_reading("91", "", cycles_required=True)


@pytest.mark.parametrize(
    ("report", "reading"),
    [
        (
            "Health Information:\n  Cycle Count: 312\n  Condition: Normal\n  Maximum Capacity: 87%",
            BatteryReading(87, 312),
        ),
        ("Battery health 92 %\n", BatteryReading(92, None)),
        ("Design capacity: 79.6%  Cycle count = 1'203", BatteryReading(80, 1203)),
    ],
)
def test_parse_report(report, reading):
    assert parse_report(report) == reading


def test_parse_report_without_health():
    with pytest.raises(InputError, match="No battery health"):
        parse_report("Cycle Count: 12")
