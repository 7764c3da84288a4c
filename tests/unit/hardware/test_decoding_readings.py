"""GS1 element strings, what the codes of a frame say (IMEI, serial, GTIN), the pick by preference, and the
two-frame confirmation with debounce."""

from __future__ import annotations

import pytest

from grading_station.domain import gs1

from grading_station.hardware.code_reading import Reading, pick, readings
from grading_station.hardware.decoding import Symbol
from grading_station.hardware.scan_confirm import ScanConfirmer

IMEI1, IMEI2 = "353918111045122", "353918111045197"


def at(text: str, fmt: str = "Code128", top: float = 0.0, gs1_flag: bool = False) -> Symbol:
    return Symbol(text, fmt, gs1_flag, ((0.0, top), (10.0, top), (10.0, top + 5), (0.0, top + 5)))


# -- GS1 -----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, kwargs", [
    ("]d20109506000134352\x1d21F2LXK1\x1d10LOT7", {}),
    ("\x1d0109506000134352\x1d21F2LXK1\x1d10LOT7", {}),
    ("0109506000134352\x1d21F2LXK1\x1d10LOT7", {"assume_gs1": True}),
    ("(01)09506000134352(21)F2LXK1(10)LOT7", {}),
])
def test_gs1_forms_parse_to_the_same_elements(text, kwargs):
    elements = gs1.parse(text, **kwargs)
    assert [(e.ai, e.data) for e in elements] == [("01", "09506000134352"), ("21", "F2LXK1"), ("10", "LOT7")]
    assert gs1.first(elements, "21") == "F2LXK1" and elements[1].title == "Serial number"


def test_gs1_fixed_length_fields_need_no_separator():
    elements = gs1.parse("0109506000134352" "17261231" "21ABC", assume_gs1=True)
    assert [(e.ai, e.data) for e in elements] == [("01", "09506000134352"), ("17", "261231"), ("21", "ABC")]


@pytest.mark.parametrize("text, kwargs", [
    ("353918111045122", {}),  # plain text is not GS1 unless the decoder said so
    ("01095060001343", {"assume_gs1": True}),  # GTIN one digit short
    ("99ABC", {"assume_gs1": True}),  # unknown AI without predefined length
    ("(01)0950600013435X", {}),  # GTIN must be digits
    ("(01)09506000134352 trailing", {"assume_gs1": False}),
])
def test_gs1_refuses_malformed_strings(text, kwargs):
    with pytest.raises(gs1.GS1Error):
        gs1.parse(text, **kwargs)


def test_gtin_check_digit():
    assert gs1.gtin_check_ok("09506000134352") and not gs1.gtin_check_ok("09506000134353")


# -- readings and pick ---------------------------------------------------------------------------------------
def test_box_label_gives_imeis_serial_and_gtin():
    found = readings([at(IMEI2, top=60), at(IMEI1, top=20), at("F2LXK1ABJG5J", top=100),
                      at("0194250451221", "EAN13", top=140)])
    assert {(r.kind, r.value) for r in found} == {("imei", IMEI1), ("imei", IMEI2),
                                                  ("serial", "F2LXK1ABJG5J"), ("gtin", "0194250451221")}


def test_pick_by_preference_imei_one_before_imei_two():
    found = readings([at(IMEI2, top=60), at(IMEI1, top=20), at("F2LXK1ABJG5J", top=100)])
    assert pick(found, "imei").value == IMEI1
    assert pick(found, "serial").value == "F2LXK1ABJG5J"
    assert pick(readings([at(IMEI2)]), "serial").value == IMEI2  # the other kind when the preferred is absent


def test_product_codes_and_text_never_identify_a_unit():
    found = readings([at("0194250451221", "EAN13"), at("09506000134352", "ITF"), at("hello world", "QRCode")])
    assert [r.kind for r in found] == ["gtin", "gtin", "other"] and pick(found) is None


def test_gs1_datamatrix_serial_and_gtin():
    found = readings([at("0109506000134352\x1d21F2LXK1ABJG5J", "DataMatrix", gs1_flag=True)])
    assert [(r.kind, r.value) for r in found] == [("gtin", "09506000134352"), ("serial", "F2LXK1ABJG5J")]
    assert pick(found).value == "F2LXK1ABJG5J"


def test_gs1_serial_that_is_an_imei_counts_as_imei():
    found = readings([at(f"(01)09506000134352(21){IMEI1}", "DataMatrix")])
    assert pick(found).kind == "imei" and pick(found).value == IMEI1


@pytest.mark.parametrize("text", [
    f"IMEI1:{IMEI1};IMEI2:{IMEI2};SN:F2LXK1ABJG5J",
    f"IMEI 1 {IMEI1}\nIMEI 2 {IMEI2}\nS/N F2LXK1ABJG5J",
])
def test_multi_field_qr_text(text):
    found = readings([at(text, "QRCode")])
    expected = [("imei", IMEI1), ("imei", IMEI2), ("serial", "F2LXK1ABJG5J")]
    assert [(r.kind, r.value) for r in found] == expected


def test_labelled_and_url_values():
    assert pick(readings([at(f"IMEI: {IMEI1}", "QRCode")])).value == IMEI1
    url = "https://support.example.com/c?sn=F2LXK1ABJG5J"
    assert pick(readings([at(url, "QRCode")])).value == "F2LXK1ABJG5J"


def test_imei_with_wrong_check_digit_is_not_an_imei():
    found = readings([at("353918111045123")])
    assert pick(found) is None


# -- confirmation and debounce -------------------------------------------------------------------------------
def r(value: str) -> Reading:
    return Reading("imei", value, "IMEI", "Code128")


def test_value_is_accepted_on_its_second_identical_frame():
    confirm = ScanConfirmer(confirm_frames=2, repeat_s=3.0)
    assert confirm.feed(r(IMEI1), 0.00) is None
    assert confirm.feed(r(IMEI1), 0.03) == r(IMEI1)


def test_a_different_value_in_between_starts_over():
    confirm = ScanConfirmer(confirm_frames=2)
    confirm.feed(r(IMEI1), 0.0)
    assert confirm.feed(r(IMEI2), 0.03) is None  # half-decoded or another code: not confirmed
    assert confirm.feed(r(IMEI1), 0.06) is None
    assert confirm.feed(r(IMEI1), 0.09) == r(IMEI1)


def test_reads_too_far_apart_do_not_confirm():
    confirm = ScanConfirmer(confirm_frames=2, window_s=1.0)
    confirm.feed(r(IMEI1), 0.0)
    assert confirm.feed(r(IMEI1), 1.5) is None
    assert confirm.feed(r(IMEI1), 1.6) == r(IMEI1)


def test_same_value_is_ignored_while_in_view_and_for_repeat_s_after():
    confirm = ScanConfirmer(confirm_frames=2, repeat_s=3.0)
    confirm.feed(r(IMEI1), 0.0)
    assert confirm.feed(r(IMEI1), 0.1) == r(IMEI1)
    for t in range(2, 100):  # held under the camera for 10 s: never scanned again
        assert confirm.feed(r(IMEI1), t / 10) is None
    assert confirm.feed(None, 11.0) is None  # taken away...
    assert confirm.feed(r(IMEI1), 12.0) is None  # ...and back within 3 s of last being seen: still ignored
    confirm.feed(None, 15.5)
    confirm.feed(r(IMEI1), 15.6)
    assert confirm.feed(r(IMEI1), 15.7) == r(IMEI1)  # more than 3 s later: a new scan


def test_other_values_are_accepted_during_the_debounce():
    confirm = ScanConfirmer(confirm_frames=2, repeat_s=3.0)
    confirm.feed(r(IMEI1), 0.0)
    confirm.feed(r(IMEI1), 0.1)
    confirm.feed(r(IMEI2), 0.2)
    assert confirm.feed(r(IMEI2), 0.3) == r(IMEI2)


def test_one_frame_confirmation_and_reset():
    confirm = ScanConfirmer(confirm_frames=1)
    assert confirm.feed(r(IMEI1), 0.0) == r(IMEI1)
    confirm.reset()
    assert confirm.feed(r(IMEI1), 0.1) == r(IMEI1)
