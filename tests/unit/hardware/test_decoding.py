"""The frame decoder on generated images of every supported symbology, clean and distorted like a camera's."""

from __future__ import annotations

import numpy as np
import pytest

from grading_station.hardware.decoding import FrameDecoder, Symbol, plausible

from tests.helpers.camera import SAMPLES, clutter, code_image, scene

DISTORTIONS = {
    "clean": {},
    "rotated-30": {"angle": 30},
    "rotated-107": {"angle": 107},
    "upside-down": {"angle": 183},
    "blurred": {"blur": 1.0},
    "low-contrast": {"contrast": 0.3},
    "perspective": {"tilt": 0.12, "angle": 8},
}


def _texts(symbols: list[Symbol]) -> list[str]:
    return [s.text.replace("\x1d", "") for s in symbols]


@pytest.mark.parametrize("distortion", DISTORTIONS)
@pytest.mark.parametrize("symbology", SAMPLES)
def test_reads_every_symbology_through_camera_distortions(symbology, distortion):
    # 3 px modules shown at 0.75: 2.25 px per module, a label ~20 cm under a 1080p document camera.
    frame = scene(code_image(symbology), (1280, 800), scale=0.75, **DISTORTIONS[distortion])
    found = FrameDecoder(budget_ms=1000).decode(frame)
    assert SAMPLES[symbology][1] in _texts(found)


def test_small_rotated_1d_code_is_read_by_the_candidate_pass():
    # Short bars at 40°: no whole-frame scan line crosses every bar, the upright crop does.
    code = code_image("code128")[::3, :]
    frame = scene(code, (1280, 720), angle=40, scale=0.7)
    assert "353918111045122" in _texts(FrameDecoder(budget_ms=1000).decode(frame))


def test_gs1_datamatrix_is_flagged_gs1_with_separator_after_variable_field():
    code = code_image("datamatrix", "(01)09506000134352(21)AB12(10)LOT7")
    found = FrameDecoder().decode(scene(code))
    assert [(s.text, s.gs1, s.format) for s in found] == [("010950600013435221AB12\x1d10LOT7", True,
                                                            "DataMatrix")]


def test_box_label_with_several_codes_reads_them_all():
    codes = [code_image("code128", "353918111045122"), code_image("code128", "353918111045197"),
             code_image("ean13")]
    width = max(c.shape[1] for c in codes)
    stacked = np.vstack([np.pad(c, ((10, 10), (0, width - c.shape[1])), constant_values=255) for c in codes])
    found = _texts(FrameDecoder().decode(scene(stacked, (1280, 900), scale=0.8)))
    assert {"353918111045122", "353918111045197", "0194250451221"} <= set(found)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_frames_without_codes_read_nothing(seed):
    assert FrameDecoder(budget_ms=1000).decode(clutter(seed=seed)) == []


def test_region_of_the_last_hit_is_tried_first_and_dropped_when_empty():
    decoder = FrameDecoder()
    frame = scene(code_image("qr"))
    assert decoder.decode(frame)
    assert decoder._last_region is not None
    assert decoder.decode(frame)  # read again from the region alone
    assert decoder.decode(clutter()) == [] and decoder._last_region is None


@pytest.mark.parametrize("text, fmt, ok", [
    ("09506000134352", "ITF", True),
    ("076432", "ITF", False),  # a scan line across part of an ITF-14
    ("09506000134353", "ITF", False),  # check digit wrong
    ("AB1", "Code39", False),
    ("F2LXK1", "Code39", True),
    ("35391811104\x005122", "Code128", False),
    ("0109506000134352\x1d10LOT", "DataMatrix", True),
])
def test_plausibility_rejects_partial_and_noisy_reads(text, fmt, ok):
    assert plausible(Symbol(text, fmt)) is ok


def test_budget_stops_the_candidate_pass():
    ticks = iter(range(0, 10_000, 50))  # every clock read advances 50 ms: the budget is spent at once
    decoder = FrameDecoder(budget_ms=20, clock=lambda: next(ticks) / 1000)
    code = code_image("code128")[::3, :]
    assert decoder.decode(scene(code, (1280, 720), angle=40, scale=0.7)) == []
