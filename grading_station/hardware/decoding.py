"""Barcode decoding of camera frames with a fixed, ordered amount of work per frame. A scene's steps, cheapest
and likeliest first: zxing-cpp on the whole frame (all formats, no rotation); DataMatrix with zxing's rotations
at half size; the gradient tensor and from it the 1D candidates and 2D boxes (localize.py); zxing on the
upright crops of the 1D candidates; then the rescues: zbar on the crops, the grey-profile EAN-13/UPC-A reader
on them (ean_profile.py: codes at ~1.3-2.5 px per module), the DataMatrix grid repair on the 2D boxes
(matrix_repair.py: a finger over the finder or timing edge), zxing on the sharpened 2x upscale of small
crops, zxing's rotated DataMatrix pass at full size, zbar on that upscale, zxing's rotated 1D pass. Each frame
runs the next `work_per_frame` units of them (first the last hit's region), stopping at the first that
reads. No clock decides what runs, so the same frames give the same reads on an idle and on a loaded
machine. Results are validated (decode_checks; every EAN-13 against the grey-profile reader where it was
read) so half-read codes never come out.

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
from grading_station.hardware.localize import Candidate, Gradients, gradients, linear_regions, matrix_regions
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
_MATRIX_MARGIN = 12  # frame pixels around a 2D region's cells: the symbol's edge and a quiet zone


def _upscale(gray: np.ndarray) -> np.ndarray:
    return cv2.resize(gray, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)


def _sharpen(gray: np.ndarray) -> np.ndarray:
    return cv2.addWeighted(gray, 2.0, cv2.GaussianBlur(gray, (0, 0), 1.5), -1.0, 0)


Crops = list[tuple[np.ndarray, Callable[[np.ndarray], np.ndarray]]]  # upright crop, crop -> frame points
Boxes = list[tuple[int, int, int, int]]  # likely 2D codes, frame pixels
Work = list[tuple[int, Callable[[], list[Symbol]]]]  # (cost in work units, attempt), in the order they run

# Costs in work units of about 1 µs on a slow bench PC (the 2-core 2 GHz machine of stop 17, where zbar takes
# 7.8 ms per 100k pixels), from bench/decode_costs.py: the mean of each pass, or for the passes with a long
# tail (the grid repair, the grey-profile EAN reader) nearer their p95, so that one frame's work stays within
# the budget whatever it meets.
_FULL_FRAME_COST = 1 / 190  # per frame pixel: zxing on the whole frame, ~11 ms at 1080p
_HALF_MATRIX_COST = 1 / 610  # DataMatrix rotated at half size, ~3.4 ms
_GRADIENTS_COST = 1 / 420  # the gradient tensor, ~5 ms
_LINEAR_REGIONS_COST = 8_000  # blobs, bar directions and cuts of the 1D candidates
_CROP_COST = 1 / 30  # per crop pixel: zxing on a crop and, when it reads nothing, on its sharpened view
_ZBAR_COST = 1 / 13
_EAN_PROFILE_COST = 9_000  # ~1.3 ms median, up to ~25 ms on a crop full of look-alike bars
_MATRIX_REPAIR_COST = 12_000  # ~3 ms median, tens of ms on a cluttered region
_UPSCALE_ZXING_COST = 1 / 9  # per crop pixel, the 2x upscale and sharpening included
_UPSCALE_ZBAR_COST = 1 / 3
_ROTATED_MATRIX_COST = 1 / 250  # per frame pixel, ~8 ms at 1080p
_ROTATED_LINEAR_COST = 1 / 330  # ~6 ms


@dataclass
class _Scene:
    """What the decoder knows about the scene in front of the camera: its thumbnail when it was first seen,
    where its codes may be (found by the locating steps, kept for its next frames), and the next step."""

    thumbnail: np.ndarray
    tensor: Gradients | None = None
    linear: list[Candidate] | None = None
    matrix: Boxes = field(default_factory=list)
    next_step: int = 0


def _thumbnail(gray: np.ndarray) -> np.ndarray:
    # Bilinear sampling then an area average: ~0.3 ms at 1080p, and the camera's noise averages out.
    sampled = cv2.resize(gray, (240, 136), interpolation=cv2.INTER_LINEAR)
    return cv2.resize(sampled, (60, 34), interpolation=cv2.INTER_AREA).astype(np.int16)


def _same_scene(a: np.ndarray, b: np.ndarray) -> bool:
    """Nothing moved in or out: under 1 % of the thumbnail's 32x32-pixel cells changed by more than 40 grey
    levels. A label slid under the camera changes several per cent by ~100; the camera's noise changes none,
    and a hand's tremor of a few pixels moves an edge cell by ~(shift / 32) of its contrast (~20), so a
    label held by hand stays one scene and gets its regions' steps."""
    return a.shape == b.shape and np.count_nonzero(np.abs(a - b) > 40) < 0.01 * a.size


@dataclass
class FrameDecoder:
    """Decodes frames one at a time with a fixed, ordered amount of work per frame, so what a frame reads
    never depends on how busy the machine is (the earlier CPU-time budget read a frame on an idle bench and
    missed it on a loaded one), and one frame never takes longer than the camera's frame interval on a slow
    bench PC.

    Every frame first tries the region of the last hit (a couple of milliseconds while the label stays under
    the camera, and it holds every code of a multi-code box label). Then it runs `work_per_frame` units of
    the scene's ordered steps, continuing where the previous frame of the same scene stopped: the whole
    frame, DataMatrix rotated at half size, the gradient tensor, the 1D candidates and 2D boxes (kept for
    the scene's next frames), zxing on the upright crops, then the expensive rescues (`_rescue_work`). A step
    that reads is where the next frame starts, so the label's next frame repeats the read the two-frame
    confirmation needs. A frame whose thumbnail differs from the scene's starts a new scene at the first
    step; after the last step the scene starts over, its regions found afresh. A label held still under
    the camera has had every step within `frames_per_cycle` frames (3-18 on the field corpora at 1080p,
    median 8: ~270 ms at 30 fps).
    """

    candidate_limit: int = 4
    matrix_limit: int = 2  # 2D regions for the DataMatrix repair
    use_zbar: bool = True
    # ~20 ms on the slow bench PC, so that a frame's p95 stays under the 33 ms of a 30 fps camera there with
    # its other core busy (bench/camera_decode.py --busy); a faster PC just has time to spare.
    work_per_frame: int = 20_000
    _last_region: tuple[int, int, int, int] | None = None
    _last_formats: tuple = ()
    _scene: _Scene | None = None

    def decode(self, gray: np.ndarray) -> list[Symbol]:
        """The codes in a grayscale (or BGR) frame."""
        if gray.ndim == 3:
            gray = cv2.cvtColor(gray, cv2.COLOR_BGR2GRAY)
        found = _checked(self._region_pass(gray), gray) or self._scheduled(gray, self._follow(gray))
        self._remember(found, gray.shape)
        return found

    def frames_per_cycle(self, gray: np.ndarray) -> int:
        """Frames of this scene, held still, after which every step has run on it (for tests and the
        benchmark)."""
        frames, spent = 1, 0
        for cost, _ in self.cycle(gray):
            if not _fits(spent, cost, self.work_per_frame):
                frames, spent = frames + 1, 0
            spent += cost
        return frames

    def cycle(self, gray: np.ndarray) -> Work:
        """Every step a still scene of `gray` gets, in order, with its cost (its regions already found, for
        frames_per_cycle and bench/decode_costs.py); running a locating step again finds them afresh."""
        if gray.ndim == 3:
            gray = cv2.cvtColor(gray, cv2.COLOR_BGR2GRAY)
        scene = _Scene(_thumbnail(gray))
        self._take_gradients(gray, scene)
        self._take_regions(gray, scene)
        return self._work(gray, scene)

    def _follow(self, gray: np.ndarray) -> _Scene:
        thumbnail = _thumbnail(gray)
        if self._scene is None or not _same_scene(self._scene.thumbnail, thumbnail):
            self._scene = _Scene(thumbnail)
        return self._scene

    def _scheduled(self, gray: np.ndarray, scene: _Scene) -> list[Symbol]:
        """This frame's share of the scene's steps, from where the previous frame stopped."""
        work = self._work(gray, scene)
        index, spent = scene.next_step, 0
        while index < len(work) and _fits(spent, work[index][0], self.work_per_frame):
            cost, attempt = work[index]
            spent += cost
            located = scene.linear is not None
            found = _checked(attempt(), gray)
            if found:
                scene.next_step = index
                return found
            index += 1
            if located != (scene.linear is not None):  # the regions are known: their steps join the list
                work = self._work(gray, scene)
        if index < len(work):
            scene.next_step = index
        else:  # every step has run: start over, regions found afresh (the label may have drifted)
            self._scene = _Scene(scene.thumbnail)
        return []

    def _work(self, gray: np.ndarray, scene: _Scene) -> Work:
        """The scene's steps in order, each with its cost: the whole-frame passes and the locating steps,
        then (once located) the crop passes, cut from this frame."""
        size = gray.size
        work: Work = [(int(size * _FULL_FRAME_COST), partial(read_zxing, gray, rotate=False)),
                      (int(size * _HALF_MATRIX_COST), partial(_half_matrix_pass, gray)),
                      (int(size * _GRADIENTS_COST), partial(self._take_gradients, gray, scene)),
                      (_LINEAR_REGIONS_COST, partial(self._take_regions, gray, scene))]
        if scene.linear is None:
            return work
        crops = [(c.cut(gray), c.to_frame) for c in scene.linear]
        work += [(int(crop.size * _CROP_COST), partial(_zxing_crops, [(crop, back)])) for crop, back in crops]
        return work + self._rescue_work(gray, crops, scene.matrix)

    def _take_gradients(self, gray: np.ndarray, scene: _Scene) -> list[Symbol]:
        scene.tensor = gradients(gray)
        scene.matrix = matrix_regions(scene.tensor, self.matrix_limit)
        return []

    def _take_regions(self, gray: np.ndarray, scene: _Scene) -> list[Symbol]:
        assert scene.tensor is not None, "the gradient step runs first in every scene"
        scene.linear = linear_regions(gray, scene.tensor, self.candidate_limit)
        return []

    def _rescue_work(self, gray: np.ndarray, crops: Crops, boxes: Boxes) -> Work:
        """The expensive passes in order: first the ones that read the most for their cost on the field
        corpora (zbar on the crops, the grey-profile EAN reader, the DataMatrix grid repair, zxing on the
        sharpened upscale of small crops, zxing's rotated DataMatrix), then the rarer rescues."""
        first: Work = []
        later: Work = []
        if self.use_zbar:
            first += [(int(crop.size * _ZBAR_COST), partial(read_zbar, crop, _ZBAR_LINEAR, to_frame=back))
                      for crop, back in crops]
        first += [(_EAN_PROFILE_COST, partial(_ean_profile, crop, back)) for crop, back in crops]
        first += [(_MATRIX_REPAIR_COST, partial(_repaired_matrix, gray, box)) for box in boxes]
        for crop, back in crops:
            if crop.size <= _UPSCALE_MAX_PIXELS:  # the upscale is made when its pass runs, not for every list
                first.append((int(crop.size * _UPSCALE_ZXING_COST),
                              partial(_on_sharp_upscale, _zxing_upright, crop, back)))
                if self.use_zbar:
                    later.append((int(crop.size * _UPSCALE_ZBAR_COST),
                                  partial(_on_sharp_upscale, _zbar_linear, crop, back)))
        # zxing rotated at full size, one format family per step.
        matrix, linear = (partial(_full_rotated_pass, gray, formats) for formats in _ROTATED_PASSES)
        return (first + [(int(gray.size * _ROTATED_MATRIX_COST), matrix)]
                + later + [(int(gray.size * _ROTATED_LINEAR_COST), linear)])

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


def _fits(spent: int, cost: int, budget: int) -> bool:
    """Whether a step joins this frame's work: the first always does (every frame makes progress)."""
    return spent == 0 or spent + cost <= budget


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
