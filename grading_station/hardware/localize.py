"""Find 1D barcode regions a whole-frame decode missed, and cut each one out upright for a second try.

Bars are the one thing on a bench mat whose gradients are strong *and* all point the same way, so candidate
regions are blobs of high anisotropic gradient energy (structure tensor, computed on 8x8-pixel cells); each
blob is cut out along its long side so that a horizontal scan line crosses every bar even when the code is
rotated or the label is held at an angle (what zxing's own 0°/90° scan lines miss).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

_CELL = 8  # frame pixels per tensor cell
_OPEN = np.ones((2, 2), np.uint8)
_CLOSE = np.ones((3, 3), np.uint8)


@dataclass(frozen=True)
class Candidate:
    """A region that may hold a 1D code: the affine map frame -> upright crop, and the crop's size."""

    matrix: np.ndarray  # 2x3, frame coordinates -> crop coordinates
    size: tuple[int, int]  # (width, height) of the crop
    score: float

    def cut(self, gray: np.ndarray) -> np.ndarray:
        return cv2.warpAffine(gray, self.matrix, self.size, flags=cv2.INTER_LINEAR,
                              borderMode=cv2.BORDER_REPLICATE)

    def to_frame(self, points: np.ndarray) -> np.ndarray:
        """Crop coordinates back to frame coordinates."""
        inverse = cv2.invertAffineTransform(self.matrix)
        return points @ inverse[:, :2].T + inverse[:, 2]


def _bar_direction(gray: np.ndarray, points: np.ndarray) -> float:
    """Dominant gradient direction (radians, 0..pi) in the blob's box at full resolution: the mode of a
    magnitude-weighted histogram, which label edges and printed text cannot drag off the way a mean can."""
    x0, y0 = np.maximum(points.min(axis=0).astype(int), 0)
    x1, y1 = points.max(axis=0).astype(int) + 1
    roi = gray[y0:y1, x0:x1]
    shrink = int(math.sqrt(roi.size / 60_000))  # a big region is a big code: its bars survive downscaling
    if shrink > 1:
        roi = cv2.resize(roi, None, fx=1 / shrink, fy=1 / shrink, interpolation=cv2.INTER_AREA)
    gx = cv2.Sobel(roi, cv2.CV_32F, 1, 0)
    gy = cv2.Sobel(roi, cv2.CV_32F, 0, 1)
    # OpenCV's phase/magnitude are several times faster than numpy's arctan2 on the same pixels.
    bins = cv2.phase(gx, gy, angleInDegrees=True)
    bins = (cv2.min(bins % 180, 179.99) * 0.5).astype(np.int32).ravel()
    hist = np.bincount(bins, weights=cv2.magnitude(gx, gy).ravel() ** 2, minlength=90)
    hist = hist + np.roll(hist, 1) + np.roll(hist, -1)
    return (int(np.argmax(hist)) + 0.5) * math.pi / 90


def _upright(points: np.ndarray, direction: float, frame_size: tuple[int, int]) -> tuple[np.ndarray, tuple]:
    """The crop along the blob's rectangle side closest to the bar direction, with quiet-zone margins."""
    (_, _), (_, _), rect_deg = cv2.minAreaRect(points)
    axis = math.radians(rect_deg)
    if abs(math.cos(axis + math.pi / 2 - direction)) > abs(math.cos(axis - direction)):
        axis += math.pi / 2
    c, s = math.cos(axis), math.sin(axis)
    rotation = np.array([[c, s], [-s, c]], np.float32)
    rotated = points @ rotation.T
    (x0, y0), (x1, y1) = rotated.min(axis=0), rotated.max(axis=0)
    length = x1 - x0
    x0, x1 = x0 - 0.1 * length - 24, x1 + 0.1 * length + 24  # quiet zones (≥ 10 modules) on both ends
    y0, y1 = y0 - 3, y1 + 3
    width = int(min(x1 - x0, 2 * max(frame_size)))
    height = int(min(y1 - y0, 2 * max(frame_size)))
    matrix = np.hstack([rotation, np.array([[-x0], [-y0]], np.float32)])
    return matrix, (max(width, 1), max(height, 1))


def candidates(gray: np.ndarray, limit: int = 3) -> list[Candidate]:
    """Up to `limit` likely 1D code regions, strongest first."""
    small = cv2.resize(gray, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA).astype(np.float32)
    gx = cv2.Sobel(small, cv2.CV_32F, 1, 0)
    gy = cv2.Sobel(small, cv2.CV_32F, 0, 1)
    # Tensor averaged over 8x8-pixel cells of the frame (area resize = box filter + decimation, cheap),
    # then over 3x3 cells: a code is many cells, a label edge or a text stroke a thin line of them.
    cells = (max(gray.shape[1] // _CELL, 1), max(gray.shape[0] // _CELL, 1))
    jxx, jyy, jxy = (cv2.blur(cv2.resize(a, cells, interpolation=cv2.INTER_AREA), (3, 3))
                     for a in (gx * gx, gy * gy, gx * gy))
    diff = jxx - jyy
    anisotropy = cv2.sqrt(diff * diff + 4 * jxy * jxy)
    median, top = np.percentile(anisotropy, [50, 99.5])
    # Relative to the frame's own texture, so low-contrast codes still stand out; coherence > 0.5 drops text.
    threshold = max(0.15 * top, 8 * median, 50.0)
    mask = ((anisotropy > threshold) & (anisotropy > 0.5 * (jxx + jyy))).astype(np.uint8)
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, _OPEN)
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, _CLOSE)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    # One pass over the label image scores every blob (a cluttered mat has hundreds of them).
    scores = np.bincount(labels.ravel(), weights=anisotropy.ravel(), minlength=count)
    blobs = sorted((k for k in range(1, count) if stats[k][4] >= 4), key=lambda k: -scores[k])
    size = (gray.shape[1], gray.shape[0])
    found = []
    for k in blobs[:limit]:
        x, y, w, h, _ = stats[k]
        ys, xs = np.nonzero(labels[y : y + h, x : x + w] == k)
        cell = np.stack([xs + x, ys + y], axis=1).astype(np.float32) * _CELL
        # Each cell contributes its four corners, so the blob's rectangle covers the cells, not their centres.
        points = np.concatenate([cell, cell + np.float32([_CELL, 0]), cell + np.float32([0, _CELL]),
                                 cell + _CELL])
        matrix, crop_size = _upright(points, _bar_direction(gray, points), size)
        found.append(Candidate(matrix, crop_size, float(scores[k])))
    return found
