"""Barcode decoding of one camera frame, cheapest pass first, stopping at the first pass that reads:
the last hit's region; the whole frame (zxing-cpp, all formats, no rotation); DataMatrix with zxing's
rotations at half size; upright crops of 1D candidates (zxing, sharpened, zbar, zbar on a 2x upscale of a
small crop); DataMatrix rotated at full size. Results are validated (decode_checks) so half-read codes never
come out.

Measured on bench/camera_corpus.py and the independently built bench/camera_corpus_field.py (see
bench/camera_decode.py): zxing-cpp restricted to the formats below and without inversion is ~5x faster than
zbar on a 1080p frame and the only one that reads DataMatrix, so it runs first; zbar only gets the small
upright crops, where it rescues blurred and small 1D codes zxing gives up on. OpenCV's BarcodeDetector as a
candidate source was slower and found fewer codes than localize.py on both corpora."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import cv2
import numpy as np
import zxingcpp
from pyzbar import pyzbar

from grading_station.hardware.decode_checks import GS, consistent, plausible
from grading_station.hardware.localize import Candidate, candidates

__all__ = ["GS", "LINEAR", "MATRIX", "FrameDecoder", "Symbol", "plausible", "read_zbar", "read_zxing"]

_F = zxingcpp.BarcodeFormat
LINEAR = (_F.Code128, _F.Code39, _F.EAN13, _F.EAN8, _F.UPCA, _F.UPCE, _F.ITF)
MATRIX = (_F.QRCode, _F.DataMatrix)
# zbar only rescues the long codes of device labels; its EAN-8/UPC-E reads of stripes are the likeliest
# false reads (8 digits, one check digit), so those stay with zxing.
_ZBAR_LINEAR = [pyzbar.ZBarSymbol.CODE128, pyzbar.ZBarSymbol.CODE39, pyzbar.ZBarSymbol.EAN13,
                pyzbar.ZBarSymbol.UPCA, pyzbar.ZBarSymbol.I25]
_ZBAR_NAMES = {"CODE128": "Code128", "CODE39": "Code39", "EAN13": "EAN13", "EAN8": "EAN8", "UPCA": "EAN13",
               "UPCE": "UPCE", "I25": "ITF", "QRCODE": "QRCode"}


@dataclass(frozen=True)
class Symbol:
    """One decoded code: its text (GS1 separators as GS, \\x1d), format name, whether it is a GS1 element
    string, and its four corners in frame pixels (for the preview overlay and the next frame's region)."""

    text: str
    format: str
    gs1: bool = False
    corners: tuple[tuple[float, float], ...] = field(default=(), compare=False)


def _from_zxing(result, to_frame=None) -> Symbol:
    p = result.position
    corners = np.array([[p.top_left.x, p.top_left.y], [p.top_right.x, p.top_right.y],
                        [p.bottom_right.x, p.bottom_right.y], [p.bottom_left.x, p.bottom_left.y]], np.float32)
    if to_frame is not None:
        corners = to_frame(corners)
    name = result.format.name
    text = result.text
    if name == "UPCA":  # zxing and zbar report UPC-A as the GTIN-13 they are; keep one spelling
        text, name = "0" + text, "EAN13"
    return Symbol(text, name, result.content_type == zxingcpp.ContentType.GS1,
                  tuple((float(x), float(y)) for x, y in corners))


def read_zxing(gray: np.ndarray, formats=LINEAR + MATRIX, *, rotate: bool = True, to_frame=None,
               downscale: bool = True) -> list[Symbol]:
    results = zxingcpp.read_barcodes(gray, formats=list(formats), try_rotate=rotate, try_invert=False,
                                     try_downscale=downscale, text_mode=zxingcpp.TextMode.Plain)
    return [_from_zxing(r, to_frame) for r in results]


def read_zbar(gray: np.ndarray, symbols=None, to_frame=None) -> list[Symbol]:
    found = []
    for r in pyzbar.decode(gray, symbols=symbols):
        if r.quality < 2:  # one scan line: a misread can pass Code 128's check (found on the field corpus)
            continue
        corners = np.array(r.polygon[:4] or [(r.rect.left, r.rect.top)], np.float32)
        if to_frame is not None:
            corners = to_frame(corners)
        name = _ZBAR_NAMES.get(r.type, r.type)
        text = r.data.decode("utf-8", "replace")
        if r.type == "UPCA":  # the same GTIN-13 spelling as zxing's
            text = "0" + text
        found.append(Symbol(text, name, False,
                            tuple((float(x), float(y)) for x, y in corners)))
    return found


_UPSCALE_MAX_PIXELS = 60_000  # beyond this the crop's modules are big enough, and zbar on 4x the area is slow


def _upscale(gray: np.ndarray) -> np.ndarray:
    return cv2.resize(gray, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)


def _sharpen(gray: np.ndarray) -> np.ndarray:
    return cv2.addWeighted(gray, 2.0, cv2.GaussianBlur(gray, (0, 0), 1.5), -1.0, 0)


@dataclass
class FrameDecoder:
    """Decodes frames one at a time, cheapest pass first; stops trying once `budget_ms` is spent so a
    hard frame never delays the next one by more than about one frame time (the camera keeps sending).

    Keeps the region of the last hit: while the label stays under the camera that small crop is read in a
    couple of milliseconds, and it holds every code of a multi-code box label (the next frames confirm them).
    """

    budget_ms: float = 24.0
    candidate_limit: int = 3
    use_zbar: bool = True
    # CPU time of the decode thread, not wall time: on a busy machine waiting for a core must not make the
    # decoder give up on passes it would have finished in time on an idle one.
    clock: object = time.thread_time
    _last_region: tuple[int, int, int, int] | None = None

    def decode(self, gray: np.ndarray) -> list[Symbol]:
        """The codes in a grayscale (or BGR) frame."""
        start = self.clock()
        if gray.ndim == 3:
            gray = cv2.cvtColor(gray, cv2.COLOR_BGR2GRAY)
        found = self._region_pass(gray)
        if not found:
            found = [s for s in read_zxing(gray, rotate=False) if plausible(s)]
        if not found:
            # zxing's DataMatrix detector misses many rotations unless it tries them (other formats do not
            # need it: the 1D candidates below cover turned bars). At half size it costs a third.
            half = cv2.resize(gray, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
            found = [s for s in read_zxing(half, (_F.DataMatrix,), to_frame=lambda p: p * 2) if plausible(s)]
        if not found:
            found = self._candidate_pass(gray, start)
        if not found and self._spent_ms(start) < self.budget_ms:
            # Small DataMatrix modules vanish at half size: the full-size rotated pass finds them.
            found = [s for s in read_zxing(gray, (_F.DataMatrix,), rotate=True, downscale=False)
                     if plausible(s)]
        found = consistent(_unique(found))
        self._remember(found, gray.shape)
        return found

    def _spent_ms(self, start: float) -> float:
        return (self.clock() - start) * 1000

    def _region_pass(self, gray: np.ndarray) -> list[Symbol]:
        if self._last_region is None:
            return []
        x0, y0, x1, y1 = self._last_region
        shift = lambda pts: pts + np.float32([x0, y0])  # noqa: E731
        return [s for s in read_zxing(gray[y0:y1, x0:x1], to_frame=shift) if plausible(s)]

    def _candidate_pass(self, gray: np.ndarray, start: float) -> list[Symbol]:
        if self._spent_ms(start) > self.budget_ms:
            return []
        for candidate in candidates(gray, self.candidate_limit):
            found = self._read_candidate(gray, candidate, start)
            if found:
                return found
            if self._spent_ms(start) > self.budget_ms:
                break
        return []

    def _read_candidate(self, gray: np.ndarray, candidate: Candidate, start: float) -> list[Symbol]:
        crop = candidate.cut(gray)
        back = candidate.to_frame
        attempts = [lambda: read_zxing(crop, LINEAR, rotate=False, to_frame=back),
                    lambda: read_zxing(_sharpen(crop), LINEAR, rotate=False, to_frame=back)]
        if self.use_zbar:
            attempts.append(lambda: read_zbar(crop, _ZBAR_LINEAR, to_frame=back))
            if crop.size <= _UPSCALE_MAX_PIXELS:
                # Modules under ~2 px (small codes): zbar's edge finder needs more pixels per bar.
                attempts.append(lambda: read_zbar(_upscale(crop), _ZBAR_LINEAR, to_frame=lambda p: back(p / 2)))
        for attempt in attempts:
            found = [s for s in attempt() if plausible(s)]
            if found or self._spent_ms(start) > self.budget_ms:
                return found
        return []

    def _remember(self, found: list[Symbol], shape: tuple[int, ...]) -> None:
        points = np.array([c for s in found for c in s.corners], np.float32).reshape(-1, 2)
        if len(points) == 0:
            self._last_region = None
            return
        (x0, y0), (x1, y1) = points.min(axis=0), points.max(axis=0)
        margin = 0.5 * max(x1 - x0, y1 - y0) + 40
        height, width = shape[:2]
        self._last_region = (int(max(x0 - margin, 0)), int(max(y0 - margin, 0)),
                             int(min(x1 + margin, width)), int(min(y1 + margin, height)))


def _unique(found: list[Symbol]) -> list[Symbol]:
    seen: dict[str, Symbol] = {}
    for symbol in found:
        seen.setdefault(symbol.text, symbol)
    return list(seen.values())
