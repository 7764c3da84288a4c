"""Barcode decoding of camera frames with a fixed, ordered amount of work per frame, cheapest pass first,
stopping at the first pass that reads: the last hit's region; the whole frame (zxing-cpp, all formats, no
rotation); DataMatrix with zxing's rotations at half size; zxing on upright crops of the 1D candidates; then
a fixed share of the expensive passes, the rest left to the scene's next frames: zbar on the crops, the
grey-profile EAN-13/UPC-A reader on them (ean_profile.py: codes at ~1.3-2.5 px per module), the DataMatrix
grid repair on the 2D regions (matrix_repair.py: a finger over the finder or timing edge), zxing on the
sharpened 2x upscale of small crops, zxing's rotated DataMatrix pass at full size, zbar on that upscale,
zxing's rotated 1D pass. No clock decides what runs, so the same frames give the same reads on an idle and on
a loaded machine. Results are validated (decode_checks; every EAN-13 against the grey-profile reader where
it was read) so half-read codes never come out.

Measured on bench/camera_corpus.py and the independently built bench/camera_corpus_field.py (see
bench/camera_decode.py): zxing-cpp restricted to the formats below and without inversion is ~5x faster than
zbar on a 1080p frame and the only one that reads DataMatrix, so it runs first; zbar only gets the small
upright crops, where it rescues blurred and small 1D codes zxing gives up on. OpenCV's BarcodeDetector as a
candidate source was slower and found fewer codes than localize.py on both corpora."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

import cv2
import numpy as np
import zxingcpp
from pyzbar import pyzbar

from grading_station.hardware.decode_checks import GS, consistent, plausible
from grading_station.hardware.ean_profile import MODULE_PX as EAN_MODULE_PX
from grading_station.hardware.ean_profile import read_ean
from grading_station.hardware.localize import regions
from grading_station.hardware.matrix_repair import read_datamatrix

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


# Symbol.format -> the zxing formats that read it (UPC-A comes out as EAN13).
_FORMATS_OF = {f.name: (f,) for f in LINEAR + MATRIX} | {"EAN13": (_F.EAN13, _F.UPCA)}
_UPSCALE_MAX_PIXELS = 60_000  # beyond this the crop's modules are big enough, and zbar on 4x the area is slow
_EAN_PROFILE_COST = 50_000  # ~1.3 ms on average, like zbar on 50k pixels
_MATRIX_REPAIR_COST = 60_000  # ~1.5 ms
_MATRIX_MARGIN = 12  # frame pixels around a 2D region's cells: the symbol's edge and a quiet zone


def _upscale(gray: np.ndarray) -> np.ndarray:
    return cv2.resize(gray, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)


def _sharpen(gray: np.ndarray) -> np.ndarray:
    return cv2.addWeighted(gray, 2.0, cv2.GaussianBlur(gray, (0, 0), 1.5), -1.0, 0)


Crops = list[tuple[np.ndarray, Callable[[np.ndarray], np.ndarray]]]  # upright crop, crop -> frame points
Boxes = list[tuple[int, int, int, int]]  # likely 2D codes, frame pixels


@dataclass
class FrameDecoder:
    """Decodes frames one at a time with a fixed, ordered amount of work per frame, so what a frame reads
    never depends on how busy the machine is (the earlier CPU-time budget read a frame on an idle bench and
    missed it on a loaded one).

    Every frame runs the cheap passes in order, stopping at the first that reads: the last hit's region, the
    whole frame, DataMatrix rotated at half size, zxing on the upright crops of the 1D candidates. The
    expensive passes (`_slow_work`, `slow_pixels` of them per frame) are spread over consecutive frames of
    the same scene instead of being dropped: a frame the cheap passes miss runs a share of them, and when
    that reads nothing the next frame runs the following share; a pass that reads stays, so the label's next
    frame repeats the read the two-frame confirmation needs. A label held under the camera has had every
    pass within `frames_per_cycle` frames (2-7 on the field corpora, ~70-230 ms at 30 fps).

    The region of the last hit is kept: while the label stays under the camera that small crop is read in a
    couple of milliseconds, and it holds every code of a multi-code box label (the next frames confirm them).
    """

    candidate_limit: int = 4
    matrix_limit: int = 2  # 2D regions for the DataMatrix repair
    use_zbar: bool = True
    # Expensive work per frame, in zbar pixels (~2.6 ms per 100k on the bench PC; the other passes' costs are
    # measured in the same unit): ~10 ms on one core, so with the cheap passes (~12-15 ms) a frame's p95
    # stays under ~25 ms.
    slow_pixels: int = 400_000
    _last_region: tuple[int, int, int, int] | None = None
    _last_formats: tuple = ()
    _slow_next: int = 0  # where in the ordered list of expensive work this frame starts

    def decode(self, gray: np.ndarray) -> list[Symbol]:
        """The codes in a grayscale (or BGR) frame."""
        if gray.ndim == 3:
            gray = cv2.cvtColor(gray, cv2.COLOR_BGR2GRAY)
        found = (_checked(self._region_pass(gray), gray) or _checked(read_zxing(gray, rotate=False), gray)
                 or _checked(_half_matrix_pass(gray), gray))
        if not found:
            where = regions(gray, self.candidate_limit, self.matrix_limit)
            crops = [(c.cut(gray), c.to_frame) for c in where.linear]
            found = _checked(_zxing_crops(crops), gray) or self._slow_passes(gray, crops, where.matrix)
        self._remember(found, gray.shape)
        return found

    def frames_per_cycle(self, gray: np.ndarray) -> int:
        """Frames of this scene after which every pass has run on it (for tests and the benchmark)."""
        if gray.ndim == 3:
            gray = cv2.cvtColor(gray, cv2.COLOR_BGR2GRAY)
        where = regions(gray, self.candidate_limit, self.matrix_limit)
        frames, spent = 1, 0
        for cost, _ in self._slow_work(gray, [(c.cut(gray), c.to_frame) for c in where.linear], where.matrix):
            if spent and spent + cost > self.slow_pixels:
                frames, spent = frames + 1, 0
            spent += cost
        return frames

    def _slow_work(self, gray: np.ndarray, crops: Crops, boxes: Boxes) -> list[tuple[int, Callable[[], list[Symbol]]]]:
        """The expensive passes in order, each with its cost in zbar pixels: first the ones that read the
        most for their cost on the field corpora (zbar on the crops, the grey-profile EAN reader, zxing on
        the sharpened upscale of small crops, zxing's rotated DataMatrix), then the rarer rescues."""
        first: list[tuple[int, Callable[[], list[Symbol]]]] = []
        later: list[tuple[int, Callable[[], list[Symbol]]]] = []
        if self.use_zbar:
            first += [(crop.size, partial(read_zbar, crop, _ZBAR_LINEAR, to_frame=back)) for crop, back in crops]
        first += [(_EAN_PROFILE_COST, partial(_ean_profile, crop, back)) for crop, back in crops]
        first += [(_MATRIX_REPAIR_COST, partial(_repaired_matrix, gray, box)) for box in boxes]
        for crop, back in crops:
            if crop.size <= _UPSCALE_MAX_PIXELS:  # the upscale is made when its pass runs, not for every list
                first.append((4 * crop.size // 5, partial(_on_sharp_upscale, _zxing_upright, crop, back)))
                if self.use_zbar:
                    later.append((4 * crop.size, partial(_on_sharp_upscale, _zbar_linear, crop, back)))
        # zxing rotated at full size, one format family per share (its DataMatrix detector costs twice).
        return (first + [(gray.size // 5, partial(_full_rotated_pass, gray, _ROTATED_PASSES[0]))] + later
                + [(gray.size // 10, partial(_full_rotated_pass, gray, _ROTATED_PASSES[1]))])

    def _slow_passes(self, gray: np.ndarray, crops: Crops, boxes: Boxes) -> list[Symbol]:
        """A fixed share of the expensive work, continuing where the previous frame stopped: the same
        scene's next frames do the rest. The item that read is where the next frame starts (to confirm)."""
        work = self._slow_work(gray, crops, boxes)
        index, spent = self._slow_next % len(work), 0
        while index < len(work) and (spent == 0 or spent + work[index][0] <= self.slow_pixels):
            cost, attempt = work[index]
            spent += cost
            found = _checked(attempt(), gray)
            if found:
                self._slow_next = index
                return found
            index += 1
        self._slow_next = index if index < len(work) else 0
        return []

    def _region_pass(self, gray: np.ndarray) -> list[Symbol]:
        if self._last_region is None:
            return []
        x0, y0, x1, y1 = self._last_region
        shift = lambda pts: pts + np.float32([x0, y0])  # noqa: E731
        # Only the formats last read there: part of an EAN-13 read as UPC-E was a wrong read (synthetic corpus).
        return read_zxing(gray[y0:y1, x0:x1], self._last_formats, to_frame=shift)

    def _remember(self, found: list[Symbol], shape: tuple[int, ...]) -> None:
        points = np.array([c for s in found for c in s.corners], np.float32).reshape(-1, 2)
        if len(points) == 0:
            self._last_region = None
            return
        (x0, y0), (x1, y1) = points.min(axis=0), points.max(axis=0)
        margin = 0.5 * max(x1 - x0, y1 - y0) + 40
        height, width = shape[:2]
        self._last_formats = tuple({f for s in found for f in _FORMATS_OF[s.format]})
        self._last_region = (int(max(x0 - margin, 0)), int(max(y0 - margin, 0)),
                             int(min(x1 + margin, width)), int(min(y1 + margin, height)))


def _checked(found: list[Symbol], gray: np.ndarray) -> list[Symbol]:
    """A pass's plausible, mutually consistent reads (empty: the next pass gets its turn), less the EAN-13s
    the grey-profile reader contradicts where they were read: a scan line across a small or blurred EAN (or
    the rings of a sharpened one, or look-alike bars) can spell another valid one, and zxing and zbar did
    on every field corpus."""
    return [s for s in consistent(_unique([s for s in found if plausible(s)]))
            if s.format != "EAN13" or _profile_agrees(gray, s)]


def _profile_agrees(gray: np.ndarray, symbol: Symbol) -> bool:
    if len(symbol.corners) < 2:
        return True
    (cx, cy), (w, h), degrees = cv2.minAreaRect(np.float32(symbol.corners))
    length, height = max(w, h), min(w, h)
    if length / 95 > 1.2 * EAN_MODULE_PX[1]:
        return True  # modules too big for the profile reader to judge
    axis = math.radians(degrees if w >= h else degrees + 90)
    size = (int(1.3 * length + 24), int(max(height, 0.3 * length) + 8))
    c, s = math.cos(axis), math.sin(axis)
    to_crop = np.float32([[c, s, size[0] / 2 - c * cx - s * cy], [-s, c, size[1] / 2 + s * cx - c * cy]])
    crop = cv2.warpAffine(gray, to_crop, size, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    profile = {read.text for read in read_ean(crop)}
    return not profile or symbol.text in profile


def _half_matrix_pass(gray: np.ndarray) -> list[Symbol]:
    # zxing's DataMatrix detector misses many rotations unless it tries them (other formats do not need it:
    # the 1D candidates cover turned bars). At half size it costs a third.
    half = cv2.resize(gray, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    return read_zxing(half, (_F.DataMatrix,), to_frame=lambda p: p * 2)


def _zxing_crops(crops: Crops) -> list[Symbol]:
    for crop, back in crops:
        found = [s for s in read_zxing(crop, LINEAR, rotate=False, to_frame=back) if plausible(s)]
        found = found or _confirmed_if_ean(crop, read_zxing(_sharpen(crop), LINEAR, rotate=False, to_frame=back))
        found = [s for s in found if plausible(s)]
        if found:
            return found
    return []


def _confirmed_if_ean(crop: np.ndarray, found: list[Symbol]) -> list[Symbol]:
    """Reads off a sharpened view of `crop`, less the EAN-13s the grey-profile reader does not read in the
    crop itself: sharpening rings beside the thin bars of a small code, and zxing read the rings as other
    valid EAN-13s (field-c, twice) where the profile reader read the right one or nothing."""
    if not any(s.format == "EAN13" for s in found):
        return found
    profile = {read.text for read in read_ean(crop)}
    return [s for s in found if s.format != "EAN13" or s.text in profile]


def _repaired_matrix(gray: np.ndarray, box: tuple[int, int, int, int]) -> list[Symbol]:
    x0, y0 = max(box[0] - _MATRIX_MARGIN, 0), max(box[1] - _MATRIX_MARGIN, 0)
    region = gray[y0 : box[3] + _MATRIX_MARGIN, x0 : box[2] + _MATRIX_MARGIN]
    found = []
    for result, to_region in read_datamatrix(region):
        def to_frame(points: np.ndarray, to_region: np.ndarray = to_region) -> np.ndarray:
            mapped = cv2.perspectiveTransform(points.reshape(-1, 1, 2).astype(np.float64), to_region)
            return mapped.reshape(-1, 2) + np.float64([x0, y0])
        found.append(_from_zxing(result, to_frame))
    return found


def _ean_profile(crop: np.ndarray, to_frame: Callable[[np.ndarray], np.ndarray]) -> list[Symbol]:
    found = []
    for read in read_ean(crop):
        (x0, x1), (y0, y1) = read.x, read.rows
        corners = to_frame(np.float32([[x0, y0], [x1, y0], [x1, y1], [x0, y1]]))
        found.append(Symbol(read.text, "EAN13", False, tuple((float(x), float(y)) for x, y in corners)))
    return found


def _zxing_upright(image: np.ndarray, to_frame: Callable[[np.ndarray], np.ndarray]) -> list[Symbol]:
    return read_zxing(image, LINEAR, rotate=False, downscale=False, to_frame=to_frame)


def _on_sharp_upscale(read: Callable[[np.ndarray, Callable[[np.ndarray], np.ndarray]], list[Symbol]],
                      crop: np.ndarray, back: Callable[[np.ndarray], np.ndarray]) -> list[Symbol]:
    """`read` on a small crop at twice the size, sharpened: zbar's edge finder and zxing need more than the
    ~2 px per module of a small 1D code (the plain upscale read nothing the sharpened one missed, field
    corpora)."""
    return read(_sharpen(_upscale(crop)), lambda p: back(p / 2))


def _zbar_linear(image: np.ndarray, to_frame: Callable[[np.ndarray], np.ndarray]) -> list[Symbol]:
    return read_zbar(image, _ZBAR_LINEAR, to_frame=to_frame)


# Small DataMatrix modules vanish at half size, and a small 1D code turned near 90° needs zxing's rotated scan
# lines at full size.
_ROTATED_PASSES = ((_F.DataMatrix,), LINEAR)


def _full_rotated_pass(gray: np.ndarray, formats: tuple) -> list[Symbol]:
    return read_zxing(gray, formats, rotate=True, downscale=False)


def _unique(found: list[Symbol]) -> list[Symbol]:
    seen: dict[str, Symbol] = {}
    for symbol in found:
        seen.setdefault(symbol.text, symbol)
    return list(seen.values())
