"""Independent corpus of camera-like frames, built differently from bench/camera_corpus.py (a cross-check).

Labels come from the other writers (python-barcode for 1D, segno for QR, zxing-cpp only for DataMatrix),
rendered at a whole number of pixels per module and composited in colour on varied surfaces (wood, plastic,
dark device backs, printed paper) with a full 0-360° turn, a pinhole-camera tilt, and one main stressor per
frame: small modules, defocus, motion, glare, dim light, steep tilt or a finger over part of the code. Every
frame then gets shot + read noise and colour JPEG at quality 60-85 before it becomes grayscale. A fifth of
the frames hold no code but clutter that looks like one (fake bar runs, vents, grids, module-like dots, text).

    .venv/bin/python bench/camera_decode.py --corpus field --frames 300 --seed 11
    .venv/bin/python bench/camera_decode.py --corpus field-b --frames 300 --seed 23   (its misses were studied)
    .venv/bin/python bench/camera_decode.py --corpus field-c --frames 300 --seed 37   (its misses were studied)
    .venv/bin/python bench/camera_decode.py --corpus field-d --frames 300 --seed 53   (run once, after tuning)
    .venv/bin/python bench/camera_decode.py --corpus field-e --frames 300 --seed 71   (run once, after tuning)
    .venv/bin/python bench/camera_decode.py --corpus field-f --frames 300 --seed 89   (run once, after tuning)
"""

from __future__ import annotations

import math
import random
import string
from dataclasses import dataclass

import barcode
import cv2
import numpy as np
import segno
import zxingcpp
from barcode.writer import ImageWriter

from bench.camera_corpus import Frame

STRESSORS = ("plain", "small", "defocus", "motion", "glare", "dim", "tilt", "finger")
SYMBOLOGIES = ("code128", "code39", "ean13", "upca", "itf", "qr", "datamatrix")
_PX = 4  # label pixels per module


@dataclass(frozen=True)
class Settings:
    """The generator's parameter ranges. `FIELD` built the corpus the decoder was first tuned on; `FIELD_B`
    and `FIELD_C` were each chosen before any decoder ran on them and later tuned on (their misses were
    studied); `FIELD_D` and `FIELD_E` were not tuned on until their one run and are now; `FIELD_F` and `FIELD_G` are
    the corpora not tuned on."""

    name: str = "field"
    module_1d: tuple[float, float] = (1.8, 4.0)  # frame px per module at 1080p
    module_1d_small: tuple[float, float] = (1.3, 1.8)
    module_2d: tuple[float, float] = (3.0, 7.0)
    module_2d_small: tuple[float, float] = (2.2, 3.0)
    tilt_deg: tuple[float, float] = (0, 15)
    steep_tilt_deg: tuple[float, float] = (25, 45)
    motion: tuple[float, float] = (0.6, 1.3)  # blur length in modules
    defocus: tuple[float, float] = (0.5, 0.8)  # disk radius in modules
    dim_gain: tuple[float, float] = (0.3, 0.5)
    read_noise: tuple[float, float] = (2, 12)
    jpeg: tuple[int, int] = (60, 85)
    finger: float = 0.4  # fingertip radius over a 1D code, in code heights


FIELD = Settings()
FIELD_B = Settings(name="field-b", module_1d=(2.0, 4.5), module_1d_small=(1.35, 1.75), module_2d=(3.2, 6.5),
                   module_2d_small=(2.3, 3.1), tilt_deg=(5, 20), steep_tilt_deg=(30, 48), motion=(0.7, 1.2),
                   defocus=(0.45, 0.75), dim_gain=(0.35, 0.55), read_noise=(3, 10), jpeg=(55, 80),
                   finger=0.35)
# Written before the decoder work of issue 12 and run only at its end; its misses were studied in the next round,
# so it counts as tuned on too. Other ranges on each side of FIELD's and FIELD_B's, seed 37.
FIELD_C = Settings(name="field-c", module_1d=(1.9, 4.2), module_1d_small=(1.3, 1.7), module_2d=(3.1, 6.8),
                   module_2d_small=(2.2, 2.9), tilt_deg=(3, 18), steep_tilt_deg=(28, 46), motion=(0.65, 1.25),
                   defocus=(0.5, 0.78), dim_gain=(0.32, 0.52), read_noise=(2.5, 11), jpeg=(58, 82),
                   finger=0.38)
# Written after the decoder work that studied field-b's and field-c's misses (so both count as tuned on) was
# finished and committed, and run once: every range differs from the others', most wider on both
# sides (smaller and larger modules, more and less blur, dimmer and brighter, noisier, worse and better JPEG,
# steeper tilt), a larger fingertip; seed 53.
FIELD_D = Settings(name="field-d", module_1d=(1.85, 4.6), module_1d_small=(1.28, 1.72), module_2d=(3.0, 6.6),
                   module_2d_small=(2.15, 3.05), tilt_deg=(4, 24), steep_tilt_deg=(26, 50), motion=(0.55, 1.35),
                   defocus=(0.42, 0.82), dim_gain=(0.3, 0.6), read_noise=(3, 14), jpeg=(52, 88), finger=0.42)
# A second corpus not tuned on, written by another hand at the same time as FIELD_D and committed before the
# decoder ever ran on it: ranges between and beside the others', seed 71.
FIELD_E = Settings(name="field-e", module_1d=(1.85, 4.3), module_1d_small=(1.32, 1.78), module_2d=(3.0, 6.9),
                   module_2d_small=(2.25, 3.05), tilt_deg=(2, 17), steep_tilt_deg=(27, 47), motion=(0.62, 1.28),
                   defocus=(0.48, 0.8), dim_gain=(0.3, 0.54), read_noise=(2, 11.5), jpeg=(57, 84),
                   finger=0.37)
# Written at the start of the last round of issue 12's decoder work, after field-d's and field-e's misses had been
# studied (so those two count as tuned on now), committed before the decoder ever ran on it and run once at the
# round's end: every range differs from the other corpora's, seed 89.
FIELD_F = Settings(name="field-f", module_1d=(1.75, 4.5), module_1d_small=(1.3, 1.76), module_2d=(2.9, 6.8),
                   module_2d_small=(2.2, 3.0), tilt_deg=(3, 22), steep_tilt_deg=(28, 49), motion=(0.6, 1.32),
                   defocus=(0.45, 0.83), dim_gain=(0.28, 0.55), read_noise=(2.5, 13), jpeg=(54, 86),
                   finger=0.4)
# Written after the per-frame schedule of stop 18 was built and measured on field (tuned) and field-d (costs),
# committed before the decoder ever ran on it: every range differs from the other corpora's, seed 97.
FIELD_G = Settings(name="field-g", module_1d=(1.78, 4.4), module_1d_small=(1.31, 1.79), module_2d=(2.95, 7.1),
                   module_2d_small=(2.15, 3.05), tilt_deg=(0, 21), steep_tilt_deg=(26, 48), motion=(0.58, 1.35),
                   defocus=(0.47, 0.82), dim_gain=(0.27, 0.53), read_noise=(2.2, 12.5), jpeg=(53, 87),
                   finger=0.42)


def _check(body: str, luhn: bool = False) -> str:
    if luhn:
        total = sum(d - 9 if d > 9 else d for d in (int(c) * (2 if i % 2 == 0 else 1)
                                                       for i, c in enumerate(reversed(body))))
    else:
        total = sum(int(c) * (3 if i % 2 == 0 else 1) for i, c in enumerate(reversed(body)))
    return str((10 - total % 10) % 10)


def _code(rng: random.Random, symbology: str) -> tuple[np.ndarray, str]:
    """(black-on-white code image at _PX px per module with quiet zones, expected decoded text)."""
    digits = lambda n: "".join(rng.choice(string.digits) for _ in range(n))  # noqa: E731
    upper = string.ascii_uppercase + string.digits
    imei = "35" + digits(12)
    imei += _check(imei, luhn=True)
    if symbology in ("qr", "datamatrix"):
        if symbology == "qr":
            text = rng.choice([imei, f"IMEI1:{imei};SN:{''.join(rng.choice(upper) for _ in range(10))}",
                               f"https://id.example.org/u?imei={imei}"])
            modules = np.array(segno.make(text, error=rng.choice("lmq"), micro=False).matrix, np.uint8)
            modules = np.pad(modules, 4)
            expected = text
        else:
            gtin = "0" + rng.choice("123456789") + digits(11)
            gtin += _check(gtin)
            serial = "".join(rng.choice(upper) for _ in range(rng.randint(6, 12)))
            code = zxingcpp.create_barcode(f"(01){gtin}(21){serial}", zxingcpp.BarcodeFormat.DataMatrix, gs1=True)
            modules = 1 - (np.array(zxingcpp.write_barcode_to_image(code, scale=1, add_quiet_zones=True)) > 127)
            expected = f"01{gtin}21{serial}"
        img = (255 * (1 - np.kron(modules, np.ones((_PX, _PX))))).astype(np.uint8)
        return img, expected
    if symbology == "code128":
        data = imei if rng.random() < 0.5 else "".join(rng.choice(upper) for _ in range(rng.randint(8, 14)))
        code, expected = barcode.get("code128", data, writer=ImageWriter()), data
    elif symbology == "code39":
        data = "".join(rng.choice(upper) for _ in range(rng.randint(6, 11)))
        code, expected = barcode.get("code39", data, writer=ImageWriter(), options={"add_checksum": False}), data
    elif symbology == "ean13":
        body = rng.choice("123456789") + digits(11)
        code, expected = barcode.get("ean13", body, writer=ImageWriter()), body + _check(body)
    elif symbology == "upca":
        body = digits(11)
        code, expected = barcode.get("upca", body, writer=ImageWriter()), "0" + body + _check(body)
    else:
        body = rng.choice("01") + digits(12)
        code, expected = barcode.get("itf", body + _check(body), writer=ImageWriter()), body + _check(body)
    height = _PX * rng.randint(12, 35)
    pil = code.render(writer_options={"module_width": _PX, "module_height": height, "dpi": 25.4,
                                      "quiet_zone": 12 * _PX, "write_text": False, "margin_top": 0,
                                      "margin_bottom": 0})
    return np.array(pil.convert("L")), expected


def _label(rng: random.Random, code: np.ndarray) -> tuple[np.ndarray, tuple[int, int, int, int]]:
    """A sticker: the code under printed lines of text, on off-white paper; and the code's box on it."""
    h, w = code.shape
    text_h = rng.choice([0, 40, 80])
    label = np.full((h + text_h + 50, max(w, 320) + 30), rng.randint(215, 250), np.uint8)
    y0 = 25 + text_h
    label[y0 : y0 + h, 15 : 15 + w] = np.minimum(code, label[0, 0])
    for k in range(text_h // 40):
        words = rng.choice(["Model A2403", "Color: Midnight", "Made in Vietnam", "FCC ID BCGE3085"])
        cv2.putText(label, words, (15, 30 + 40 * k), cv2.FONT_HERSHEY_DUPLEX, 0.9, 30, 2, cv2.LINE_AA)
    return label, (15, y0, w, h)


def _surface(rng: random.Random, nrng: np.random.Generator, w: int, h: int) -> np.ndarray:
    """A colour surface under the camera (BGR)."""
    kind = rng.choice(["wood", "plastic", "dark", "paper", "mat"])
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    if kind == "wood":
        phase = xx * math.cos(rng.uniform(0, 3)) + yy * math.sin(rng.uniform(0, 3))
        grain = 20 * np.sin(phase / rng.uniform(6, 25) + 3 * np.sin(yy / 90)) + rng.uniform(110, 170)
        img = np.dstack([grain * 0.55, grain * 0.75, grain])
    else:
        tone = {"plastic": 200, "dark": 45, "paper": 225, "mat": 80}[kind]
        field = cv2.resize(nrng.normal(0, 10, (h // 32 + 1, w // 32 + 1)).astype(np.float32), (w, h))
        img = np.dstack([field + tone + rng.uniform(-15, 15) for _ in range(3)])
    return np.clip(img, 0, 255).astype(np.uint8)


def _clutter(rng: random.Random, img: np.ndarray) -> None:
    """Things that look like codes: fake bar runs, vents, grids, module-like dot fields, text."""
    h, w = img.shape[:2]
    for _ in range(rng.randint(1, 4)):
        kind = rng.choice(["bars", "vent", "grid", "dots", "text", "text"])
        x0, y0 = rng.randint(0, w - 320), rng.randint(0, h - 240)
        ink = (rng.randint(0, 60),) * 3
        if kind == "bars":  # a run of random bar widths, as a printed pattern or a cable's ribs
            x, unit, bar_h = x0, rng.uniform(1.5, 3.5), rng.randint(40, 160)
            for _ in range(rng.randint(20, 60)):
                width = unit * rng.randint(1, 4)
                if rng.random() < 0.5:
                    cv2.rectangle(img, (int(x), y0), (int(x + width) - 1, y0 + bar_h), ink, -1)
                x += width
        elif kind == "vent":
            pitch = rng.randint(5, 14)
            for k in range(rng.randint(8, 30)):
                cv2.line(img, (x0 + k * pitch, y0), (x0 + k * pitch, y0 + rng.randint(60, 200)), ink, 2)
        elif kind == "grid":
            pitch = rng.randint(6, 30)
            for k in range(12):
                cv2.line(img, (x0 + k * pitch, y0), (x0 + k * pitch, y0 + 11 * pitch), ink, 1)
                cv2.line(img, (x0, y0 + k * pitch), (x0 + 11 * pitch, y0 + k * pitch), ink, 1)
        elif kind == "dots":
            cell = rng.randint(3, 7)
            for r in range(rng.randint(12, 30)):
                for c in range(rng.randint(12, 30)):
                    if rng.random() < 0.5:
                        cv2.rectangle(img, (x0 + c * cell, y0 + r * cell),
                                      (x0 + c * cell + cell - 1, y0 + r * cell + cell - 1), ink, -1)
        else:
            line = "".join(rng.choice(string.ascii_uppercase + string.digits + " :/") for _ in range(24))
            cv2.putText(img, line, (x0, y0 + 40), rng.choice([cv2.FONT_HERSHEY_PLAIN, cv2.FONT_HERSHEY_COMPLEX,
                                                            cv2.FONT_HERSHEY_DUPLEX]),
                        rng.uniform(1.0, 2.5), ink, rng.randint(1, 3), cv2.LINE_AA)


def _homography(rng: random.Random, size: tuple[int, int], scale: float, tilt_deg: float,
                frame: tuple[int, int]) -> np.ndarray:
    """Label -> frame: scale, a full turn, a pinhole tilt about a random axis, a random place."""
    lw, lh = size
    w, h = frame
    turn, axis, tilt = rng.uniform(0, 2 * math.pi), rng.uniform(0, math.pi), math.radians(tilt_deg)
    corners = np.float32([[-lw, -lh], [lw, -lh], [lw, lh], [-lw, lh]]) * scale / 2
    rvec = np.float32([math.cos(axis), math.sin(axis), 0]) * tilt
    rotation = cv2.Rodrigues(rvec)[0] @ cv2.Rodrigues(np.float32([0, 0, turn]))[0]
    focal = 1.2 * w
    points = np.hstack([corners, np.zeros((4, 1), np.float32)]) @ rotation.T + [0, 0, focal]
    dst = points[:, :2] * focal / points[:, 2:3]
    span = dst.max(axis=0) - dst.min(axis=0)
    centre = [rng.uniform(span[0] / 2, max(w - span[0] / 2, span[0] / 2 + 1)),
              rng.uniform(span[1] / 2, max(h - span[1] / 2, span[1] / 2 + 1))]
    src = np.float32([[0, 0], [lw, 0], [lw, lh], [0, lh]])
    return cv2.getPerspectiveTransform(src, (dst - dst.mean(axis=0) + centre).astype(np.float32))


def _blur(rng: random.Random, img: np.ndarray, stressor: str, module_px: float, cfg: Settings) -> np.ndarray:
    if stressor == "motion":
        length = max(2, int(round(rng.uniform(*cfg.motion) * module_px)))
        kernel = np.zeros((length * 2 + 1,) * 2, np.float32)
        angle = rng.uniform(0, math.pi)
        dx, dy = length * math.cos(angle), length * math.sin(angle)
        cv2.line(kernel, (int(length - dx / 2), int(length - dy / 2)), (int(length + dx / 2), int(length + dy / 2)),
                 1.0, 1, cv2.LINE_AA)
    else:  # defocus: a disk (a lens, unlike a Gaussian, keeps its edge)
        radius = rng.uniform(*cfg.defocus) * module_px if stressor == "defocus" else rng.uniform(0.2, 0.45) * module_px
        size = int(math.ceil(radius)) * 2 + 1
        kernel = np.zeros((size, size), np.float32)
        cv2.circle(kernel, (size // 2, size // 2), max(int(round(radius)), 0), 1.0, -1, cv2.LINE_AA)
    return cv2.filter2D(img, -1, kernel / kernel.sum())


def _light(rng: random.Random, nrng: np.random.Generator, img: np.ndarray, stressor: str,
           spot: tuple[float, float], cfg: Settings) -> np.ndarray:
    """Exposure, vignette and lamp gradient; glare as a saturating highlight near the label; noise; JPEG."""
    h, w = img.shape[:2]
    yy, xx = np.mgrid[0:h:8, 0:w:8].astype(np.float32)
    r2 = ((xx - w / 2) ** 2 + (yy - h / 2) ** 2) / (w * w / 4)
    light = (1 - rng.uniform(0.1, 0.4) * r2) * (1 + rng.uniform(-0.3, 0.3) * (xx / w - 0.5))
    gain = rng.uniform(*cfg.dim_gain) if stressor == "dim" else rng.uniform(0.75, 1.1)
    img = img * cv2.resize(light * gain, (w, h))[..., None]
    if stressor == "glare" or rng.random() < 0.15:
        radius = rng.uniform(30, 160) * w / 1920
        blob = np.exp(-(((xx - spot[0]) / radius) ** 2 + ((yy - spot[1]) / radius) ** 2) / 2)
        img = img + rng.uniform(80, 220) * cv2.resize(blob, (w, h))[..., None]
    img = np.clip(img, 0, 255)
    img = img + nrng.normal(0, 1, img.shape).astype(np.float32) * np.sqrt(img * 0.08 + rng.uniform(*cfg.read_noise))
    img = np.clip(img, 0, 255).astype(np.uint8)
    _, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, rng.randint(*cfg.jpeg)])
    return cv2.cvtColor(cv2.imdecode(buf, cv2.IMREAD_COLOR), cv2.COLOR_BGR2GRAY)


def make_frame(seed: int, index: int, height: int = 1080, no_code_share: float = 0.2,
               cfg: Settings = FIELD) -> Frame:
    """Frame `index` of the field corpus `seed` at `height` lines, 16:9, with the ranges of `cfg`."""
    rng = random.Random(f"{cfg.name}:{seed}:{height}:{index}")
    nrng = np.random.default_rng(rng.randrange(2**32))
    w = height * 16 // 9
    img = _surface(rng, nrng, w, height)
    stressor = STRESSORS[index % len(STRESSORS)]
    symbology = None if rng.random() < no_code_share else rng.choice(SYMBOLOGIES)
    expected, module_px, spot = None, 3.0, (rng.uniform(0, w), rng.uniform(0, height))
    if rng.random() < 0.7 or symbology is None:
        _clutter(rng, img)
    img = img.astype(np.float32)
    if symbology is not None:
        code, expected = _code(rng, symbology)
        two_d = symbology in ("qr", "datamatrix")
        lo, hi = (cfg.module_2d_small if stressor == "small" else cfg.module_2d) if two_d else \
            (cfg.module_1d_small if stressor == "small" else cfg.module_1d)
        module_px = rng.uniform(lo, hi) * height / 1080
        label, (bx, by, bw, bh) = _label(rng, code)
        label = label.astype(np.float32)
        scale = module_px / _PX
        label = cv2.GaussianBlur(label, (0, 0), 0.45 / scale)  # what the lens and sensor average over a pixel
        matrix = _homography(rng, label.shape[::-1], scale, rng.uniform(*cfg.steep_tilt_deg) if stressor == "tilt"
                             else rng.uniform(*cfg.tilt_deg), (w, height))
        warped = cv2.warpPerspective(label, matrix, (w, height), flags=cv2.INTER_LINEAR)
        mask = cv2.warpPerspective(np.ones_like(label), matrix, (w, height), flags=cv2.INTER_LINEAR)[..., None]
        tint = np.float32([rng.uniform(0.85, 1.0) for _ in range(3)])
        img = img * (1 - mask) + warped[..., None] * tint * mask
        centre = cv2.perspectiveTransform(np.float32([[[label.shape[1] / 2, label.shape[0] / 2]]]), matrix)[0, 0]
        spot = (centre[0] + rng.uniform(-1, 1) * 60, centre[1] + rng.uniform(-1, 1) * 60)
        if stressor == "finger":  # a fingertip over one edge of the code (1D: part of the bar height)
            edge = np.float32([[[bx + rng.uniform(0.2, 0.8) * bw, by + rng.choice([0, bh])]]])
            tip = cv2.perspectiveTransform(edge, matrix)[0, 0]
            radius = (0.2 if two_d else cfg.finger) * min(bw, bh) * scale
            cv2.circle(img, (int(tip[0]), int(tip[1])), int(radius), (120, 150, 200), -1, cv2.LINE_AA)
    img = _blur(rng, img, stressor, module_px, cfg)
    return Frame(index, height, symbology, stressor, expected, _light(rng, nrng, img, stressor, spot, cfg))


if __name__ == "__main__":
    import os
    import sys

    out = sys.argv[1] if len(sys.argv) > 1 else "/tmp/camera_corpus_field"
    os.makedirs(out, exist_ok=True)
    for i in range(int(sys.argv[2]) if len(sys.argv) > 2 else 16):
        f = make_frame(11, i)
        cv2.imwrite(f"{out}/{f.index:03d}_{f.level}_{f.symbology}.jpg", f.gray)
