"""The demo camera clip, generated at start-up: a phone box label (IMEI 1, IMEI 2, serial, EAN) slides under
the camera and stays there, over a plain desk mat. Written as a folder of JPEG frames for VirtualCamera."""

from __future__ import annotations

import threading
import tomllib
from pathlib import Path

import cv2
import numpy as np
import zxingcpp

from grading_station.domain.identifiers import is_valid_imei, luhn_check_digit

from grading_station.hardware.virtual_camera import VirtualCamera

from grading_station.paths import RESOURCES

DEMO_CATALOGUE = RESOURCES / "demo" / "catalogue.toml"
EMPTY_FRAMES = 4  # the clip's first frames: the bare desk mat


def demo_imei(path: Path = DEMO_CATALOGUE) -> str:
    """The IMEI of the first demo unit that has one (the clip shows that unit's box label)."""
    with path.open("rb") as handle:
        units = tomllib.load(handle).get("unit", [])
    for unit in units:
        if is_valid_imei(str(unit.get("serial", ""))):
            return str(unit["serial"])
    raise ValueError(f"no demo unit with an IMEI in {path}")


def _code(fmt: zxingcpp.BarcodeFormat, text: str, module: int, bar_height: int) -> np.ndarray:
    image = np.array(zxingcpp.write_barcode_to_image(zxingcpp.create_barcode(text, fmt), scale=module))
    if bar_height and image.shape[0] != bar_height:
        image = cv2.resize(image, (image.shape[1], bar_height), interpolation=cv2.INTER_NEAREST)
    return image


def box_label(imei: str, imei2: str, serial: str, ean: str, module: int = 3) -> np.ndarray:
    """A white box label with the four codes stacked as on a phone box, IMEI 1 on top."""
    rows = [(f"IMEI 1  {imei}", _code(zxingcpp.BarcodeFormat.Code128, imei, module, 26 * module)),
            (f"IMEI 2  {imei2}", _code(zxingcpp.BarcodeFormat.Code128, imei2, module, 26 * module)),
            (f"S/N  {serial}", _code(zxingcpp.BarcodeFormat.Code128, serial, module, 26 * module)),
            (f"EAN  {ean}", _code(zxingcpp.BarcodeFormat.EAN13, ean, module, 26 * module))]
    width = max(code.shape[1] for _, code in rows) + 40
    height = sum(code.shape[0] + 34 for _, code in rows) + 30
    label = np.full((height, width), 252, np.uint8)
    y = 18
    for caption, code in rows:
        cv2.putText(label, caption, (20, y + 14), cv2.FONT_HERSHEY_SIMPLEX, 0.55, 30, 1, cv2.LINE_AA)
        label[y + 20 : y + 20 + code.shape[0], 20 : 20 + code.shape[1]] = code
        y += code.shape[0] + 34
    return cv2.cvtColor(label, cv2.COLOR_GRAY2BGR)


def _mat(width: int, height: int) -> np.ndarray:
    mat = np.full((height, width, 3), (58, 92, 64), np.uint8)  # a green cutting mat
    for x in range(0, width, 40):
        cv2.line(mat, (x, 0), (x, height), (70, 110, 78), 1)
    for y in range(0, height, 40):
        cv2.line(mat, (0, y), (width, y), (70, 110, 78), 1)
    return mat


def write_demo_clip(folder: Path, imei: str, *, width: int = 1280, height: int = 720, frames: int = 30,
                    empty_frames: int = EMPTY_FRAMES) -> Path:
    """Write the clip's frames to `folder` (created) and return it: `empty_frames` of bare mat, then the
    label sliding in from the right over a few frames and staying, slightly moving like a held box."""
    folder.mkdir(parents=True, exist_ok=True)
    imei2 = imei[:8] + str((int(imei[8:14]) + 7) % 1_000_000).zfill(6)
    imei2 += str(luhn_check_digit(imei2))
    ean = "019425" + imei[-6:]
    ean += str((10 - sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(ean)) % 10) % 10)
    label = box_label(imei, imei2, "F2LXK1ABJG5J", ean, module=3 if width >= 1280 else 2)
    scale = min(0.85 * height / label.shape[0], 0.6 * width / label.shape[1], 1.0)
    label = cv2.resize(label, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    lh, lw = label.shape[:2]
    target_x, target_y = (width - lw) // 2, (height - lh) // 2
    for index in range(frames):
        frame = _mat(width, height)
        step = index - empty_frames
        if step >= 0:
            slide = max(0.0, 1.0 - step / 4)  # in from the right over 4 frames, then held
            x = int(target_x + slide * (width - target_x) + 3 * np.sin(index / 3))
            y = int(target_y + 2 * np.cos(index / 4))
            visible = max(0, min(lw, width - x))
            if visible:
                frame[y : y + lh, x : x + visible] = label[:, :visible]
        frame = cv2.GaussianBlur(frame, (0, 0), 0.6)
        cv2.imwrite(str(folder / f"frame_{index:03d}.jpg"), frame, [cv2.IMWRITE_JPEG_QUALITY, 90])
    return folder


class DemoCamera(VirtualCamera):
    """The --demo camera: an empty desk mat until the user puts the box under it (`show_label`, e.g. a key or
    button of the demo), then the clip of the first demo unit's box label sliding in and staying; `hide_label`
    takes the box away. So the demo never scans by itself at start. The clip is written to `folder` on first
    open (on the capture thread, so start-up never waits for it)."""

    def __init__(self, folder: Path, fps: float = 10.0, empty_frames: int = EMPTY_FRAMES) -> None:
        super().__init__(folder, fps=fps, loop=True)
        self.description = "demo camera"
        self._empty = empty_frames
        self._label = threading.Event()  # set from the GUI thread, read on the capture thread

    def show_label(self) -> None:
        """Put the box label under the camera (it slides in, then stays)."""
        self._label.set()

    def hide_label(self) -> None:
        self._label.clear()

    @property
    def label_shown(self) -> bool:
        return self._label.is_set()

    def open(self) -> tuple[int, int]:
        if not any(self.path.glob("frame_*.jpg")):
            write_demo_clip(self.path, demo_imei(), empty_frames=self._empty)
        return super().open()

    def read(self) -> np.ndarray:
        shown = self._label.is_set()
        if shown != (self._index >= self._empty):
            self._index = self._empty if shown else 0  # the box was just put down, or taken away
        frame = super().read()
        if not shown and self._index >= self._empty:
            self._index = 0  # the bare mat loops
        elif shown and self._index < self._empty:
            self._index = len(self._frames) - 1  # the label stays, held
        return frame
