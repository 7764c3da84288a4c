"""Find 1D barcode regions a whole-frame decode missed, and cut each one out upright for a second try.

Bars are the one thing on a bench mat whose gradients are strong *and* all point the same way, so candidate
regions are blobs of high anisotropic gradient energy (structure tensor, computed on 8x8-pixel cells). A blob
is split where it holds two bar directions (a code beside look-alike bars) and joined with the collinear
pieces of the same code; each is cut out along its long side so that a horizontal scan line crosses every bar
even when the code is rotated or the label is held at an angle (what zxing's own 0°/90° scan lines miss).
"""

from __future__ import annotations

import itertools
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


def _bar_direction(gray: np.ndarray, points: np.ndarray, near: float) -> float:
    """Dominant gradient direction (radians, 0..pi) in the blob's box at full resolution: the mode of a
    magnitude-weighted histogram, which label edges and printed text cannot drag off the way a mean can;
    within 15° of the direction its cells found (`near`), which other bars in the box cannot drag off."""
    x0, y0 = np.maximum(points.min(axis=0).astype(int), 0)
    x1, y1 = points.max(axis=0).astype(int) + 1
    roi = gray[y0:y1, x0:x1]
    shrink = int(math.sqrt(roi.size / 60_000))  # a big region is a big code: its bars survive downscaling
    if shrink > 1:
        roi = cv2.resize(roi, None, fx=1 / shrink, fy=1 / shrink, interpolation=cv2.INTER_AREA)
    gx = cv2.Sobel(roi, cv2.CV_32F, 1, 0)
    gy = cv2.Sobel(roi, cv2.CV_32F, 0, 1)
    # OpenCV's phase and products are several times faster than numpy's arctan2 and ufuncs on the same pixels.
    bins = (cv2.phase(gx, gy, angleInDegrees=True) * 0.5).astype(np.int32).ravel() % 90
    hist = np.bincount(bins, weights=cv2.add(cv2.multiply(gx, gx), cv2.multiply(gy, gy)).ravel(), minlength=90)
    hist = hist + np.roll(hist, 1) + np.roll(hist, -1)
    centre = int(near / math.pi * 90)
    window = np.arange(centre - 7, centre + 8) % 90
    peak = int(window[np.argmax(hist[window])])
    # Parabola through the peak bin and its neighbours: a long code needs better than the 2° bins.
    before, at, after = hist[peak - 1], hist[peak], hist[(peak + 1) % 90]
    curve = before - 2 * at + after
    offset = 0.5 * (before - after) / curve if curve < 0 else 0.0
    return (peak + 0.5 + offset) * math.pi / 90


def _axes(points: np.ndarray, direction: float) -> list[float]:
    """The directions to cut the blob along, likeliest first: its rectangle's side closest to the bar
    direction (on a steeply tilted label the bars lean up to ~20° off square to the code, and only the
    code's own axis crosses them all), square to the bars when that side is more than 25° off (the blob took
    in something else: label text, a finger), and both when they differ by a few degrees (a blob longer than
    its code turns its rectangle by that much: field-b, a tall ITF)."""
    (_, _), (_, _), rect_deg = cv2.minAreaRect(points)
    axis = math.radians(rect_deg)
    if _turn(axis + math.pi / 2, direction) < _turn(axis, direction):
        axis += math.pi / 2
    off = _turn(axis, direction)
    if off > math.radians(25):
        return [direction]
    return [axis] if off < math.radians(4) else [axis, direction]


def _upright(points: np.ndarray, axis: float, frame_size: tuple[int, int]) -> tuple[np.ndarray, tuple]:
    """The crop of the blob along `axis`, with quiet-zone margins."""
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


@dataclass(frozen=True)
class Regions:
    """Where a frame's gradients point at codes: likely 1D codes (upright crops, strongest first) and the
    boxes (x0, y0, x1, y1, frame pixels) of likely 2D codes."""

    linear: list[Candidate]
    matrix: list[tuple[int, int, int, int]]


def candidates(gray: np.ndarray, limit: int = 3) -> list[Candidate]:
    """Up to `limit` likely 1D code regions, strongest first."""
    return regions(gray, limit, 0).linear


def regions(gray: np.ndarray, linear_limit: int = 3, matrix_limit: int = 2) -> Regions:
    """Up to `linear_limit` likely 1D and `matrix_limit` likely 2D code regions, from one gradient tensor."""
    field = gradients(gray)
    return Regions(linear_regions(gray, field, linear_limit), matrix_regions(field, matrix_limit))


@dataclass(frozen=True)
class Gradients:
    """The frame's gradient structure tensor on 8x8-pixel cells: how strongly its gradients point one way
    (anisotropy), how strong they are (energy), and which way (orientation, radians 0..pi)."""

    anisotropy: np.ndarray
    energy: np.ndarray
    orientation: np.ndarray


def gradients(gray: np.ndarray) -> Gradients:
    """The tensor both kinds of region are found from (the decoder runs it and the two searches as separate
    steps of its per-frame work)."""
    small = cv2.resize(gray, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA).astype(np.float32)
    gx = cv2.Sobel(small, cv2.CV_32F, 1, 0)
    gy = cv2.Sobel(small, cv2.CV_32F, 0, 1)
    # Tensor averaged over 8x8-pixel cells of the frame (area resize = box filter + decimation, cheap),
    # then over 3x3 cells: a code is many cells, a label edge or a text stroke a thin line of them.
    cells = (max(gray.shape[1] // _CELL, 1), max(gray.shape[0] // _CELL, 1))
    jxx, jyy, jxy = (cv2.blur(cv2.resize(cv2.multiply(a, b), cells, interpolation=cv2.INTER_AREA), (3, 3))
                     for a, b in ((gx, gx), (gy, gy), (gx, gy)))
    diff = jxx - jyy
    return Gradients(cv2.sqrt(diff * diff + 4 * jxy * jxy), jxx + jyy, 0.5 * cv2.phase(diff, 2 * jxy))


def _blobs(strength: np.ndarray, keep: np.ndarray) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
    """Connected blobs of the cells that `keep` and whose `strength` stands out of the frame's own texture
    (so low-contrast codes still do): count, labels, stats and each blob's summed strength."""
    median, top = np.percentile(strength, [50, 99.5])
    threshold = max(0.15 * top, 8 * median, 50.0)
    mask = ((strength > threshold) & keep).astype(np.uint8)
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, _OPEN)
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, _CLOSE)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    # One pass over the label image scores every blob (a cluttered mat has hundreds of them).
    return count, labels, stats, np.bincount(labels.ravel(), weights=strength.ravel(), minlength=count)


def linear_regions(gray: np.ndarray, field: Gradients, limit: int) -> list[Candidate]:
    """Up to `limit` likely 1D codes of the frame `field` was taken from, cut upright, strongest first."""
    if limit <= 0:
        return []
    anisotropy, orientation = field.anisotropy, field.orientation
    # Coherence > 0.5 drops text.
    count, labels, stats, scores = _blobs(anisotropy, anisotropy > 0.5 * field.energy)
    # A small code's thin bars fade at half size, which can split it in two blobs, and a code beside look-alike
    # bars (a vent, a printed pattern) joins them in one: more blobs are looked at than kept, each is split by
    # bar direction and pieces of one code are joined.
    blobs = sorted((k for k in range(1, count) if stats[k][4] >= 4), key=lambda k: -scores[k])[:2 * limit]
    pieces = [piece for k in blobs for piece in _split_by_direction(labels, stats[k], k, anisotropy, orientation)]
    size = (gray.shape[1], gray.shape[0])
    first, second = [], []  # the likeliest cut of each blob, then the other cuts
    for blob in sorted(_join_collinear(pieces), key=lambda b: -b.score)[:limit]:
        axes = _axes(blob.points, _bar_direction(gray, blob.points, blob.direction))
        first.append(Candidate(*_upright(blob.points, axes[0], size), blob.score))
        second += [Candidate(*_upright(blob.points, axis, size), blob.score) for axis in axes[1:]]
    return first + second


def matrix_regions(field: Gradients, limit: int) -> list[tuple[int, int, int, int]]:
    """Up to `limit` likely 2D codes (boxes in frame pixels): strong gradients in every direction (coherence
    < 0.5) over a compact, squarish blob of at least 6 cells (a DataMatrix is at most ~6 times as long as
    high)."""
    if limit <= 0:
        return []
    count, labels, stats, scores = _blobs(field.energy, field.anisotropy < 0.5 * field.energy)
    found = []
    for k in sorted(range(1, count), key=lambda k: -scores[k]):
        x, y, w, h, area = stats[k]
        if area >= 6 and max(w, h) <= 4 * min(w, h) and area >= 0.3 * w * h:
            found.append((int(x * _CELL), int(y * _CELL), int((x + w) * _CELL), int((y + h) * _CELL)))
            if len(found) == limit:
                break
    return found


@dataclass(frozen=True)
class _Blob:
    points: np.ndarray  # corners of its cells, frame pixels
    direction: float  # the commonest gradient direction of its cells (radians, 0..pi)
    score: float


_DIRECTION_BINS = 36  # 5° each


def _split_by_direction(labels: np.ndarray, stat: np.ndarray, k: int, weight: np.ndarray,
                        orientation: np.ndarray) -> list[_Blob]:
    """The blob, or its two parts when a second bar direction holds a good share of it (a code and the
    look-alike bars beside it)."""
    x, y, w, h, _ = stat
    ys, xs = np.nonzero(labels[y : y + h, x : x + w] == k)
    ys, xs = ys + y, xs + x
    theta, mass = orientation[ys, xs], weight[ys, xs]
    hist = np.bincount((theta / math.pi * _DIRECTION_BINS).astype(int) % _DIRECTION_BINS, weights=mass,
                       minlength=_DIRECTION_BINS)
    hist = hist + np.roll(hist, 1) + np.roll(hist, -1)
    peaks = [int(np.argmax(hist))]
    apart = np.abs((np.arange(_DIRECTION_BINS) - peaks[0] + _DIRECTION_BINS // 2) % _DIRECTION_BINS
                   - _DIRECTION_BINS // 2) > 4  # over 20° from the main direction
    if apart.any() and hist[apart].max() >= 0.3 * hist[peaks[0]]:
        peaks.append(int(np.flatnonzero(apart)[np.argmax(hist[apart])]))
    angles = [(p + 0.5) * math.pi / _DIRECTION_BINS for p in peaks]
    nearest = np.argmin([_turn(theta, a) for a in angles], axis=0)
    parts = []
    for index, angle in enumerate(angles):
        mine = nearest == index
        if mine.sum() >= 4:
            parts.append(_Blob(_corners(xs[mine], ys[mine]), angle, float(mass[mine].sum())))
    return parts


def _turn(a: np.ndarray | float, b: float) -> np.ndarray | float:
    """The angle between two undirected directions (radians, 0..pi/2)."""
    d = np.abs(a - b) % math.pi
    return np.minimum(d, math.pi - d)


def _corners(xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    cell = np.stack([xs, ys], axis=1).astype(np.float32) * _CELL
    # Each cell contributes its four corners, so the blob's rectangle covers the cells, not their centres.
    return np.concatenate([cell, cell + np.float32([_CELL, 0]), cell + np.float32([0, _CELL]), cell + _CELL])


def _join_collinear(blobs: list[_Blob]) -> list[_Blob]:
    """Blobs with the same bar direction that lie end to end across the bars (their spans along the bars
    overlap, the gap between them is shorter than the bars) are one code."""
    blobs = list(blobs)
    pair = _collinear_pair(blobs)
    while pair is not None:
        a, b = blobs[pair[0]], blobs[pair[1]]
        blobs[pair[0]] = _Blob(np.concatenate([a.points, b.points]),
                               a.direction if a.score >= b.score else b.direction, a.score + b.score)
        del blobs[pair[1]]
        pair = _collinear_pair(blobs)
    return blobs


def _collinear_pair(blobs: list[_Blob]) -> tuple[int, int] | None:
    for i, j in itertools.combinations(range(len(blobs)), 2):
        a, b = blobs[i], blobs[j]
        if _turn(a.direction, b.direction) > math.radians(10):
            continue
        axis = np.float32([math.cos(a.direction), math.sin(a.direction)])
        across = np.float32([-axis[1], axis[0]])
        ua, ub, va, vb = a.points @ axis, b.points @ axis, a.points @ across, b.points @ across
        height = min(va.max() - va.min(), vb.max() - vb.min())
        overlap = min(va.max(), vb.max()) - max(va.min(), vb.min())
        gap = max(ub.min() - ua.max(), ua.min() - ub.max())
        if overlap >= 0.5 * height and gap <= height:
            return i, j
    return None
