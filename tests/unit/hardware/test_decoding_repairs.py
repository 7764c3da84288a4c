"""The decoder's rescue passes: a DataMatrix with a finger over its finder or timing edge (grid repair), an EAN
too small for zxing and zbar (grey-profile reader), a code beside look-alike bars (blob split by direction);
and that none of them turns a damaged code into another text."""

from __future__ import annotations

import io

import barcode
import cv2
import numpy as np
import pytest
import zxingcpp
from barcode.writer import ImageWriter

from grading_station.hardware import decoding
from grading_station.hardware.ean_profile import read_ean

from tests.helpers.camera import SAMPLES, code_image, read_scene, scene


def _texts(found) -> list[str]:
    return [s.text.replace("\x1d", "") for s in found]


def _fingered_datamatrix(cover: float) -> np.ndarray:
    """The sample DataMatrix with a fingertip (a light grey disc, `cover` of the symbol's side in radius)
    over the middle of its top edge, where the dotted timing pattern runs."""
    code = code_image("datamatrix").copy()
    height, width = code.shape
    cv2.circle(code, (width // 2, 0), int(cover * min(height, width)), 170, -1, cv2.LINE_AA)
    return code


@pytest.mark.parametrize("angle", [23, 200])
def test_datamatrix_with_a_finger_over_its_timing_edge_is_read_by_the_grid_repair(monkeypatch, angle):
    frame = scene(_fingered_datamatrix(0.22), (1280, 720), angle=angle, scale=0.8, blur=0.6)
    matrix = (zxingcpp.BarcodeFormat.DataMatrix,)
    assert decoding.read_zxing(frame, matrix, rotate=True) == []  # zxing cannot trace the finder
    assert decoding.read_zxing(frame, matrix, rotate=True, downscale=False) == []
    with monkeypatch.context() as patched:
        patched.setattr(decoding, "_repaired_matrix", lambda *a, **k: [])
        assert read_scene(frame) == []
    assert _texts(read_scene(frame)) == [SAMPLES["datamatrix"][1]]


def test_datamatrix_covered_past_what_its_error_correction_repairs_reads_nothing():
    frame = scene(_fingered_datamatrix(0.5), (1280, 720), angle=23, scale=0.8, blur=0.6)
    assert read_scene(frame) == []


def _small(code: np.ndarray, module_px: float) -> np.ndarray:
    """A printed code (3 px modules) as a sensor sees it at `module_px` per module (each pixel the mean of
    what it covers), its bars half as tall."""
    return cv2.resize(code, None, fx=module_px / 3, fy=module_px / 6, interpolation=cv2.INTER_AREA)


def _camera(frame: np.ndarray) -> np.ndarray:
    """Sensor noise and a webcam's JPEG."""
    noisy = np.clip(frame + np.random.default_rng(1).normal(0, 4, frame.shape), 0, 255).astype(np.uint8)
    return cv2.imdecode(cv2.imencode(".jpg", noisy, [cv2.IMWRITE_JPEG_QUALITY, 70])[1], cv2.IMREAD_GRAYSCALE)


@pytest.mark.parametrize("angle", [15, 200])
def test_ean_at_1_4_px_per_module_is_read_by_the_grey_profile_reader(monkeypatch, angle):
    frame = _camera(scene(_small(code_image("ean13"), 1.44), (1280, 720), angle=angle, contrast=0.7, blur=0.5))
    with monkeypatch.context() as patched:
        patched.setattr(decoding, "_ean_profile", lambda *a, **k: [])
        assert read_scene(frame) == []  # zxing and zbar, plain, sharpened and upscaled, read nothing
    assert _texts(read_scene(frame)) == [SAMPLES["ean13"][1]]


def _ean_with_check_digit(digits: str) -> np.ndarray:
    """An EAN-13 printed with the 13 digits given, right check digit or not."""
    code = barcode.get("ean13", digits, writer=ImageWriter(), options={"no_checksum": True})
    buffer = io.BytesIO()
    code.write(buffer, options={"write_text": False, "module_width": 0.381, "module_height": 5.0, "dpi": 200,
                                "quiet_zone": 4})
    return cv2.imdecode(np.frombuffer(buffer.getvalue(), np.uint8), cv2.IMREAD_GRAYSCALE)


def test_grey_profile_reader_rejects_a_wrong_check_digit():
    def upright(digits: str) -> np.ndarray:
        return cv2.GaussianBlur(_small(_ean_with_check_digit(digits), 1.44), (0, 0), 0.5)

    assert [r.text for r in read_ean(upright("4006381333931"))] == ["4006381333931"]
    # the same code but the last digit: every digit is read clearly, only the check digit fails
    assert read_ean(upright("4006381333932")) == []


def test_code_beside_look_alike_bars_is_read():
    # The vent's bars touch the label at another angle: their blob and the code's were one, cut along
    # neither (the decoder read nothing here before blobs were split by bar direction).
    frame = scene(code_image("code128")[::2, :], (1280, 720), angle=60, scale=0.6)
    for k in range(14):
        cv2.line(frame, (690 + 9 * k, 200), (690 + 9 * k, 420), 30, 3)
    assert SAMPLES["code128"][1] in _texts(read_scene(frame))
