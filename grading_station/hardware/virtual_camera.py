"""A virtual camera: frames from a video file or a folder of images, paced like a camera (tests, --demo).

`unplug()` / `plug()` make it behave like a camera pulled out and plugged back in, so the fault paths of
the capture loop run for real in tests and in the demo.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np

from grading_station.hardware.camera import CameraLost, CameraNotFound

from grading_station.i18n import _

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".webp"}


class VirtualCamera:
    """Plays `path` (a video file or a folder of images, sorted by name) at `fps`; loops when `loop`.

    After the last frame of a non-looping source the last frame is repeated (a label left under the camera).
    """

    def __init__(self, path: Path, fps: float = 15.0, loop: bool = True,
                 sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.path = Path(path)
        self.fps = fps
        self.loop = loop
        self.description = f"virtual camera ({self.path.name})"
        self._sleep, self._clock = sleep, clock
        self._frames: list[np.ndarray] = []
        self._index = 0
        self._next_at = 0.0
        self._plugged = threading.Event()
        self._plugged.set()
        self.frames_read = 0

    def unplug(self) -> None:
        self._plugged.clear()

    def plug(self) -> None:
        self._plugged.set()

    def open(self) -> tuple[int, int]:
        if not self._plugged.is_set() or not self.path.exists():
            raise CameraNotFound(_("No camera: {camera} is not available. Scanning with the handheld scanner "
                                   "still works.").format(camera=self.description))
        if not self._frames:
            self._frames = self._load()
        if not self._frames:
            raise CameraNotFound(f"{self.path} holds no pictures.")
        self._index = 0
        self._next_at = self._clock()
        height, width = self._frames[0].shape[:2]
        return width, height

    def _load(self) -> list[np.ndarray]:
        if self.path.is_dir():
            files = sorted(p for p in self.path.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
            return [f for f in (cv2.imread(str(p), cv2.IMREAD_COLOR) for p in files) if f is not None]
        capture = cv2.VideoCapture(str(self.path))
        frames = []
        while True:
            ok, frame = capture.read()
            if not ok:
                break
            frames.append(frame)
        capture.release()
        return frames

    def read(self) -> np.ndarray:
        if not self._plugged.is_set():
            raise CameraLost(_("The camera stopped sending pictures (unplugged?). Plug it back in: it restarts "
                               "by itself. Scanning with the handheld scanner still works."))
        wait = self._next_at - self._clock()
        if wait > 0:
            self._sleep(wait)
        self._next_at = max(self._next_at + 1 / self.fps, self._clock())
        frame = self._frames[self._index]
        if self._index + 1 < len(self._frames):
            self._index += 1
        elif self.loop:
            self._index = 0
        self.frames_read += 1
        return frame

    def close(self) -> None:
        self._index = 0
