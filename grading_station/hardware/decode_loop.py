"""The decode thread: decodes the newest captured frame, picks the value to scan, confirms it over frames."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import cv2

from grading_station.domain.identifiers import DEFAULT_SERIAL_PATTERNS, SerialPattern

from grading_station.hardware.capture import LatestFrame, lower_thread_priority
from grading_station.hardware.code_reading import Reading, pick, readings
from grading_station.hardware.decoding import FrameDecoder, Symbol
from grading_station.hardware.scan_confirm import ScanConfirmer

from grading_station import log


@dataclass(frozen=True)
class FrameReport:
    """What one decoded frame showed: the symbols, the readings, the one picked (None: nothing to scan),
    and how long decoding took."""

    symbols: tuple[Symbol, ...]
    readings: tuple[Reading, ...]
    picked: Reading | None
    decode_ms: float


class DecodeLoop(threading.Thread):
    """Takes the newest frame from `frames` (never a queue: a frame that arrives while one is being decoded
    replaces the previous), at most `max_fps` times a second.

    `on_report(FrameReport)` is called for every decoded frame, `on_accept(Reading)` when a value is
    confirmed; both on this thread. `prefer` is "imei" or "serial".
    """

    def __init__(self, frames: LatestFrame, on_report: Callable[[FrameReport], None],
                 on_accept: Callable[[Reading], None], *, prefer: str = "imei",
                 confirmer: ScanConfirmer | None = None, decoder: FrameDecoder | None = None,
                 patterns: Sequence[SerialPattern] = DEFAULT_SERIAL_PATTERNS, max_fps: float = 30.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(name="camera-decode", daemon=True)
        self.frames = frames
        self._on_report, self._on_accept = on_report, on_accept
        self.prefer = prefer
        self.confirmer = confirmer or ScanConfirmer()
        self.decoder = decoder or FrameDecoder()
        self.patterns = tuple(patterns)
        self.min_interval = 1 / max_fps
        self._clock = clock
        self._halt = threading.Event()
        self.active = threading.Event()  # cleared: frames are not decoded (camera used for photos only)
        self.active.set()
        self.frames_decoded = 0

    def stop(self, timeout: float = 2.0) -> None:
        self._halt.set()
        if self.is_alive() and threading.current_thread() is not self:
            self.join(timeout)

    def run(self) -> None:
        lower_thread_priority()
        seq = 0
        while not self._halt.is_set():
            if not self.active.wait(0.2):
                continue
            started = self._clock()
            got = self.frames.wait_newer(seq, timeout=0.2)
            if got is None:
                continue
            seq, frame = got
            try:
                self._decode(frame)
            except Exception:  # a decoder bug must not kill scanning for the rest of the session
                log.hardware.exception("decoding a camera frame failed")
            rest = self.min_interval - (self._clock() - started)
            if rest > 0:
                self._halt.wait(rest)

    def _decode(self, frame) -> None:
        t0 = time.perf_counter()
        gray = frame if frame.ndim == 2 else cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
        symbols = self.decoder.decode(gray)
        found = readings(symbols, self.patterns)
        chosen = pick(found, self.prefer)
        elapsed = (time.perf_counter() - t0) * 1000
        self.frames_decoded += 1
        self._on_report(FrameReport(tuple(symbols), tuple(found), chosen, elapsed))
        accepted = self.confirmer.feed(chosen, self._clock())
        if accepted is not None:
            log.hardware.info("camera read %s %s (%s)", accepted.label, accepted.value, accepted.format)
            self._on_accept(accepted)
