"""Decoder robustness beyond the clean cases: small codes at any turn, misread guards, look-alike clutter."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from grading_station.hardware.decode_checks import consistent, plausible
from grading_station.hardware.decoding import Symbol

from tests.helpers.camera import SAMPLES, code_image, read_scene, scene


def _box(x: float, y: float, w: float = 200, h: float = 60) -> tuple[tuple[float, float], ...]:
    return ((x, y), (x + w, y), (x + w, y + h), (x, y + h))


@pytest.mark.parametrize("symbology", ["code128", "code39", "ean13"])
@pytest.mark.parametrize("scale, blur, angle, contrast", [(0.5, 0.6, 35, 1.0), (0.55, 0.7, 215, 0.5)])
def test_small_1d_code_at_any_turn_is_read(symbology, scale, blur, angle, contrast):
    # 3 px modules shown at 0.5-0.55: about 1.6 px per module, tilted, blurred, turned past 180°.
    frame = scene(code_image(symbology), (1280, 720), scale=scale, blur=blur, angle=angle, contrast=contrast,
                  tilt=0.1)
    found = read_scene(frame)
    assert SAMPLES[symbology][1] in [s.text for s in found]


@pytest.mark.parametrize("symbology", ["qr", "datamatrix"])
@pytest.mark.parametrize("angle", [63, 251])
def test_2d_code_turned_tilted_and_dim_is_read(symbology, angle):
    frame = scene(code_image(symbology), (1280, 720), scale=0.8, angle=angle, tilt=0.15, contrast=0.45, blur=0.7)
    found = read_scene(frame)
    assert SAMPLES[symbology][1] in [s.text.replace("\x1d", "") for s in found]


@pytest.mark.parametrize("text, ok", [("F2LXK1ABJG5J", True), ("AB-12.X", True), ("A(GXKLE &U&", False),
                                      ("abcdef", False)])
def test_code39_reads_outside_plain_code39_are_rejected(text, ok):
    assert plausible(Symbol(text, "Code39")) is ok


def test_contradicting_reads_of_one_place_are_both_dropped():
    right, wrong = Symbol("3969100082774", "EAN13", corners=_box(100, 100)), \
        Symbol("1969102082774", "EAN13", corners=_box(104, 98))
    assert consistent([right, wrong]) == []


def test_different_codes_in_different_places_and_2d_over_1d_are_kept():
    imei1 = Symbol("353918111045122", "Code128", corners=_box(100, 100))
    imei2 = Symbol("353918111045197", "Code128", corners=_box(100, 300))
    qr = Symbol("IMEI:353918111045122", "QRCode", corners=_box(120, 110, 80, 80))
    assert consistent([imei1, imei2, qr]) == [imei1, imei2, qr]


def _look_alikes(seed: int) -> np.ndarray:
    """Fake bar runs of random widths, vent slots, a module-like dot field and text: no code at all."""
    rng = np.random.default_rng(seed)
    frame = np.clip(rng.normal(150, 10, (720, 1280)), 0, 255).astype(np.uint8)
    for row, unit in ((80, 2), (260, 3), (440, 1.5)):
        x = 60.0
        for width in rng.integers(1, 5, 50):
            if rng.random() < 0.5:
                cv2.rectangle(frame, (int(x), row), (int(x + width * unit) - 1, row + 120), 20, -1)
            x += width * unit
    for k in range(25):
        cv2.line(frame, (800 + 10 * k, 60), (800 + 10 * k, 240), 30, 2)
    cells = rng.random((24, 24)) < 0.5
    for r, c in zip(*np.nonzero(cells), strict=True):
        cv2.rectangle(frame, (820 + 5 * c, 330 + 5 * r), (824 + 5 * c, 334 + 5 * r), 25, -1)
    cv2.putText(frame, "S/N F2LXK1ABJG5J  IMEI 35391811", (40, 680), cv2.FONT_HERSHEY_DUPLEX, 1.2, 30, 2)
    return cv2.GaussianBlur(frame, (0, 0), 0.8)


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_barcode_look_alikes_read_nothing(seed):
    assert read_scene(_look_alikes(seed)) == []
