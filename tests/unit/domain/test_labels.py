"""Grade labels: the ZPL of a label (golden text), the fit rules that keep every text inside its box, the
layout on every label size."""

from __future__ import annotations

import pytest

from grading_station.domain.label_fit import ELLIPSIS, cut, fit_model
from grading_station.domain.labels import (
    CHAR_WIDTH,
    SIZES,
    LabelFields,
    LabelSize,
    code128_modules,
    datamatrix_side,
    lay_out,
    max_chars,
)
from grading_station.domain.zpl import field_data, to_zpl

from grading_station.errors import InputError

IMEI = "356938035643809"
FIELDS = LabelFields(IMEI, "IMEI", "Apple iPhone 14 Pro Max 256GB Deep Purple", "Excellent",
                     ("Battery 92 % · 2026-12-02", "Bench 1"))

GOLDEN = """\
^XA
^CI28
^PW400
^LL200
^LH0,0
^FO10,10^A0N,22,22^FB319,1,0,L,0^FH\\^FDApple iPhone 14 Pro Max^FS
^FO10,34^A0N,22,22^FB319,1,0,L,0^FH\\^FD256GB Deep Purple^FS
^FO10,58^A0N,28,28^FB319,1,0,L,0^FH\\^FDExcellent^FS
^FO10,88^A0N,18,18^FB319,1,0,L,0^FH\\^FDBattery 92 % · 2026-12-02^FS
^FO10,108^A0N,18,18^FB319,1,0,L,0^FH\\^FDBench 1^FS
^FO10,174^A0N,16,16^FB380,1,0,C,0^FH\\^FDIMEI 356938035643809^FS
^FO66,136^BY2^BCN,36,N,N,N,A^FH\\^FD356938035643809^FS
^FO334,10^BXN,4,200^FH\\^FD356938035643809^FS
^PQ1
^XZ
"""


def test_the_zpl_of_a_50x25_label_at_203_dpi():
    assert to_zpl(lay_out(FIELDS, SIZES["50x25mm"])) == GOLDEN


def test_zpl_command_characters_in_a_text_are_escaped():
    assert field_data("A^B~C\\D\x00") == "A\\5EB\\7EC\\5CD"
    zpl = to_zpl(lay_out(LabelFields("SN^1~2", "S/N", "Model ^XZ", "Good"), SIZES["50x25mm"]))
    assert "^XZ" not in zpl.replace("\n^XZ\n", "")  # only the label's own end
    assert zpl.count("^XA") == 1 and "Model \\5EXZ" in zpl


@pytest.mark.parametrize("name, expected", [
    ("iPhone 13 128GB Midnight", ("iPhone 13 128GB Midnight",)),
    ("Apple iPad Pro 12.9 6th Generation Wi-Fi + Cellular 256GB Space Grey",
     ("Apple iPad Pro 12.9 6th", "Gen WiFi + Cell 256GB…")),
    ("Samsung Galaxy S23 Ultra 5G Dual SIM 1 TB Phantom Black Limited Edition Bundle",
     ("Samsung Galaxy S23 Ultra", "5G DS 1 TB Phantom Black…")),
])
def test_long_model_names_are_shortened_sensibly(name, expected):
    assert fit_model(name, 26, 2) == expected


@pytest.mark.parametrize("name, storage", [
    ("Google Pixel 8 Pro 512GB Obsidian Black Very Long Colour Name Here", "512GB"),
    ("Samsung Galaxy S23 Ultra 5G Dual SIM 1 TB Phantom Black Limited Edition Bundle", "1 TB"),
])
def test_the_storage_is_the_last_word_dropped(name, storage):
    lines = fit_model(name, 14, 2)
    assert storage in " ".join(lines) and lines[-1].endswith(ELLIPSIS)


@pytest.mark.parametrize("name", [
    "A" * 80,
    "Supercalifragilisticexpialidocious Phone",
    "x " * 60,
    "日本語のとても長いモデル名 iPhone 15 Pro Max 1TB ナチュラルチタニウム",
    "",
])
@pytest.mark.parametrize("chars, lines", [(10, 1), (12, 2), (26, 2), (40, 3)])
def test_a_model_name_never_overflows(name, chars, lines):
    fitted = fit_model(name, chars, lines)
    assert len(fitted) <= lines
    assert all(0 < len(line) <= chars for line in fitted)
    if name.strip():
        assert fitted  # something is always printed


def test_a_cut_line_says_so_and_prefers_a_word_boundary():
    assert cut("Short", 10) == "Short"
    assert cut("Battery 92 % · 2026-12-02 · Bench 12", 20) == "Battery 92 % ·" + ELLIPSIS
    assert cut("Averyveryverylongword", 8) == "Averyve" + ELLIPSIS
    assert len(cut("x" * 50, 1)) == 1


def test_code128_widths_match_an_automatic_encoder():
    assert code128_modules(IMEI) == 134  # zxing-cpp's Code 128 of the same IMEI is 134 modules wide
    assert code128_modules("C02XK1ABJGH5") == 167
    assert code128_modules("12") == 46


def test_datamatrix_side_grows_with_the_data():
    assert datamatrix_side(IMEI) == 14
    assert datamatrix_side("C02XK1ABJGH5") == 16
    with pytest.raises(InputError):
        datamatrix_side("X" * 200)


@pytest.mark.parametrize("size", [*SIZES.values(), SIZES["50x25mm"].at(300), SIZES["2x1in"].at(300)],
                         ids=lambda s: f"{s.key}@{s.dpi}")
@pytest.mark.parametrize("serial", [IMEI, "C02XK1ABJGH5", "R58N123ABCD"])
def test_every_element_stays_on_the_label(size, serial):
    fields = LabelFields(serial, "S/N", "Lenovo ThinkPad X1 Carbon Gen 11 Intel Core i7 32GB 1TB Deep Black",
                         "Excellent (premium refurbished grade)",
                         ("Battery 100 % · 2026-12-02", "Bench with a very long station name, floor 3"))
    layout = lay_out(fields, size)
    for box in layout.texts:
        assert 0 <= box.x and box.x + box.width <= size.width and box.y + box.height <= size.height
        assert len(box.text) <= max_chars(box.width, box.height)
        assert len(box.text) * box.height * CHAR_WIDTH <= box.width
    code, matrix = layout.barcodes
    assert code.x >= 10 * code.module  # the quiet zone of a Code 128
    assert code.x + code128_modules(serial) * code.module <= size.width - 10 * code.module
    assert matrix.x + matrix.height <= size.width and matrix.y + matrix.height <= code.y
    texts_bottom = max(b.y + b.height for b in layout.texts if b.y < code.y)
    assert texts_bottom <= code.y  # the text rows never run into the barcode


def test_a_serial_too_long_for_a_scannable_barcode_is_refused():
    with pytest.raises(InputError, match="too long"):
        lay_out(LabelFields("A" * 40, "S/N", "Phone", "Good"), SIZES["50x25mm"])
    lay_out(LabelFields("A" * 40, "S/N", "Phone", "Good"), SIZES["4x2in"])  # a wider label takes it


def test_sizes_in_dots():
    assert (SIZES["50x25mm"].width, SIZES["50x25mm"].height) == (400, 200)
    assert (SIZES["2x1in"].width, SIZES["2x1in"].height) == (406, 203)
    assert LabelSize("x", 50, 25, 300).width == 591
