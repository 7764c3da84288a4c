import pytest

from grading_station.domain.identifiers import (
    DEFAULT_SERIAL_PATTERNS,
    MAX_SCAN_LENGTH,
    ScannedId,
    classify,
    compile_serial_patterns,
    is_valid_imei,
    luhn_check_digit,
    normalise_scan,
    parse_scan,
)

from grading_station.errors import InputError


@pytest.mark.parametrize(
    ("payload", "digit"),
    [("49015420323751", 8), ("35209900176148", 1), ("00000000000000", 0), ("35693803564380", 9)],
)
def test_luhn_check_digit(payload, digit):
    assert luhn_check_digit(payload) == digit
    assert is_valid_imei(payload + str(digit))


def test_luhn_refuses_non_digits():
    with pytest.raises(ValueError):
        luhn_check_digit("12a4")


@pytest.mark.parametrize(
    ("raw", "prefix", "suffix", "expected"),
    [
        ("352099001761481\r\n", "", "", "352099001761481"),
        ("  c02xg0fdh7jy\t", "", "", "C02XG0FDH7JY"),
        ("\x02R58M12ABCDE\x03", "", "", "R58M12ABCDE"),
        ("]C0PF1ABCDE", "", "", "PF1ABCDE"),  # AIM symbology identifier
        ("§PF1ABCDE#", "§", "#", "PF1ABCDE"),  # configured prefix and suffix
        ("IMEI: 35 209900 176148 1", "", "", "352099001761481"),
        ("IMEI1: 35-209900-176148-1", "", "", "352099001761481"),
        ("S/N: F2LX1234ABCD", "", "", "F2LX1234ABCD"),
        ("Serial No.: 5cg1234xyz", "", "", "5CG1234XYZ"),
        ("IMEI352099001761481", "", "", "352099001761481"),
        ("IMEI/MEID: 352099001761481", "", "", "352099001761481"),
        ("*C02XG0FDH7JY*", "", "", "C02XG0FDH7JY"),  # Code 39 start/stop characters
        ("'R58M12ABCDE',", "", "", "R58M12ABCDE"),
        ("", "", "", ""),
    ],
)
def test_normalise_scan(raw, prefix, suffix, expected):
    assert normalise_scan(raw, prefix, suffix) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("3520990\x1b01761481", r"control character \(0x1B\)"),
        ("A" * 500, r"500 characters long.*at most 64"),
        ("C02XG0FDH7JY" * 6, r"72 characters long"),
        ("C02XG0FDH7JÿY", r"contains 'ÿ'.*keyboard layout"),
        ("é&\"'(-è_çà", r"contains 'é'.*keyboard layout"),  # digits typed on an AZERTY layout
    ],
)
def test_junk_scans_are_refused_with_a_reason(raw, message):
    with pytest.raises(InputError, match=message):
        parse_scan(raw)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("352099001761481", ScannedId("imei", "352099001761481", "imei")),
        ("490154203237518", ScannedId("imei", "490154203237518", "imei")),
        ("35209900176148", ScannedId("imei", "352099001761481", "imei", completed=True)),
        ("R58M12ABCDE", ScannedId("serial", "R58M12ABCDE", "samsung")),
        ("C02XG0FDH7JY", ScannedId("serial", "C02XG0FDH7JY", "apple")),
        ("HXQ7WK9V2M", ScannedId("serial", "HXQ7WK9V2M", "apple")),
        ("PF1ABCDE", ScannedId("serial", "PF1ABCDE", "lenovo")),
        ("7XK2M13", ScannedId("serial", "7XK2M13", "dell")),
        ("5cg1234xyz", ScannedId("serial", "5CG1234XYZ", "apple")),  # HP: same shape as a new Apple serial
        ("SN-000123", ScannedId("serial", "SN-000123", "other")),
    ],
)
def test_classify(value, expected):
    assert classify(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "352099001761482",
            r"^IMEI 352099001761482 has a wrong check digit \(expected 1\): rescan or type it again\.$",
        ),
        ("490154203237517", r"wrong check digit \(expected 8\)"),
        ("3520990017614810", r"IMEISV"),
        ("0190199123456", r"product barcode \(EAN/UPC\)"),
        ("190199123456", r"product barcode"),
        ("12345", r"has 5 digits: an IMEI has 15"),
        ("HELLOWORLD", r"does not look like a serial number"),
        ("AB1", r"too short for a serial number"),
        ("C02-XG0 FD!", r"does not look like a serial number"),
        ("", r"Nothing was scanned"),
        ("000000000000000", r"not a real IMEI \(no manufacturer code\)"),
        ("00000000000000", r"not a real IMEI"),
    ],
)
def test_classify_refuses(value, message):
    with pytest.raises(InputError, match=message):
        classify(value)


def test_configured_serial_patterns_replace_the_defaults():
    patterns = compile_serial_patterns([r"GS\d{6}", "  "])
    assert classify("GS123456", patterns) == ScannedId("serial", "GS123456", "custom-1")
    with pytest.raises(InputError):
        classify("C02XG0FDH7JY", patterns)
    assert classify("352099001761481", patterns).kind == "imei"  # IMEIs never depend on the patterns


def test_a_broken_configured_pattern_is_reported():
    with pytest.raises(InputError, match=r"Serial pattern 1 \(\[A-\) is not a valid regular expression"):
        compile_serial_patterns(["[A-"])


def test_every_default_pattern_is_bounded_by_the_scan_length():
    for pattern in DEFAULT_SERIAL_PATTERNS:
        assert not pattern.matches("A1" * (MAX_SCAN_LENGTH // 2 + 1))


def test_luhn_catches_every_single_digit_error_and_most_swaps():
    import random

    rng = random.Random(20261127)
    swaps_caught = swaps = 0
    for _ in range(300):
        payload = "35" + "".join(rng.choice("0123456789") for _ in range(12))
        imei = payload + str(luhn_check_digit(payload))
        assert classify(imei).value == imei
        position = rng.randrange(15)
        wrong = str((int(imei[position]) + rng.randrange(1, 10)) % 10)
        typo = imei[:position] + wrong + imei[position + 1 :]
        with pytest.raises(InputError, match="wrong check digit"):
            classify(typo)
        i = rng.randrange(14)
        swapped = imei[:i] + imei[i + 1] + imei[i] + imei[i + 2 :]
        if swapped != imei:
            swaps += 1
            swaps_caught += not is_valid_imei(swapped)
    assert swaps_caught / swaps > 0.9  # Luhn misses only 0<->9 swaps
