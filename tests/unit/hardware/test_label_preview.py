"""The label preview scans like the printed label: both barcodes read back (zxing-cpp) as the unit's code."""

from __future__ import annotations

import io

import pytest
import zxingcpp
from PIL import Image

from grading_station.domain.labels import SIZES, LabelFields, lay_out

from grading_station.hardware.label_preview import render, render_png

FORMATS = {zxingcpp.BarcodeFormat.Code128: "code128", zxingcpp.BarcodeFormat.DataMatrix: "datamatrix"}


def decoded(image: Image.Image) -> dict[str, str]:
    return {FORMATS[r.format]: r.text for r in zxingcpp.read_barcodes(image) if r.format in FORMATS}


@pytest.mark.parametrize("serial", ["356938035643809", "C02XK1ABJGH5", "R58N123ABCDEFGH"])
@pytest.mark.parametrize("size", [SIZES["50x25mm"], SIZES["2x1in"], SIZES["4x2in"], SIZES["50x25mm"].at(300)],
                         ids=lambda s: f"{s.key}@{s.dpi}")
def test_both_barcodes_of_the_preview_decode_to_the_serial(serial, size):
    fields = LabelFields(serial, "S/N", "Apple iPhone 14 Pro Max 256GB Deep Purple", "Excellent",
                         ("Battery 92 % · 2026-12-02", "Bench 1"))
    image = render(lay_out(fields, size))
    assert image.size == (size.width, size.height)  # one pixel per printer dot
    assert decoded(image) == {"code128": serial, "datamatrix": serial}


def test_the_png_is_the_label_enlarged_and_still_scans():
    fields = LabelFields("356938035643809", "IMEI", "iPhone 13 128GB Midnight", "Good")
    image = Image.open(io.BytesIO(render_png(lay_out(fields, SIZES["50x25mm"]), scale=3)))
    assert image.size == (1200, 600)
    assert decoded(image) == {"code128": "356938035643809", "datamatrix": "356938035643809"}


def test_text_wider_than_its_box_is_squeezed_into_it():
    fields = LabelFields("356938035643809", "IMEI", "WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW",
                         "WWWWWWWWWWWWWWWWWWWW")
    layout = lay_out(fields, SIZES["50x25mm"])
    image = render(layout)
    matrix = layout.barcodes[1]
    # Nothing is drawn between the text column and the Data Matrix: the capitals did not run over.
    gap = image.crop((layout.texts[0].x + layout.texts[0].width + 1, 0, matrix.x - 1, matrix.y + matrix.height))
    assert gap.getextrema() == (255, 255)
