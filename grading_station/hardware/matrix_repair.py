"""DataMatrix whose finder pattern zxing cannot trace (a finger over its edge, a smeared corner): the symbol's
outline is taken from the binarised region, its module grid is placed on it (the size and turn whose border
looks most like the solid L and the dotted timing edges, the corners then moved to fit that border best),
the modules are sampled, the border is redrawn clean, and zxing reads the clean grid. The modules under the
finger come out wrong; DataMatrix's Reed-Solomon code corrects them or zxing reads nothing, so a repaired
grid never yields a half-read text.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import cv2
import numpy as np
import zxingcpp

_SQUARE = (10, 12, 14, 16, 18, 20, 22, 24, 26, 32, 36, 40, 44, 48, 52, 64)
_RECTANGULAR = ((8, 18), (8, 32), (12, 26), (12, 36), (16, 36), (16, 48),  # ISO 16022
                (8, 48), (8, 64), (8, 80), (8, 96), (8, 120), (8, 144), (12, 64), (12, 88), (16, 64),  # DMRE,
                (20, 36), (20, 44), (20, 64), (22, 48), (24, 48), (24, 64), (26, 40), (26, 48), (26, 64))  # zxing's
_SIZES = tuple((n, n) for n in _SQUARE) + _RECTANGULAR  # (rows, columns)
_MODULE_PX = (1.5, 12.0)
_SCALE = 4  # pixels per module of the clean grid zxing reads
_QUIET = 2  # modules of quiet zone around it
MIN_BORDER_MATCH = 0.74  # share of border modules as dark or light as the symbology wants them


@dataclass(frozen=True)
class Grid:
    """A module grid placed on the region: `rows` x `columns` modules, `corners` the region points of the
    grid's corners (top left, top right, bottom right, bottom left of the upright symbol: L on the left and
    at the bottom)."""

    rows: int
    columns: int
    corners: np.ndarray

    def homography(self) -> np.ndarray:
        return _homographies(self.corners[None], self.rows, self.columns)[0]


def read_datamatrix(region: np.ndarray) -> list[tuple[zxingcpp.Barcode, np.ndarray]]:
    """What zxing reads on the repaired grid of the DataMatrix nearest the middle of `region` (grayscale),
    with the homography from the clean image zxing read to `region`."""
    outline = _outline(region)
    if outline is None:
        return []
    for grid in _grids(region, outline)[:2]:  # already in order: a weak border is no DataMatrix
        for candidate in (_fit_border(region, grid), grid):
            found = _read_clean(region, candidate)
            if found:
                return found
    return []


def _outline(region: np.ndarray) -> np.ndarray | None:
    """The four corners of the dark blob nearest the middle once its modules are closed into one: the sides
    are lines fitted to the blob's edge (a finger bites a corner off the blob, not off the lines)."""
    dark = cv2.threshold(cv2.GaussianBlur(region, (3, 3), 0), 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)[1]
    height, width = region.shape
    kernel = int(np.clip(round(0.06 * min(height, width)), 3, 9)) | 1  # ~a module: the region is ~20 modules
    closed = cv2.morphologyEx(dark, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (kernel, kernel)))
    contours, _ = cv2.findContours(closed, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    best, best_score = None, 0.0
    for contour in contours:
        area = cv2.contourArea(contour)
        (cx, cy), (w, h), _ = rect = cv2.minAreaRect(contour)
        if area < 100 or area < 0.7 * w * h:
            continue
        score = area * (1 - np.hypot(cx - width / 2, cy - height / 2) / max(width, height))
        if score > best_score:
            best, best_score = (contour, rect), score
    if best is None:
        return None
    contour, rect = best
    points = contour.reshape(-1, 2).astype(np.float32)
    box = cv2.boxPoints(rect)
    lines = [_side(points, box[k], box[(k + 1) % 4]) for k in range(4)]
    corners = [_crossing(lines[k - 1], lines[k]) for k in range(4)]
    if any(c is None for c in corners):
        return box
    return np.float32(corners)


def _side(points: np.ndarray, start: np.ndarray, end: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A line through the edge points along one side of the blob's rectangle, refitted to the points within
    1.5 px of it (the finger's arc drops out)."""
    length = float(np.linalg.norm(end - start))
    along_unit = (end - start) / length
    along = (points - start) @ along_unit
    inside = (along > 0.05 * length) & (along < 0.95 * length)
    chosen = inside & (np.abs((points - start) @ np.float32([-along_unit[1], along_unit[0]])) < 0.08 * length + 2)
    base, direction = start, along_unit
    for _ in range(3):
        if chosen.sum() < 6:
            break
        vx, vy, x0, y0 = cv2.fitLine(points[chosen], cv2.DIST_L2, 0, 0.01, 0.01).ravel()
        base, direction = np.float32([x0, y0]), np.float32([vx, vy])
        chosen = inside & (np.abs((points - base) @ np.float32([-vy, vx])) < 1.5)
    return base, direction


def _crossing(a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray]) -> np.ndarray | None:
    (p, u), (q, v) = a, b
    matrix = np.array([u, -v], np.float64).T
    if abs(np.linalg.det(matrix)) < 1e-6:
        return None
    t = np.linalg.solve(matrix, (q - p).astype(np.float64))
    return (p + t[0] * u).astype(np.float32)


@functools.cache
def _border(rows: int, columns: int) -> tuple[np.ndarray, np.ndarray]:
    """The border modules (row, column) of an upright symbol and whether each is dark: the solid L on the
    left and at the bottom, the timing edges at the top (dark on even columns) and on the right (dark on
    odd rows)."""
    cells, dark = [], []
    for c in range(columns):
        cells += [(0, c), (rows - 1, c)]
        dark += [c % 2 == 0, True]
    for r in range(1, rows - 1):
        cells += [(r, 0), (r, columns - 1)]
        dark += [True, r % 2 == 1]
    cells_array, dark_array = np.array(cells), np.array(dark)
    cells_array.flags.writeable = dark_array.flags.writeable = False  # shared by every call
    return cells_array, dark_array


def _homographies(corners: np.ndarray, rows: int, columns: int) -> np.ndarray:
    """Module coordinates (x = column, y = row, corners at 0 and the size) -> region, one per corner set
    (n, 4, 2): the four-point equations of all of them solved at once."""
    grid = np.float64([[0, 0], [columns, 0], [columns, rows], [0, rows]])
    u, v = corners[..., 0].astype(np.float64), corners[..., 1].astype(np.float64)  # (n, 4)
    x, y = grid[:, 0], grid[:, 1]
    n = len(corners)
    a = np.zeros((n, 8, 8))
    a[:, 0::2, 0], a[:, 0::2, 1], a[:, 0::2, 2] = x, y, 1
    a[:, 1::2, 3], a[:, 1::2, 4], a[:, 1::2, 5] = x, y, 1
    a[:, 0::2, 6], a[:, 0::2, 7] = -u * x, -u * y
    a[:, 1::2, 6], a[:, 1::2, 7] = -v * x, -v * y
    b = np.stack([u, v], axis=2).reshape(n, 8)
    h = np.linalg.solve(a, b[..., None])[..., 0]
    return np.concatenate([h, np.ones((n, 1))], axis=1).reshape(n, 3, 3)


def _sample(region: np.ndarray, homographies: np.ndarray, cells: np.ndarray, spread: float = 0.0) -> np.ndarray:
    """Grey levels at the centres of `cells` (row, column) for each homography (n, len(cells)); with
    `spread`, the mean of the centre and four points that far from it (modules)."""
    offsets = [(0.0, 0.0)] + ([(-spread, -spread), (spread, -spread), (-spread, spread), (spread, spread)]
                              if spread else [])
    total = 0.0
    for dx, dy in offsets:
        modules = np.stack([cells[:, 1] + 0.5 + dx, cells[:, 0] + 0.5 + dy, np.ones(len(cells))]).astype(np.float32)
        mapped = homographies @ modules  # (n, 3, cells)
        x, y = mapped[:, 0] / mapped[:, 2], mapped[:, 1] / mapped[:, 2]
        total = total + cv2.remap(region, x.astype(np.float32), y.astype(np.float32), cv2.INTER_LINEAR,
                                  borderMode=cv2.BORDER_REPLICATE).astype(np.float32)
    return total / len(offsets)


def _grids(region: np.ndarray, outline: np.ndarray) -> list[Grid]:
    """Every symbol size and turn that fits the outline's proportions and whose border matches the ideal one
    well enough (field corpora: the right grid's >= 0.78 with a finger over it), best match first."""
    scored = []
    for turn in range(4):
        corners = np.roll(outline, -turn, axis=0)
        width = (np.linalg.norm(corners[1] - corners[0]) + np.linalg.norm(corners[2] - corners[3])) / 2
        height = (np.linalg.norm(corners[3] - corners[0]) + np.linalg.norm(corners[2] - corners[1])) / 2
        if min(width, height) < 8:
            return []
        for rows, columns in _SIZES:
            module = width / columns
            if not _MODULE_PX[0] <= module <= _MODULE_PX[1] or not 0.78 < module * rows / height < 1.28:
                continue
            cells, dark = _border(rows, columns)
            values = _sample(region, _homographies(corners[None], rows, columns), cells)[0]
            threshold = (values[dark].mean() + values[~dark].mean()) / 2
            match = float(((values < threshold) == dark).mean())
            if match >= MIN_BORDER_MATCH:
                scored.append((match, Grid(rows, columns, corners)))
    return [grid for _, grid in sorted(scored, key=lambda s: -s[0])]


def _border_match(region: np.ndarray, corners: np.ndarray, rows: int, columns: int) -> np.ndarray:
    """How well the border sampled with each corner set correlates with the ideal border (n,)."""
    cells, dark = _border(rows, columns)
    values = _sample(region, _homographies(corners, rows, columns), cells)
    values = values - values.mean(axis=1, keepdims=True)
    ideal = np.where(dark, -1.0, 1.0) - np.where(dark, -1.0, 1.0).mean()
    return values @ ideal / (np.linalg.norm(values, axis=1) * np.linalg.norm(ideal) + 1e-6)


def _fit_border(region: np.ndarray, grid: Grid) -> Grid:
    """The grid with each corner moved (up to 0.6 module, twice round) where the border fits best: the
    outline's corner under a finger or a smear is only a guess."""
    corners = grid.corners.copy()
    module = float(np.linalg.norm(corners[1] - corners[0])) / grid.columns
    steps = np.linspace(-0.6, 0.6, 5) * module
    moves = np.array([(dx, dy) for dx in steps for dy in steps], np.float32)
    for _ in range(2):
        for k in range(4):
            trials = np.repeat(corners[None], len(moves), axis=0)
            trials[:, k] += moves
            corners = trials[int(np.argmax(_border_match(region, trials, grid.rows, grid.columns)))]
    return Grid(grid.rows, grid.columns, corners)


def _read_clean(region: np.ndarray, grid: Grid) -> list[tuple[zxingcpp.Barcode, np.ndarray]]:
    rows, columns = grid.rows, grid.columns
    cells = np.indices((rows, columns)).reshape(2, -1).T
    homography = grid.homography()
    values = _sample(region, homography[None], cells, spread=0.2)[0]
    border, dark = _border(rows, columns)
    ring = _sample(region, homography[None], border)[0]
    threshold = (ring[dark].mean() + ring[~dark].mean()) / 2
    modules = (values < threshold).reshape(rows, columns)
    modules[border[:, 0], border[:, 1]] = dark
    clean = np.pad(np.where(modules, 0, 255).astype(np.uint8), _QUIET, constant_values=255)
    clean = cv2.resize(clean, None, fx=_SCALE, fy=_SCALE, interpolation=cv2.INTER_NEAREST)
    results = zxingcpp.read_barcodes(clean, formats=zxingcpp.BarcodeFormat.DataMatrix, try_rotate=False,
                                     try_invert=False, try_downscale=False, text_mode=zxingcpp.TextMode.Plain)
    # clean image pixels -> module coordinates -> region
    to_modules = np.float64([[1 / _SCALE, 0, -_QUIET], [0, 1 / _SCALE, -_QUIET], [0, 0, 1]])
    return [(result, homography @ to_modules) for result in results]
