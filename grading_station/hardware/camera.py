"""Camera sources: the settings they open with, the faults they report, and the OpenCV (V4L2/DirectShow) one.

❌ `cv2.VideoCapture(0).read()` in a slot: opening a camera takes up to seconds and read() waits a frame.
✅ Give the source to `hardware.capture.CaptureLoop`, which opens and reads it on its own thread.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import Protocol

import cv2
import numpy as np

from grading_station.errors import KnownError
from grading_station.i18n import _


class CameraError(KnownError):
    """The camera cannot give frames; `user_message` says what to do. The capture loop keeps retrying."""


class CameraNotFound(CameraError):
    pass


class CameraBusy(CameraError):
    pass


class CameraLost(CameraError):
    pass


@dataclass(frozen=True)
class CameraSettings:
    """How to open the camera: `device` is an index ("0"), a device path (/dev/video2) or a video file;
    "" means no camera. `rotation` (0/90/180/270, clockwise) turns frames the right way up."""

    device: str = "0"
    width: int = 1920
    height: int = 1080
    fps: int = 30
    rotation: int = 0


class FrameSource(Protocol):
    """Something that gives BGR frames: a camera or a virtual one (video file, image folder)."""

    description: str

    def open(self) -> tuple[int, int]:
        """Start delivering frames; returns the actual (width, height). Raises CameraError."""

    def read(self) -> np.ndarray:
        """The next frame (waits up to about one frame time). Raises CameraLost when the source is gone."""

    def close(self) -> None: ...


def _device_arg(device: str) -> int | str:
    return int(device) if device.strip().isdigit() else device.strip()


def _device_node(device: int | str) -> str | None:
    if isinstance(device, int):
        return f"/dev/video{device}" if sys.platform.startswith("linux") else None
    return device if device.startswith("/dev/") else None


class OpenCVCamera:
    """A real camera through cv2.VideoCapture. Not thread-safe: one thread (the capture loop) uses it."""

    def __init__(self, settings: CameraSettings, read_failures_before_lost: int = 10) -> None:
        self.settings = settings
        self.description = f"camera {settings.device}"
        self._device = _device_arg(settings.device)
        self._capture: cv2.VideoCapture | None = None
        self._failures = 0
        self._limit = read_failures_before_lost
        self.resolution_note = ""

    def open(self) -> tuple[int, int]:
        node = _device_node(self._device)
        if node is not None and not os.path.exists(node):
            raise CameraNotFound(_("No camera at {node}: plug the camera in, or choose another one in "
                                   "Settings → Camera. Scanning with the handheld scanner still works.").format(
                node=node))
        capture = cv2.VideoCapture(self._device)
        if not capture.isOpened():
            capture.release()
            if node is not None:  # the device node exists, so something else holds it (or rights are missing)
                raise CameraBusy(_("The camera {node} is in use by another program (video call, another "
                                   "bench?) or not accessible: close it and the camera starts by itself.").format(
                    node=node))
            raise CameraNotFound(_("The camera “{device}” cannot be opened: check Settings → "
                                   "Camera. Scanning with the handheld scanner still works.").format(
                device=self.settings.device))
        s = self.settings
        capture.set(cv2.CAP_PROP_FRAME_WIDTH, s.width)
        capture.set(cv2.CAP_PROP_FRAME_HEIGHT, s.height)
        capture.set(cv2.CAP_PROP_FPS, s.fps)
        capture.set(cv2.CAP_PROP_BUFFERSIZE, 1)  # the newest frame, not a queue of old ones
        ok, frame = capture.read()
        if not ok or frame is None:
            capture.release()
            raise CameraBusy(_("The camera “{device}” opened but sends no picture: it may be in use by "
                               "another program. Close that program and the camera starts by itself.").format(
                device=s.device))
        self._capture = capture
        self._failures = 0
        size = (frame.shape[1], frame.shape[0])
        self.resolution_note = "" if size == (s.width, s.height) else (
            _("The camera does not offer {wanted}; it runs at {actual}. Choose a resolution it supports in "
              "Settings → Camera.").format(wanted=f"{s.width}×{s.height}", actual=f"{size[0]}×{size[1]}"))
        return size

    def read(self) -> np.ndarray:
        if self._capture is None:
            raise CameraLost(_("The camera is not open."))
        ok, frame = self._capture.read()
        if ok and frame is not None:
            self._failures = 0
            return frame
        self._failures += 1
        if self._failures >= self._limit:
            raise CameraLost(_("The camera stopped sending pictures (unplugged?). Plug it back in: it restarts "
                               "by itself. Scanning with the handheld scanner still works."))
        return np.empty((0, 0, 3), np.uint8)  # a dropped frame: the loop skips it

    def close(self) -> None:
        if self._capture is not None:
            self._capture.release()
            self._capture = None


def rotate(frame: np.ndarray, degrees: int) -> np.ndarray:
    """The frame turned clockwise by 0/90/180/270 degrees."""
    codes = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}
    return cv2.rotate(frame, codes[degrees]) if degrees in codes else frame
