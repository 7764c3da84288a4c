"""Camera stills: full-resolution JPEG at the configured quality, and the dark / blurred warnings."""

from __future__ import annotations

import cv2
import numpy as np

from grading_station.hardware.photo import measure, take_still


def bench_photo(width: int = 1920, height: int = 1080, light: float = 1.0) -> np.ndarray:
    """A phone on a mat: sharp edges and print, lit by `light` (1 = normal)."""
    frame = np.full((height, width, 3), (60, 95, 65), np.uint8)
    cv2.rectangle(frame, (width // 3, height // 6), (2 * width // 3, 5 * height // 6), (30, 30, 30), -1)
    cv2.rectangle(frame, (width // 3 + 30, height // 6 + 60), (2 * width // 3 - 30, 5 * height // 6 - 60),
                  (200, 190, 170), -1)
    for i in range(8):
        cv2.putText(frame, f"Settings {i}  Wi-Fi  Bluetooth", (width // 3 + 50, height // 4 + 60 * i),
                    cv2.FONT_HERSHEY_SIMPLEX, 1.1, (20, 20, 20), 2, cv2.LINE_AA)
    return np.clip(frame.astype(np.float32) * light, 0, 255).astype(np.uint8)


def test_good_photo_has_no_warning_and_keeps_full_resolution():
    still = take_still(bench_photo(), jpeg_quality=85)
    assert still.quality.warnings == ()
    decoded = cv2.imdecode(np.frombuffer(still.jpeg, np.uint8), cv2.IMREAD_COLOR)
    assert decoded.shape == (1080, 1920, 3) and (still.width, still.height) == (1920, 1080)
    assert still.jpeg[:3] == b"\xff\xd8\xff"


def test_jpeg_quality_is_applied():
    frame = bench_photo()
    assert len(take_still(frame, jpeg_quality=30).jpeg) < len(take_still(frame, jpeg_quality=95).jpeg)


def test_dark_photo_is_warned():
    quality = measure(bench_photo(light=0.25))
    assert quality.brightness < 45
    assert any("too dark" in w for w in quality.warnings)


def test_blurred_photo_is_warned_and_sharpness_does_not_depend_on_resolution():
    frame = bench_photo()
    sharp_1080 = measure(frame)
    sharp_4k = measure(cv2.resize(frame, (3840, 2160), interpolation=cv2.INTER_CUBIC))  # same scene in 4K
    assert abs(sharp_1080.sharpness - sharp_4k.sharpness) < 0.3 * sharp_1080.sharpness
    blurred = measure(cv2.GaussianBlur(bench_photo(), (0, 0), 5))
    assert blurred.sharpness < 40 < sharp_1080.sharpness
    assert [w for w in blurred.warnings if "blurred" in w]


def test_thresholds_are_configurable():
    assert measure(bench_photo(), min_brightness=250).warnings
    assert measure(bench_photo(light=0.25), min_brightness=0, min_sharpness=0).warnings == ()


def test_sharp_subject_on_a_plain_mat_is_not_called_blurred():
    frame = np.full((1080, 1920, 3), (60, 95, 65), np.uint8)
    cv2.rectangle(frame, (810, 390), (1110, 690), (25, 25, 25), -1)  # a small sharp object, the rest flat
    cv2.putText(frame, "SN F2LXK1", (870, 540), cv2.FONT_HERSHEY_SIMPLEX, 1.0, (230, 230, 230), 2)
    assert measure(frame).warnings == ()
