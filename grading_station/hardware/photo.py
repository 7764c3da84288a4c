"""Camera stills for the photo slots: a quality check (too dark, blurred) and JPEG encoding at full size.

Sharpness is the variance of the Laplacian, measured on the photo scaled to 1000 px wide (so the figure does
not depend on the camera's resolution) in an 8x8 grid of tiles, taking the third sharpest tile: a sharp phone
on a plain mat is sharp where the phone is (a few tiles), and a whole-image variance would call it blurred.
Brightness is the mean grey level (0-255).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from grading_station.errors import KnownError
from grading_station.i18n import _

_MEASURE_WIDTH = 1000


@dataclass(frozen=True)
class PhotoQuality:
    """Measured brightness (0-255) and sharpness (Laplacian variance); `warnings` in the technician's words,
    empty when the photo is fine."""

    brightness: float
    sharpness: float
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class Still:
    """A captured photo ready for a slot: JPEG bytes, its size and its quality."""

    jpeg: bytes
    width: int
    height: int
    quality: PhotoQuality


def measure(frame: np.ndarray, min_brightness: float = 45.0, min_sharpness: float = 40.0) -> PhotoQuality:
    gray = frame if frame.ndim == 2 else cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
    if gray.shape[1] > _MEASURE_WIDTH:
        scale = _MEASURE_WIDTH / gray.shape[1]
        gray = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    brightness = float(gray.mean())
    laplacian = cv2.Laplacian(gray, cv2.CV_64F)
    h, w = laplacian.shape
    tiles = [laplacian[i * h // 8 : (i + 1) * h // 8, j * w // 8 : (j + 1) * w // 8].var()
             for i in range(8) for j in range(8)]
    sharpness = float(sorted(tiles)[-3])
    warnings = []
    if brightness < min_brightness:
        warnings.append(f"The photo is too dark (brightness {brightness:.0f}, needs {min_brightness:.0f}): "
                        "turn on the light or move the device under it.")
    if sharpness < min_sharpness:
        warnings.append(f"The photo is blurred (sharpness {sharpness:.0f}, needs {min_sharpness:.0f}): "
                        "hold the device still and let the camera focus.")
    return PhotoQuality(brightness, sharpness, tuple(warnings))


def take_still(frame: np.ndarray, jpeg_quality: int = 85, min_brightness: float = 45.0,
               min_sharpness: float = 40.0) -> Still:
    """Check and encode a full-resolution frame (already turned the right way up by the capture loop:
    the pixels themselves are rotated, so every viewer shows it upright without relying on EXIF)."""
    quality = measure(frame, min_brightness, min_sharpness)
    ok, buffer = cv2.imencode(".jpg", frame, [cv2.IMWRITE_JPEG_QUALITY, int(jpeg_quality),
                                              cv2.IMWRITE_JPEG_OPTIMIZE, 1])
    if not ok:
        raise KnownError(_("The photo could not be encoded as JPEG: take it again."))
    return Still(buffer.tobytes(), frame.shape[1], frame.shape[0], quality)
