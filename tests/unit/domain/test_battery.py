import random

import pytest

from grading_station.domain.battery import (
    MAX_PLAUSIBLE_CYCLES,
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


# Issue 13 point 3: separators were dropped or read as decimals ("1,000" -> 1, "4.000" -> 4, "2.501" -> 2).
@pytest.mark.parametrize(
    ("text", "locale", "value"),
    [
        ("1,000", "en", 1000),
        ("1,203 cycles", "en_US", 1203),
        ("4.000", "de", 4000),
        ("2.501", "it", 2501),
        ("1 000", "fr", 1000),
        ("1\u202f000", "fr", 1000),
        ("1'203", "de_CH", 1203),
        ("312", "de", 312),
    ],
)
def test_parse_cycles_reads_the_locale_thousands_separator(text, locale, value):
    assert parse_cycles(text, locale) == value


@pytest.mark.parametrize(
    ("text", "locale", "message"),
    [
        ("4.000", "en", r"^'4\.000' could be 4000 or 4 cycles: type the cycle count in digits only"),
        ("1,000", "de", r"^'1,000' could be 1000 or 1 cycles"),
        ("1,000", "fr", r"could be 1000 or 1 cycles"),
        ("2,5", "en", r"not a whole number"),
        ("9" * 400, "en", r"too long for a battery reading"),
    ],
)
def test_parse_cycles_refuses_what_it_cannot_tell(text, locale, message):
    with pytest.raises(InputError, match=message):
        parse_cycles(text, locale)


@pytest.mark.parametrize(
    ("report", "locale", "outcome"),
    [
        ("Cycle Count: 2.501\nMaximum Capacity: 80%", "de", BatteryReading(80, 2501)),
        ("Cycle Count: 2,501\nMaximum Capacity: 80%", "en", BatteryReading(80, 2501)),
        ("Cycle Count: 2.501\nMaximum Capacity: 80%", "en", "could be 2501 or 2 cycles"),
    ],
)
def test_parse_report_keeps_the_whole_cycle_count(report, locale, outcome):
    if isinstance(outcome, BatteryReading):
        assert parse_report(report, locale) == outcome
    else:
        with pytest.raises(InputError, match=outcome):
            parse_report(report, locale)


def test_a_309_digit_health_is_refused_not_an_overflow():
    with pytest.raises(InputError, match="too long"):
        parse_health("9" * 309)
    with pytest.raises(InputError, match="too long"):
        parse_reading("90", "1" * 309)


def test_fuzzed_readings_raise_only_input_errors_and_stay_in_range():
    rng = random.Random(20261202)
    alphabet = "0123456789" * 3 + ".,' %-+e\u00a0\u202f\u0663cyles\t"
    locales = ["en", "en_US", "fr", "fr_CH", "de", "de_CH", "es", "it"]
    accepted = 0
    for _ in range(600):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 24)))
        locale = rng.choice(locales)
        for parse, highest in ((parse_health, 100), (lambda t, loc=locale: parse_cycles(t, loc), MAX_PLAUSIBLE_CYCLES)):
            try:
                value = parse(text)
            except InputError as error:
                assert error.reason is not None and error.user_message
                continue
            accepted += 1
            assert isinstance(value, int) and 0 <= value <= highest
        try:
            reading = parse_report(f"Cycle Count: {text}\nMaximum Capacity: {text}%", locale)
        except InputError:
            continue
        assert 0 <= reading.health <= 100 and (reading.cycles or 0) <= MAX_PLAUSIBLE_CYCLES
    assert accepted > 20  # the fuzz also reaches the accepting paths
