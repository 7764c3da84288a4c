"""Runs the capture and decode threads of one camera and brings their news to the GUI thread as signals."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Sequence

import cv2
import numpy as np
import shiboken6

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from grading_station.domain.identifiers import DEFAULT_SERIAL_PATTERNS, SerialPattern

from grading_station.hardware.camera import FrameSource
from grading_station.hardware.capture import CameraState, CaptureLoop, LatestFrame
from grading_station.hardware.code_reading import Reading
from grading_station.hardware.decode_loop import DecodeLoop, FrameReport
from grading_station.hardware.scan_confirm import ScanConfirmer


class CameraController(QObject):
    """Owns the threads of one running camera; the GUI thread only receives finished results.

    The preview is scaled and converted to a QImage on the capture thread, and a new one is only made once the
    GUI has taken the previous one: a busy GUI gets the newest frame, never a backlog.

    Signals (all delivered on the GUI thread):
        preview_did_update(QImage, float): a preview image and its scale (preview px per frame px).
        frame_did_decode(FrameReport): what the latest decoded frame showed (for the read list and overlay).
        value_did_confirm(Reading): a value read identically in enough frames (not a repeat): scan it.
        state_did_change(CameraState): starting, live, fault (message says what to do) or stopped.
    """

    preview_did_update = Signal(QImage, float)
    frame_did_decode = Signal(object)
    value_did_confirm = Signal(object)
    state_did_change = Signal(object)

    def __init__(self, *, prefer: str = "imei", confirm_frames: int = 2, repeat_s: float = 3.0,
                 rotation: int = 0, preview_width: int = 640, preview_fps: float = 20.0,
                 max_decode_fps: float = 30.0, retry_s: float = 1.0,
                 patterns: Sequence[SerialPattern] = DEFAULT_SERIAL_PATTERNS,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.prefer, self.confirm_frames, self.repeat_s = prefer, confirm_frames, repeat_s
        self.rotation, self.retry_s, self.patterns = rotation, retry_s, tuple(patterns)
        self.preview_width = preview_width
        self._preview_interval = 1 / preview_fps
        self._max_decode_fps = max_decode_fps
        self.frames = LatestFrame()
        self.capture: CaptureLoop | None = None
        self.decode: DecodeLoop | None = None
        self.state = CameraState("stopped")
        self._preview_free = threading.Event()
        self._preview_free.set()
        self._last_preview = 0.0
        self.preview_did_update.connect(self._preview_delivered)  # queued: runs once the GUI thread has it
        self.state_did_change.connect(self._remember_state)

    def _alive(self, signal) -> Callable[..., None]:
        """An emitter for the camera threads that does nothing once this controller is deleted: a thread stuck
        in a driver read may outlive `stop`'s wait and report after the window closed."""

        def emit(*args) -> None:
            if shiboken6.isValid(self):
                with contextlib.suppress(RuntimeError):  # deleted between the check and the emit
                    signal.emit(*args)

        return emit

    def start(self, source: FrameSource) -> None:
        """Start capturing `source` (stopping any running camera first)."""
        self.stop()
        self.frames = LatestFrame()
        confirmer = ScanConfirmer(confirm_frames=self.confirm_frames, repeat_s=self.repeat_s)
        self.decode = DecodeLoop(self.frames, self._alive(self.frame_did_decode), self._alive(self.value_did_confirm),
                                 prefer=self.prefer, confirmer=confirmer, patterns=self.patterns,
                                 max_fps=self._max_decode_fps)
        self.capture = CaptureLoop(source, self.frames, self._alive(self.state_did_change), self._make_preview,
                                   rotation=self.rotation, retry_s=self.retry_s)
        self.decode.start()
        self.capture.start()

    def stop(self) -> None:
        """Stop both threads (waits for them: normally one frame read, at most a second each)."""
        for worker in (self.capture, self.decode):
            if worker is not None:
                # A camera stuck in a driver read may not let go at once: wait a little, never long (the GUI
                # waits); a restarted capture retries opening until the old thread has released the device.
                worker.stop(timeout=1.0)
        self.capture = self.decode = None

    def set_scanning(self, on: bool) -> None:
        """Decode frames (on) or only show them, e.g. while taking photos."""
        if self.decode is not None:
            (self.decode.active.set if on else self.decode.active.clear)()

    def set_prefer(self, prefer: str) -> None:
        self.prefer = prefer
        if self.decode is not None:
            self.decode.prefer = prefer

    def latest_frame(self) -> np.ndarray | None:
        """The newest full-resolution frame (upright), or None when the camera is not live."""
        return self.frames.latest() if self.state.status == "live" else None

    def _preview_delivered(self, _image: QImage, _scale: float) -> None:
        self._preview_free.set()

    def _remember_state(self, state: CameraState) -> None:
        self.state = state

    def _make_preview(self, frame: np.ndarray) -> None:
        # Capture thread: skip while the GUI has not shown the previous preview, and above preview_fps.
        now = time.monotonic()
        if not self._preview_free.is_set() or now - self._last_preview < self._preview_interval:
            return
        self._preview_free.clear()
        self._last_preview = now
        scale = min(1.0, self.preview_width / frame.shape[1])
        if scale < 1:
            frame = cv2.resize(frame, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        rgb = cv2.cvtColor(frame, cv2.COLOR_BGR2RGB if frame.ndim == 3 else cv2.COLOR_GRAY2RGB)
        image = QImage(rgb.data, rgb.shape[1], rgb.shape[0], rgb.strides[0], QImage.Format.Format_RGB888)
        image = image.copy()  # own the pixels: `rgb` is freed when this returns
        if shiboken6.isValid(self):
            self.preview_did_update.emit(image, scale)


__all__ = ["CameraController", "CameraState", "FrameReport", "Reading"]
