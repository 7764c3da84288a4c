"""EAN-13 / UPC-A read off the grey-level profile of a small code (about 1.2-2.5 px per module), where zxing and
zbar, which binarise each scan line first, lose the one-module bars.

The code's rows are averaged into one profile (noise falls with the bar height); its 95 modules are placed on
the profile by a search over start, module width and perspective that best explains every digit slot; each
digit is then the one whose pattern, blurred like the camera blurs, correlates best with its slot. The edge
modules of every digit are fixed by the symbology (left digits start with a space and end with a bar, right
digits the other way round), so each slot is compared with its neighbours known. A read is kept only when
every digit wins clearly, the left half's parities name a first digit and the check digit holds.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

_L = ("0001101", "0011001", "0010011", "0111101", "0100011", "0110001", "0101111", "0111011", "0110111",
      "0001011")
_R = tuple("".join("1" if c == "0" else "0" for c in p) for p in _L)
_G = tuple(p[::-1] for p in _R)
_PARITY = ("LLLLLL", "LLGLGG", "LLGGLG", "LLGGGL", "LGLLGG", "LGGLLG", "LGGGLL", "LGLGLG", "LGLGGL", "LGGLGL")
_MODULES = 95
_SAMPLES = 3  # per module
# Slot windows: the digit's 7 modules and the known module on each side.
_SLOT_STARTS = np.array([3 + 7 * i for i in range(6)] + [50 + 7 * i for i in range(6)], np.float32)
_OFFSETS = (np.arange(9 * _SAMPLES) + 0.5) / _SAMPLES - 1
_U = (_SLOT_STARTS[:, None] + _OFFSETS[None, :]).ravel()
_SIGMAS = (0.4, 0.6, 0.8)  # camera blur in modules
# Decision thresholds (field corpora: right digits win by >= 0.1 and correlate >= 0.75; the one wrong digit
# that reached the check digit won by 0.013).
MIN_CORRELATION = 0.65
MIN_MARGIN = 0.06
MODULE_PX = (1.0, 2.6)  # larger modules are zxing's and zbar's


def _blurred(bits: list[float], offsets: np.ndarray, sigma: float) -> np.ndarray:
    """Modules `bits` (1 = bar; two unknown 0.5 modules padded each side) blurred by `sigma` modules and
    sampled at `offsets` (modules from the first bit); zero-mean, unit-norm, bars negative (dark)."""
    fine = 16
    kernel = cv2.getGaussianKernel(int(6 * sigma * fine) | 1, sigma * fine).ravel()
    signal = -np.convolve(np.repeat(np.array([0.5, 0.5, *bits, 0.5, 0.5], np.float32), fine), kernel, mode="same")
    t = signal[((offsets + 2) * fine).astype(int)]
    t = t - t.mean()
    return t / np.linalg.norm(t)


def _templates(patterns: tuple[str, ...], before: int, after: int, sigma: float) -> np.ndarray:
    """Each digit pattern between its known neighbours, sampled like a slot."""
    return np.array([_blurred([before, *map(int, p), after], _OFFSETS + 1, sigma) for p in patterns])


# The guards with the modules the symbology fixes around them (quiet zone, a digit's first or last module):
# (first module, bits). They pin the code's ends and middle, which the digits alone do not (a left half
# read one module off spelt other valid digits, field-c).
_GUARDS = ((-2, "001010"), (44, "1010101"), (91, "010100"))
_GUARD_U = [first + (np.arange(len(bits) * _SAMPLES) + 0.5) / _SAMPLES for first, bits in _GUARDS]
_GUARD_TEMPLATES = {s: [_blurred([int(c) for c in bits], u - first, s) for (first, bits), u
                        in zip(_GUARDS, _GUARD_U, strict=True)] for s in _SIGMAS}
_GUARD_U_ALL = np.concatenate(_GUARD_U)
MIN_GUARD = 0.8


# Left slots hold L or G digits read forwards and G digits (reversed R) read backwards; right slots hold R
# digits forwards and reversed L or R (reversed G) backwards: one search serves both reading directions.
_LEFT = {s: _templates(_L + _G, 1, 0, s) for s in _SIGMAS}
_RIGHT = {s: _templates(_R, 0, 1, s) for s in _SIGMAS}
_RIGHT_BACK = {s: _templates(tuple(p[::-1] for p in _L), 0, 1, s) for s in _SIGMAS}


@dataclass(frozen=True)
class ProfileRead:
    """A read: the 13 digits and where the code lies in the crop (x from start to end, the rows averaged)."""

    text: str
    x: tuple[float, float]
    rows: tuple[int, int]


def read_ean(crop: np.ndarray) -> list[ProfileRead]:
    """The EAN-13/UPC-A codes (UPC-A as its GTIN-13) an upright crop holds at small module sizes."""
    profile, rows = _profile(crop)
    found = []
    for start, end in _segments(profile):
        fit = _fit(profile, start, end)
        if fit is None:
            continue
        samples = _sample(profile, *fit)
        x0, m = fit[0], fit[1]
        for row in (samples, samples[::-1]):  # a code upside down in the crop reads backwards
            text = _digits(row, fit[3])
            if text:
                found.append(ProfileRead(text, (x0, x0 + _MODULES * m), rows))
    return found


def _profile(crop: np.ndarray) -> tuple[np.ndarray, tuple[int, int]]:
    """The mean of the rows the bars cross (the longest run of rows busy with vertical edges, less its ends),
    each row shifted so that slanted bars (a tilted label) line up."""
    image = crop.astype(np.float32)
    energy = np.abs(cv2.Sobel(image, cv2.CV_32F, 1, 0, ksize=3)).sum(axis=1)
    energy = np.convolve(energy, np.ones(5, np.float32) / 5, mode="same")
    busy = energy > 0.5 * energy.max()
    top = bottom = int(np.argmax(energy))
    while top > 0 and busy[top - 1]:
        top -= 1
    while bottom < len(busy) - 1 and busy[bottom + 1]:
        bottom += 1
    trim = (bottom - top + 1) // 8
    top, bottom = top + trim, bottom - trim
    band = image[top : bottom + 1]
    half = band.shape[0] // 2
    if half >= 2:
        upper, lower = np.diff(band[:half].mean(axis=0)), np.diff(band[half:].mean(axis=0))
        shifts = range(-4, 5)
        match = [float(upper[max(s, 0) : len(upper) + min(s, 0)] @ lower[max(-s, 0) : len(lower) + min(-s, 0)])
                 for s in shifts]
        slope = shifts[int(np.argmax(match))] / half
        if slope:
            shear = np.float32([[1, slope, -slope * band.shape[0] / 2], [0, 1, 0]])
            band = cv2.warpAffine(band, shear, (band.shape[1], band.shape[0]),
                                  flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP, borderMode=cv2.BORDER_REPLICATE)
    return band.mean(axis=0), (top, bottom)


def _segments(profile: np.ndarray) -> list[tuple[float, float]]:
    """Runs of the profile busy with edges, split at light gaps wider than a digit's widest space, alone or
    joined with their neighbours across short gaps (blur washes out the one-module bars of the middle
    guard), whose length fits 95 modules of `MODULE_PX`; their ends moved in by the blur's spread (~3 px on
    the field corpora's reads). The two longest: a crop holds one code."""
    step = np.abs(np.diff(profile))
    envelope = np.maximum(np.maximum(step[:-2], step[1:-1]), step[2:])
    busy = np.flatnonzero(envelope > 0.2 * np.percentile(envelope, 98)) + 1
    if len(busy) == 0:
        return []
    breaks = np.flatnonzero(np.diff(busy) > 6)
    starts = np.concatenate([busy[:1], busy[breaks + 1]])
    ends = np.concatenate([busy[breaks], busy[-1:]]) + 1
    lo, hi = (_MODULES * m for m in MODULE_PX)
    spans = set()
    for first in range(len(starts)):
        for last in range(first, min(first + 3, len(starts))):
            if last > first and starts[last] - ends[last - 1] > 12:
                break
            if lo <= ends[last] - starts[first] - 6 <= hi:
                spans.add((float(starts[first]) + 3.0, float(ends[last]) - 3.0))
    return sorted(spans, key=lambda r: r[0] - r[1])[:2]


def _positions(x0: np.ndarray, m: np.ndarray, q: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Profile x of module coordinate u for each geometry: start, module width, perspective bend."""
    return x0[:, None] + m[:, None] * u + q[:, None] * u * (u - _MODULES)


def _normalised(v: np.ndarray) -> np.ndarray:
    v = v - v.mean(axis=-1, keepdims=True)
    return v / (np.linalg.norm(v, axis=-1, keepdims=True) + 1e-6)


def _objective(profile: np.ndarray, x0: np.ndarray, m: np.ndarray, q: np.ndarray, sigma: float) -> np.ndarray:
    """How well each geometry explains the code: every slot's best digit (either reading direction) and the
    three guards, which count double."""
    at = np.arange(len(profile), dtype=np.float32)
    slots = _normalised(np.interp(_positions(x0, m, q, _U), at, profile).reshape(len(x0), 12, -1))
    guards = np.interp(_positions(x0, m, q, _GUARD_U_ALL), at, profile)
    guard_score = 0.0
    for template in _GUARD_TEMPLATES[sigma]:
        part, guards = guards[:, : len(template)], guards[:, len(template) :]
        guard_score = guard_score + _normalised(part) @ template
    left = (slots[:, :6] @ _LEFT[sigma].T).max(axis=2)
    right = np.maximum((slots[:, 6:] @ _RIGHT[sigma].T).max(axis=2), (slots[:, 6:] @ _RIGHT_BACK[sigma].T).max(axis=2))
    return left.sum(axis=1) + right.sum(axis=1) + 2 * guard_score


def _fit(profile: np.ndarray, start: float, end: float) -> tuple[float, float, float, float] | None:
    """(x0, module width, perspective, blur) that best explain the slots: both ends searched over ±2.5 px,
    then finer with each blur, then the perspective term."""
    best = (-np.inf, start, (end - start) / _MODULES, 0.0, _SIGMAS[1])
    for step, span, sigmas in ((0.5, 2.5, _SIGMAS[1:2]), (0.125, 0.375, _SIGMAS)):
        offsets = np.arange(-span, span + 1e-6, step, dtype=np.float32)
        x0, x1 = (a.ravel() for a in np.meshgrid(best[1] + offsets, best[1] + _MODULES * best[2] + offsets))
        m = (x1 - x0) / _MODULES
        for sigma in sigmas:
            score = _objective(profile, x0, m, np.zeros_like(m), sigma)
            k = int(np.argmax(score))
            if score[k] > best[0]:
                best = (float(score[k]), float(x0[k]), float(m[k]), 0.0, sigma)
    _, x0, m, _, sigma = best
    bend = np.linspace(-4e-4, 4e-4, 9, dtype=np.float32) * m  # modules up to ~4 % wider at one end
    shift = np.float32([-0.25, 0.0, 0.25])
    grid_x, grid_q = (a.ravel() for a in np.meshgrid(x0 + shift, bend))
    score = _objective(profile, grid_x, np.full_like(grid_x, m), grid_q, sigma)
    k = int(np.argmax(score))
    if score[k] > best[0]:
        best = (float(score[k]), float(grid_x[k]), m, float(grid_q[k]), sigma)
    if not MODULE_PX[0] <= best[2] <= MODULE_PX[1]:
        return None
    return best[1], best[2], best[3], best[4]


def _sample(profile: np.ndarray, x0: float, m: float, q: float, sigma: float) -> np.ndarray:
    """The profile at _SAMPLES points per module over modules -2..97 (two modules of quiet zone each side)."""
    u = np.arange(-2, _MODULES + 2, 1 / _SAMPLES, dtype=np.float32) + 0.5 / _SAMPLES
    return np.interp(x0 + m * u + q * u * (u - _MODULES), np.arange(len(profile), dtype=np.float32), profile)


# Where _sample's points (from module -2) hold each slot (from its module -1) and each guard.
_SLOT_INDEX = (_SLOT_STARTS.astype(int)[:, None] + 1) * _SAMPLES + np.arange(9 * _SAMPLES)[None, :]
_GUARD_INDEX = [(first + 2) * _SAMPLES + np.arange(len(bits) * _SAMPLES) for first, bits in _GUARDS]


def _digits(samples: np.ndarray, sigma: float) -> str:
    """The 13 digits the module samples spell, or "" when a guard is off, a digit unsure or a check fails."""
    # The end guards only: the middle one's single modules fade under the blur of the smallest codes.
    ends = [float(_normalised(samples[_GUARD_INDEX[k]]) @ _GUARD_TEMPLATES[sigma][k]) for k in (0, 2)]
    if min(ends) < MIN_GUARD:
        return ""
    slots = _normalised(samples[_SLOT_INDEX])
    scores = np.vstack([slots[:6] @ _LEFT[sigma].T, np.pad(slots[6:] @ _RIGHT[sigma].T, ((0, 0), (0, 10)),
                                                          constant_values=-1)])
    order = np.argsort(scores, axis=1)[:, ::-1]
    best = scores[np.arange(12), order[:, 0]]
    margin = best - scores[np.arange(12), order[:, 1]]
    if best.min() < MIN_CORRELATION or margin.min() < MIN_MARGIN:
        return ""
    parity = "".join("G" if d >= 10 else "L" for d in order[:6, 0])
    if parity not in _PARITY:
        return ""
    text = str(_PARITY.index(parity)) + "".join(str(d % 10) for d in order[:, 0])
    total = sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(text[:12]))
    return text if (10 - total % 10) % 10 == int(text[12]) else ""
