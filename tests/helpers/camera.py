"""Camera test helpers: barcode images from independent writers (python-barcode, segno, zxing-cpp),
distortions like a camera's, the demo clip, virtual cameras, camera settings."""

from __future__ import annotations

import io
from pathlib import Path

import barcode
import cv2
import numpy as np
import pytest
import segno
import zxingcpp
from barcode.writer import ImageWriter

from grading_station.hardware.decoding import FrameDecoder, Symbol
from grading_station.hardware.demo_clip import demo_imei, write_demo_clip
from grading_station.hardware.virtual_camera import VirtualCamera

from grading_station.config import Config

# symbology -> (text to encode, text the decoder must return)
SAMPLES = {
    "code128": ("353918111045122", "353918111045122"),
    "code39": ("F2LXK1ABJG5J", "F2LXK1ABJG5J"),
    "ean13": ("019425045122", "0194250451221"),
    "upca": ("01234567890", "0012345678905"),
    "itf": ("09506000134352", "09506000134352"),
    "qr": ("IMEI1:353918111045122;SN:F2LXK1ABJG5J", "IMEI1:353918111045122;SN:F2LXK1ABJG5J"),
    "datamatrix": ("(01)09506000134352(21)F2LXK1ABJG5J", "010950600013435221F2LXK1ABJG5J"),
}


def _png_to_gray(data: bytes) -> np.ndarray:
    return cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_GRAYSCALE)


def code_image(symbology: str, text: str | None = None) -> np.ndarray:
    """A printed code (black on white, quiet zone included) from a writer other than the app's decoder."""
    text = text if text is not None else SAMPLES[symbology][0]
    if symbology == "qr":
        buffer = io.BytesIO()
        segno.make(text, error="m").save(buffer, kind="png", scale=4, border=4)
        return _png_to_gray(buffer.getvalue())
    if symbology == "datamatrix":
        code = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.DataMatrix, gs1=text.startswith("("))
        return np.array(zxingcpp.write_barcode_to_image(code, scale=5))
    options = {"add_checksum": False} if symbology == "code39" else {}
    code = barcode.get(symbology, text, writer=ImageWriter(), options=options)
    buffer = io.BytesIO()
    code.write(buffer, options={"write_text": False, "module_width": 0.381, "module_height": 10.0, "dpi": 200,
                                "quiet_zone": 4})
    return _png_to_gray(buffer.getvalue())


def scene(code: np.ndarray, size: tuple[int, int] = (960, 600), *, angle: float = 0.0, scale: float = 1.0,
          tilt: float = 0.0, blur: float = 0.0, contrast: float = 1.0, seed: int = 1) -> np.ndarray:
    """`code` on a grey, slightly noisy mat: rotated by `angle`°, perspective `tilt` (0-0.3), Gaussian `blur`
    (sigma px), `contrast` (1 = black on white), like a label held under a camera."""
    width, height = size
    h, w = code.shape
    label = np.full((h + 40, w + 40), 255, np.uint8)
    label[20 : 20 + h, 20 : 20 + w] = code
    lh, lw = label.shape
    src = np.float32([[0, 0], [lw, 0], [lw, lh], [0, lh]])
    corners = (src - [lw / 2, lh / 2]) * scale
    corners[1, 1] += tilt * lh * scale
    corners[2, 1] -= tilt * lh * scale
    corners[1, 0] -= tilt * lw * scale * 0.5
    corners[2, 0] -= tilt * lw * scale * 0.5
    rad = np.deg2rad(angle)
    rotation = np.array([[np.cos(rad), -np.sin(rad)], [np.sin(rad), np.cos(rad)]], np.float32)
    dst = (corners @ rotation.T + [width / 2, height / 2]).astype(np.float32)
    matrix = cv2.getPerspectiveTransform(src, dst)
    rng = np.random.default_rng(seed)
    mat = np.clip(rng.normal(120, 6, (height, width)), 0, 255).astype(np.uint8)
    warped = cv2.warpPerspective(label, matrix, (width, height), flags=cv2.INTER_LINEAR)
    mask = cv2.warpPerspective(np.full_like(label, 255), matrix, (width, height)) > 127
    frame = mat.copy()
    frame[mask] = warped[mask]
    if contrast != 1.0:
        frame = np.clip((frame.astype(np.float32) - 128) * contrast + 128, 0, 255).astype(np.uint8)
    if blur:
        frame = cv2.GaussianBlur(frame, (0, 0), blur)
    return frame


def clutter(size: tuple[int, int] = (960, 600), seed: int = 3) -> np.ndarray:
    """A frame with no code: mat, printed text, a grid and a keyboard-like set of stripes."""
    width, height = size
    rng = np.random.default_rng(seed)
    frame = np.clip(rng.normal(120, 8, (height, width)), 0, 255).astype(np.uint8)
    for y in range(0, height, 50):
        cv2.line(frame, (0, y), (width, y), 90, 1)
    for i in range(6):
        cv2.putText(frame, f"Model A26{i}3 128GB Made in China 0{i}45", (20, 60 + 80 * i),
                    cv2.FONT_HERSHEY_SIMPLEX, 1.0, 20, 2, cv2.LINE_AA)
    for k in range(30):
        cv2.line(frame, (600 + 9 * k, 380), (600 + 9 * k, 560), 30, 3)
    return frame


def read_scene(frame: np.ndarray, decoder: FrameDecoder | None = None) -> list[Symbol]:
    """Every symbol a decoder reads from `frame` held under the camera for as many frames as it takes every
    pass to run on it once (the expensive passes are spread over consecutive frames)."""
    decoder = decoder or FrameDecoder()
    found: dict[str, Symbol] = {}
    for _ in range(decoder.frames_per_cycle(frame)):
        for symbol in decoder.decode(frame):
            found.setdefault(symbol.text, symbol)
    return list(found.values())


@pytest.fixture(scope="session")
def demo_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The --demo clip at a small size (the demo unit's box label slides in and stays), generated once."""
    return write_demo_clip(tmp_path_factory.mktemp("camera") / "clip", demo_imei(), width=960, height=540,
                           frames=16)


@pytest.fixture
def virtual_camera(demo_clip: Path) -> VirtualCamera:
    return VirtualCamera(demo_clip, fps=20, loop=False)


@pytest.fixture
def camera_config(tmp_path: Path) -> Config:
    """Settings with the camera's defaults, short debounce so tests need no long waits."""
    from grading_station.ui.camera import settings  # noqa: F401  (declares camera.*)

    config = Config(tmp_path / "settings.toml")
    config.set("camera.repeat_s", 0.5)
    return config
