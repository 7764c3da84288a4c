"""The capture thread: reads frames at camera rate into a one-frame mailbox, survives unplugging.

Consumers (the decode thread, the preview, photo capture) always get the *newest* frame; older ones are
overwritten, never queued (DESIGN.md §3), so a slow consumer costs frames, not latency.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from grading_station.hardware.camera import CameraError, CameraNotFound, FrameSource, rotate

from grading_station import log
from grading_station.i18n import _


def lower_thread_priority(niceness: int = 5) -> None:
    """Let the GUI thread win the CPU over the camera threads (Linux schedules threads, so `nice` applies
    per thread); elsewhere this does nothing."""
    if hasattr(os, "setpriority") and hasattr(threading, "get_native_id"):
        try:
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), niceness)
        except OSError:
            pass


class LatestFrame:
    """A one-slot mailbox of (sequence number, frame); thread-safe."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._seq = 0
        self._frame: np.ndarray | None = None

    def put(self, frame: np.ndarray) -> int:
        with self._cond:
            self._seq += 1
            self._frame = frame
            self._cond.notify_all()
            return self._seq

    def clear(self) -> None:
        with self._cond:
            self._frame = None

    def latest(self) -> np.ndarray | None:
        with self._cond:
            return self._frame

    def wait_newer(self, seq: int, timeout: float) -> tuple[int, np.ndarray] | None:
        """The newest frame once its sequence number is above `seq`, or None after `timeout` seconds."""
        with self._cond:
            if not self._cond.wait_for(lambda: self._seq > seq and self._frame is not None, timeout):
                return None
            return self._seq, self._frame


@dataclass(frozen=True)
class CameraState:
    """`status`: "starting", "live", "fault" or "stopped"; `message` is for the technician (a fault's advice,
    or a note such as an unsupported resolution); `size` the frame size while live."""

    status: str
    message: str = ""
    size: tuple[int, int] = (0, 0)


class CaptureLoop(threading.Thread):
    """Opens `source`, reads it into `frames`, and reopens it every `retry_s` after a fault, so a camera
    that is plugged back in comes back without restarting the app.

    `on_state(CameraState)` and `on_frame(frame)` are called on this thread.
    """

    def __init__(self, source: FrameSource, frames: LatestFrame, on_state: Callable[[CameraState], None],
                 on_frame: Callable[[np.ndarray], None] | None = None, rotation: int = 0,
                 retry_s: float = 1.0) -> None:
        super().__init__(name="camera-capture", daemon=True)
        self.source = source
        self.frames = frames
        self._on_state = on_state
        self._on_frame = on_frame
        self.rotation = rotation
        self.retry_s = retry_s
        self._halt = threading.Event()
        self.frames_captured = 0

    def stop(self, timeout: float = 2.0) -> None:
        self._halt.set()
        if self.is_alive() and threading.current_thread() is not self:
            self.join(timeout)

    def run(self) -> None:
        lower_thread_priority()
        last_fault = ""
        self._on_state(CameraState("starting", _("Starting {camera}…").format(camera=self.source.description)))
        while not self._halt.is_set():
            try:
                size = self.source.open()
            except CameraError as exc:
                last_fault = self._fault(exc, last_fault)
                self._halt.wait(self.retry_s)
                continue
            note = getattr(self.source, "resolution_note", "")
            if note:
                log.hardware.warning("%s", note)
            if last_fault:
                log.hardware.info("camera is back: %s", self.source.description)
            last_fault = ""
            self._on_state(CameraState("live", note, size))
            try:
                self._read_until_stopped()
            except CameraError as exc:
                self._release()  # before reporting: nobody may take a stale frame of a gone camera
                last_fault = self._fault(exc, last_fault)
                self._halt.wait(self.retry_s)
                continue
            self._release()
        self._on_state(CameraState("stopped", _("Camera off.")))

    def _release(self) -> None:
        self.source.close()
        self.frames.clear()

    def _fault(self, exc: CameraError, last: str) -> str:
        if exc.user_message != last:  # log a fault once, not on every retry
            # A bench without a camera is normal (info); a busy or lost camera is a problem (warning).
            absent = isinstance(exc, CameraNotFound) and not self.frames_captured
            level = logging.INFO if absent else logging.WARNING
            log.hardware.log(level, "camera: %s", exc.user_message)
            self._on_state(CameraState("fault", exc.user_message))
        return exc.user_message

    def _read_until_stopped(self) -> None:
        while not self._halt.is_set():
            frame = self.source.read()
            if frame.size == 0:
                continue
            frame = rotate(frame, self.rotation)
            self.frames.put(frame)
            self.frames_captured += 1
            if self._on_frame is not None:
                self._on_frame(frame)
