"""Seeded corpus of synthetic camera-like frames with known barcode contents (1D, QR, DataMatrix, none).

Each frame is built from its own seed, so `frame(i)` is reproducible without generating the others:
a printed label (code + human-readable text) is warped onto a textured mat under a random homography, then
lit unevenly, blurred (focus or motion), lowered in contrast, noised and JPEG-compressed like a webcam stream.
"""

from __future__ import annotations

import random
import string
from collections.abc import Iterator
from dataclasses import dataclass

import cv2
import numpy as np
import zxingcpp

LEVELS = ("easy", "medium", "hard")
SYMBOLOGIES = ("code128", "code39", "ean13", "upca", "itf", "qr", "datamatrix")
_FORMAT = {
    "code128": zxingcpp.BarcodeFormat.Code128,
    "code39": zxingcpp.BarcodeFormat.Code39,
    "ean13": zxingcpp.BarcodeFormat.EAN13,
    "upca": zxingcpp.BarcodeFormat.UPCA,
    "itf": zxingcpp.BarcodeFormat.ITF,
    "qr": zxingcpp.BarcodeFormat.QRCode,
    "datamatrix": zxingcpp.BarcodeFormat.DataMatrix,
}
# Module size in frame pixels at 1080p (a document camera over an A4-ish mat sees labels at ~1.5-3 px/module).
_MODULE_PX = {"easy": (2.8, 4.5), "medium": (2.0, 3.2), "hard": (1.8, 2.6)}
_MODULE_PX_2D = {"easy": (5.0, 8.0), "medium": (3.8, 6.0), "hard": (3.0, 4.5)}


@dataclass(frozen=True)
class Frame:
    """One corpus frame: grayscale pixels, what it shows (`expected` is None on no-code frames)."""

    index: int
    height: int
    symbology: str | None
    level: str
    expected: str | None
    gray: np.ndarray


def _luhn_digit(body: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return str((10 - total % 10) % 10)


def _gtin_digit(body: str) -> str:
    total = sum(int(c) * (3 if i % 2 == 0 else 1) for i, c in enumerate(reversed(body)))
    return str((10 - total % 10) % 10)


def _content(rng: random.Random, symbology: str) -> tuple[str, str, str]:
    """(text to encode, expected decoded text, writer options)."""
    digits = lambda n: "".join(rng.choice(string.digits) for _ in range(n))  # noqa: E731
    alnum = string.ascii_uppercase + string.digits
    if symbology == "code128":
        if rng.random() < 0.6:
            imei = "35" + digits(12)
            imei += _luhn_digit(imei)
            return imei, imei, ""
        serial = "".join(rng.choice(alnum) for _ in range(rng.randint(10, 14)))
        return serial, serial, ""
    if symbology == "code39":
        serial = "".join(rng.choice(alnum) for _ in range(rng.randint(8, 12)))
        return serial, serial, ""
    if symbology == "ean13":
        body = rng.choice("123456789") + digits(11)
        return body + _gtin_digit(body), body + _gtin_digit(body), ""
    if symbology == "upca":
        body = digits(11)
        code = body + _gtin_digit(body)
        return code, "0" + code, ""
    if symbology == "itf":
        body = rng.choice("0123") + digits(12)
        return body + _gtin_digit(body), body + _gtin_digit(body), ""
    if symbology == "qr":
        imei = "35" + digits(12)
        imei += _luhn_digit(imei)
        text = rng.choice([f"IMEI:{imei}", f"https://support.example.com/d?sn={imei}", imei])
        return text, text, ""
    gtin = "0" + rng.choice("123456789") + digits(11)
    gtin += _gtin_digit(gtin)
    serial = "".join(rng.choice(alnum) for _ in range(rng.randint(8, 12)))
    return f"(01){gtin}(21){serial}", f"01{gtin}21{serial}", "gs1"


def _label(rng: random.Random, symbology: str, text: str, options: str) -> tuple[np.ndarray, float]:
    """The printed label at 1 px per module scaled ×4, and the module size in label pixels."""
    kwargs = {"gs1": True} if options == "gs1" else {}
    code = zxingcpp.create_barcode(text, _FORMAT[symbology], **kwargs)
    scale = 4
    img = np.array(zxingcpp.write_barcode_to_image(code, scale=scale, add_quiet_zones=True))
    if symbology not in ("qr", "datamatrix"):
        bar_h = int(img.shape[1] * rng.uniform(0.12, 0.4))
        img = cv2.resize(img, (img.shape[1], max(bar_h, 40)), interpolation=cv2.INTER_NEAREST)
    pad = 12 * scale
    label = np.full((img.shape[0] + pad * 2 + 60, img.shape[1] + pad * 2), 250, np.uint8)
    label[pad : pad + img.shape[0], pad : pad + img.shape[1]] = img
    words = rng.choice(["IMEI", "S/N", "Model A2633 128GB", "MADE IN CHINA", "EAN"])
    cv2.putText(label, f"{words} {text[:18]}", (pad, label.shape[0] - 22), cv2.FONT_HERSHEY_SIMPLEX,
                1.2, 20, 2, cv2.LINE_AA)
    return label, float(scale)


def _background(rng: random.Random, nrng: np.random.Generator, w: int, h: int) -> np.ndarray:
    """A desk mat: smooth tone, a grid, printed text, cables and stripes that look a bit like bars."""
    base = rng.randint(60, 190)
    bg = (nrng.normal(base, 18, (h // 16 + 1, w // 16 + 1))).astype(np.float32)
    bg = np.clip(cv2.resize(bg, (w, h), interpolation=cv2.INTER_CUBIC), 0, 255).astype(np.uint8)
    if rng.random() < 0.6:
        step = rng.randint(40, 120)
        for x in range(0, w, step):
            cv2.line(bg, (x, 0), (x, h), base - 40, 1)
        for y in range(0, h, step):
            cv2.line(bg, (0, y), (w, y), base - 40, 1)
    for _ in range(rng.randint(0, 6)):
        x, y = rng.randint(0, w), rng.randint(0, h)
        text = "".join(rng.choice(string.ascii_letters + " 0123456789") for _ in range(rng.randint(5, 30)))
        cv2.putText(bg, text, (x, y), cv2.FONT_HERSHEY_SIMPLEX, rng.uniform(0.6, 2.0), rng.randint(0, 255),
                    rng.randint(1, 3), cv2.LINE_AA)
    if rng.random() < 0.4:  # a keyboard, a vent grille or a ribbon cable: stripes that fool 1D detectors
        x0, y0 = rng.randint(0, w - 300), rng.randint(0, h - 200)
        pitch = rng.randint(3, 12)
        for k in range(rng.randint(10, 40)):
            x = x0 + k * pitch + rng.randint(0, 2)
            cv2.line(bg, (x, y0), (x, y0 + rng.randint(60, 200)), rng.randint(0, 80), rng.randint(1, 3))
    return bg.astype(np.float32)


def _place(rng: random.Random, label: np.ndarray, label_module: float, w: int, h: int, level: str,
           two_d: bool, scale_1080: float) -> tuple[np.ndarray, np.ndarray]:
    """The label warped into frame coordinates and its mask."""
    lo, hi = (_MODULE_PX_2D if two_d else _MODULE_PX)[level]
    module_px = rng.uniform(lo, hi) * scale_1080
    s = module_px / label_module
    lh, lw = label.shape
    fw, fh = lw * s, lh * s
    max_angle = {"easy": 8, "medium": 30, "hard": 180}[level]
    angle = np.deg2rad(rng.uniform(-max_angle, max_angle))
    # Out-of-plane tilt as a real pinhole camera sees it (a label held at an angle under the camera).
    max_tilt = {"easy": 8, "medium": 20, "hard": 35}[level]
    rx, ry = (np.deg2rad(rng.uniform(-max_tilt, max_tilt)) for _ in range(2))
    plane = np.array([[-fw / 2, -fh / 2, 0], [fw / 2, -fh / 2, 0], [fw / 2, fh / 2, 0], [-fw / 2, fh / 2, 0]])
    rot_x = np.array([[1, 0, 0], [0, np.cos(rx), -np.sin(rx)], [0, np.sin(rx), np.cos(rx)]])
    rot_y = np.array([[np.cos(ry), 0, np.sin(ry)], [0, 1, 0], [-np.sin(ry), 0, np.cos(ry)]])
    rot_z = np.array([[np.cos(angle), -np.sin(angle), 0], [np.sin(angle), np.cos(angle), 0], [0, 0, 1]])
    focal = 1.1 * w
    points = plane @ (rot_z @ rot_y @ rot_x).T + [0, 0, focal]
    corners = points[:, :2] * focal / points[:, 2:3]
    span = corners.max(axis=0) - corners.min(axis=0)
    cx = rng.uniform(span[0] / 2 + 5, max(w - span[0] / 2 - 5, span[0] / 2 + 6))
    cy = rng.uniform(span[1] / 2 + 5, max(h - span[1] / 2 - 5, span[1] / 2 + 6))
    dst = (corners + [cx, cy]).astype(np.float32)
    src = np.float32([[0, 0], [lw, 0], [lw, lh], [0, lh]])
    matrix = cv2.getPerspectiveTransform(src, dst)
    smooth = cv2.GaussianBlur(label.astype(np.float32), (0, 0), max(0.5 / s * 0.6, 0.3)) if s < 1 else label
    warped = cv2.warpPerspective(smooth.astype(np.float32), matrix, (w, h), flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(np.ones_like(label, np.float32), matrix, (w, h), flags=cv2.INTER_LINEAR)
    return warped, mask


def _degrade(rng: random.Random, nrng: np.random.Generator, img: np.ndarray, level: str) -> np.ndarray:
    h, w = img.shape
    # Uneven light: a lamp on one side of the mat.
    gx, gy = np.meshgrid(np.linspace(-1, 1, w // 8), np.linspace(-1, 1, h // 8))
    strength = {"easy": 0.1, "medium": 0.25, "hard": 0.4}[level]
    light = 1 + strength * (rng.uniform(-1, 1) * gx + rng.uniform(-1, 1) * gy)
    img = img * cv2.resize(light.astype(np.float32), (w, h))
    contrast = {"easy": (0.8, 1.0), "medium": (0.5, 0.9), "hard": (0.35, 0.7)}[level]
    c = rng.uniform(*contrast)
    img = (img - 128) * c + 128 + rng.uniform(-25, 25) * (1 - c)
    blur = {"easy": (0.3, 0.6), "medium": (0.4, 0.9), "hard": (0.5, 1.0)}[level]
    if rng.random() < 0.3 and level != "easy":  # hand-held: motion blur along a random direction
        length = rng.randint(3, 4 if level == "medium" else 6)
        kernel = np.zeros((length, length), np.float32)
        kernel[length // 2, :] = 1 / length
        rotation = cv2.getRotationMatrix2D((length / 2 - 0.5, length / 2 - 0.5), rng.uniform(0, 180), 1)
        kernel = cv2.warpAffine(kernel, rotation, (length, length))
        img = cv2.filter2D(img, -1, kernel / max(kernel.sum(), 1e-6))
    else:
        img = cv2.GaussianBlur(img, (0, 0), rng.uniform(*blur))
    noise = {"easy": 2.0, "medium": 3.5, "hard": 5.5}[level]
    img = img + nrng.normal(0, noise, img.shape).astype(np.float32)
    img = np.clip(img, 0, 255).astype(np.uint8)
    quality = {"easy": 90, "medium": 75, "hard": 60}[level]
    ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, quality])
    return cv2.imdecode(buf, cv2.IMREAD_GRAYSCALE)


def make_frame(seed: int, index: int, height: int = 1080, no_code_share: float = 0.15) -> Frame:
    """Frame `index` of the corpus `seed` at `height` (720 or 1080) lines, 16:9."""
    rng = random.Random(f"{seed}:{height}:{index}")
    nrng = np.random.default_rng(rng.randrange(2**32))
    w = height * 16 // 9
    level = LEVELS[index % 3]
    bg = _background(rng, nrng, w, height)
    symbology = None if rng.random() < no_code_share else rng.choice(SYMBOLOGIES)
    expected = None
    if symbology is not None:
        text, expected, options = _content(rng, symbology)
        label, module = _label(rng, symbology, text, options)
        warped, mask = _place(rng, label, module, w, height, level, symbology in ("qr", "datamatrix"),
                              height / 1080)
        paper = rng.uniform(0.85, 1.0)
        bg = bg * (1 - mask) + warped * paper * mask
    gray = _degrade(rng, nrng, bg, level)
    return Frame(index, height, symbology, level, expected, gray)


def corpus(seed: int, count: int, height: int = 1080) -> Iterator[Frame]:
    for i in range(count):
        yield make_frame(seed, i, height)


if __name__ == "__main__":
    import sys

    out = sys.argv[1] if len(sys.argv) > 1 else "/tmp/camera_corpus"
    import os

    os.makedirs(out, exist_ok=True)
    for f in corpus(7, int(sys.argv[2]) if len(sys.argv) > 2 else 12):
        cv2.imwrite(f"{out}/{f.index:03d}_{f.level}_{f.symbology}.png", f.gray)
