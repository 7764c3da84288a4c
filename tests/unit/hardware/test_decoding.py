"""The frame decoder on generated images of every supported symbology, clean and distorted like a camera's."""

from __future__ import annotations

import time

import numpy as np
import pytest

from grading_station.hardware.decoding import FrameDecoder, Symbol, plausible
from grading_station.hardware.localize import regions

from tests.helpers.camera import SAMPLES, clutter, code_image, read_scene, scene

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
    found = read_scene(frame)
    assert SAMPLES[symbology][1] in _texts(found)


def test_small_rotated_1d_code_is_read_by_the_candidate_pass():
    # Short bars at 40°: no whole-frame scan line crosses every bar, the upright crop does.
    code = code_image("code128")[::3, :]
    frame = scene(code, (1280, 720), angle=40, scale=0.7)
    assert "353918111045122" in _texts(read_scene(frame))


def test_small_1d_code_is_read_by_zxing_on_the_upscaled_crop():
    # ~1.4 px per module at 30°: zxing misses the plain crop, and zbar (switched off here) is not the only
    # reader of the 2x upscale.
    frame = scene(code_image("code128"), (1280, 720), scale=0.45, blur=0.5, angle=30)
    assert "353918111045122" in _texts(read_scene(frame, FrameDecoder(use_zbar=False)))


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
    assert read_scene(clutter(seed=seed)) == []


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
    ("A123456789", "Code32", False),  # zxing-cpp 3's pharmacode reading of a Code 39: not the label's text
])
def test_plausibility_rejects_partial_and_noisy_reads(text, fmt, ok):
    assert plausible(Symbol(text, fmt)) is ok


def _frames_of_scenes() -> list[np.ndarray]:
    """A session at the bench: a small code at 40° (only the crop passes read it), clutter, a small blurred
    EAN, each held for a few frames."""
    small = scene(code_image("code128")[::3, :], (1280, 720), angle=40, scale=0.7)
    ean = scene(code_image("ean13"), (1280, 720), scale=0.5, blur=0.7, angle=215, tilt=0.1)
    return [small] * 3 + [clutter(seed=2)] * 3 + [ean] * 4


def _run(frames: list[np.ndarray], clock=None) -> list[list[str]]:
    decoder = FrameDecoder()
    if clock is not None:
        decoder.clock = clock  # where the CPU-time budget kept its clock; nothing may read one now
    return [_texts(decoder.decode(frame)) for frame in frames]


def _loaded_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every clock a budget could read runs 40 times fast: on a loaded machine each pass looks that much
    more expensive (also the CPU clock, which a busy core's cache and memory contention slow down)."""
    for name in ("thread_time", "process_time", "perf_counter", "monotonic", "time"):
        real = getattr(time, name)
        monkeypatch.setattr(time, name, lambda real=real: real() * 40)


def test_reads_of_the_same_frames_do_not_depend_on_how_busy_the_machine_is(monkeypatch):
    frames = _frames_of_scenes()
    idle = _run(frames)
    _loaded_machine(monkeypatch)
    busy = _run(frames, clock=time.thread_time)
    assert busy == idle
    assert "353918111045122" in idle[0]  # the frames do need more than the whole-frame pass


def _recording(monkeypatch: pytest.MonkeyPatch, calls: list) -> None:
    """Every pass records (its name, the shape it got) and reads nothing."""
    from grading_station.hardware import decoding

    for name in ("read_zxing", "_half_matrix_pass", "_zxing_crops", "read_zbar", "_zxing_upright", "_ean_profile",
                 "_repaired_matrix", "_full_rotated_pass"):
        def record(image, *a, name=name, **k):
            shape = image[0][0].shape if name == "_zxing_crops" else image.shape
            calls.append((name, shape))
            return []
        monkeypatch.setattr(decoding, name, record)


def test_a_scenes_steps_are_spread_over_its_frames_one_share_per_frame(monkeypatch):
    calls: list[tuple[str, tuple[int, ...]]] = []
    frame = clutter(seed=2)  # nothing to read: every step runs
    where = regions(frame, 4, 2)
    _recording(monkeypatch, calls)
    decoder = FrameDecoder(work_per_frame=1)  # the least work per frame: one step each
    cycle = decoder.frames_per_cycle(frame)
    per_frame = []
    for _ in range(2 * cycle):
        before = len(calls)
        assert decoder.decode(frame) == []
        per_frame.append(calls[before:])
    assert all(len(c) <= 1 for c in per_frame)
    first, second = per_frame[:cycle], per_frame[cycle:]
    assert first == second  # after a full cycle the scene starts over, in the same order
    names = [c[0][0] for c in first if c]
    assert names[:2] == ["read_zxing", "_half_matrix_pass"]  # then the two locating steps, which read nothing
    assert len(first) == len(names) + 2
    crops = len(where.linear)
    assert names.count("_zxing_crops") == names.count("_ean_profile") == crops
    assert names.count("_repaired_matrix") == len(where.matrix) and names.count("_full_rotated_pass") == 2


def test_the_budget_packs_steps_into_frames_in_the_same_order(monkeypatch):
    frame = clutter(seed=2)
    one_by_one, packed = FrameDecoder(work_per_frame=1), FrameDecoder()
    assert packed.frames_per_cycle(frame) < one_by_one.frames_per_cycle(frame)
    alone: list[tuple[str, tuple[int, ...]]] = []
    _recording(monkeypatch, alone)
    for _ in range(one_by_one.frames_per_cycle(frame)):
        one_by_one.decode(frame)
    together: list[tuple[str, tuple[int, ...]]] = []
    _recording(monkeypatch, together)
    per_frame = []
    for _ in range(packed.frames_per_cycle(frame)):
        before = len(together)
        packed.decode(frame)
        per_frame.append(len(together) - before)
    assert together == alone  # packing skips no step and changes no order
    assert per_frame[0] >= 2  # the whole-frame passes share the first frame


def test_a_new_scene_starts_over_and_camera_noise_or_a_hands_tremor_is_the_same_scene(monkeypatch):
    calls: list[tuple[str, tuple[int, ...]]] = []
    frame = scene(code_image("code128"), (1280, 720), scale=0.5, angle=40)  # a label on the mat
    noise = np.random.default_rng(5).integers(-6, 7, frame.shape)
    noisy = np.clip(np.roll(frame, (4, 6), axis=(0, 1)).astype(int) + noise, 0, 255).astype(np.uint8)
    _recording(monkeypatch, calls)
    decoder = FrameDecoder(work_per_frame=1)
    for _ in range(3):
        decoder.decode(frame)  # the whole frame, DataMatrix at half size, the gradient tensor
    decoder.decode(noisy)  # moved 6 px, fresh noise: the same scene, its 1D regions (no pass reads)
    decoder.decode(noisy)
    assert [c[0] for c in calls] == ["read_zxing", "_half_matrix_pass", "_zxing_crops"]
    labelled = noisy.copy()
    labelled[40:240, 40:440] = 255  # a second label slid in: the first step again
    decoder.decode(labelled)
    assert calls[-1] == ("read_zxing", frame.shape)


def test_the_step_that_read_runs_again_on_the_next_frame(monkeypatch):
    from grading_station.hardware import decoding

    calls: list[tuple[int, ...]] = []
    label = Symbol("353918111045122", "Code128", corners=((600.0, 400.0), (700.0, 400.0), (700.0, 430.0)))

    def zbar(image, *a, **k):
        calls.append(image.shape)
        return [label] if len(calls) in (2, 3) else []

    monkeypatch.setattr(decoding, "read_zbar", zbar)
    decoder = FrameDecoder(work_per_frame=1)
    frame = clutter(seed=2)
    while not calls:
        assert decoder.decode(frame) == []  # up to the first zbar step: nothing
    assert _texts(decoder.decode(frame)) == ["353918111045122"]  # the second zbar step reads
    assert _texts(decoder.decode(frame)) == ["353918111045122"]  # the same step again: the confirming read
    assert calls[2] == calls[1]
