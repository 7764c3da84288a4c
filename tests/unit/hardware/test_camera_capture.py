"""Camera sources and the capture/decode threads: frames flow newest-first, faults are reported in plain
words, and an unplugged camera comes back by itself."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import cv2
import numpy as np
import pytest

from grading_station.hardware.camera import (
    CameraBusy,
    CameraLost,
    CameraNotFound,
    CameraSettings,
    OpenCVCamera,
    rotate,
)
from grading_station.hardware.capture import CameraState, CaptureLoop, LatestFrame
from grading_station.hardware.decode_loop import DecodeLoop
from grading_station.hardware.decoding import FrameDecoder
from grading_station.hardware.demo_clip import DemoCamera, demo_imei
from grading_station.hardware.scan_confirm import ScanConfirmer
from grading_station.hardware.virtual_camera import VirtualCamera


def wait_for(predicate, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.01)


class CountingCamera(VirtualCamera):
    """A VirtualCamera that counts open() calls: the capture loop's attempts, each after the previous one's
    fault was handled (reported or not)."""

    opens = 0

    def open(self) -> tuple[int, int]:
        self.opens += 1
        return super().open()


class States:
    def __init__(self) -> None:
        self.seen: list[CameraState] = []
        self.lock = threading.Lock()

    def __call__(self, state: CameraState) -> None:
        with self.lock:
            self.seen.append(state)

    def statuses(self) -> list[str]:
        with self.lock:
            return [s.status for s in self.seen]


def video_file(path: Path, size=(320, 240), frames=5) -> Path:
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 10, size)
    for i in range(frames):
        writer.write(np.full((size[1], size[0], 3), 40 * i, np.uint8))
    writer.release()
    return path


# -- sources -------------------------------------------------------------------------------------------------
def test_missing_device_is_reported_as_no_camera():
    with pytest.raises(CameraNotFound, match="No camera at /dev/video77.*handheld scanner still works"):
        OpenCVCamera(CameraSettings(device="77")).open()


def test_device_that_exists_but_cannot_be_opened_is_reported_busy():
    with pytest.raises(CameraBusy, match="in use by another program"):
        OpenCVCamera(CameraSettings(device="/dev/null")).open()


def test_unsupported_resolution_runs_at_what_the_source_gives_with_a_note(tmp_path):
    clip = video_file(tmp_path / "clip.avi")
    camera = OpenCVCamera(CameraSettings(device=str(clip), width=1920, height=1080))
    assert camera.open() == (320, 240)
    assert "does not offer 1920×1080" in camera.resolution_note and "320×240" in camera.resolution_note
    assert camera.read().shape == (240, 320, 3)
    camera.close()


def test_source_that_stops_sending_is_lost(tmp_path):
    camera = OpenCVCamera(CameraSettings(device=str(video_file(tmp_path / "clip.avi", frames=2)), width=320,
                                         height=240), read_failures_before_lost=3)
    camera.open()
    with pytest.raises(CameraLost, match="unplugged"):
        for _ in range(10):
            camera.read()


def test_virtual_camera_plays_a_folder_and_paces_frames(demo_clip):
    now = [0.0]

    def sleep(seconds: float) -> None:
        now[0] += seconds

    camera = VirtualCamera(demo_clip, fps=20, loop=False, sleep=sleep, clock=lambda: now[0])
    assert camera.open() == (960, 540)
    frames = [camera.read() for _ in range(20)]
    assert camera.frames_read == 20 and now[0] == pytest.approx(19 / 20)
    assert frames[-1] is frames[-5]  # a non-looping clip holds its last frame (the label stays in view)


def test_virtual_camera_unplugged():
    camera = VirtualCamera(Path("/nonexistent"), fps=10)
    with pytest.raises(CameraNotFound):
        camera.open()


def test_rotation_turns_frames_clockwise():
    frame = np.zeros((2, 3), np.uint8)
    frame[0, 0] = 1
    assert rotate(frame, 90).shape == (3, 2) and rotate(frame, 90)[0, 1] == 1
    assert rotate(frame, 0) is frame


# -- threads -------------------------------------------------------------------------------------------------
def test_latest_frame_keeps_only_the_newest():
    box = LatestFrame()
    for i in range(5):
        box.put(np.full((1, 1), i, np.uint8))
    seq, frame = box.wait_newer(0, timeout=0.1)
    assert seq == 5 and frame[0, 0] == 4
    assert box.wait_newer(5, timeout=0.01) is None


def test_capture_and_decode_confirm_the_demo_imei_once(demo_clip):
    frames, states, accepted, reports = LatestFrame(), States(), [], []
    capture = CaptureLoop(VirtualCamera(demo_clip, fps=30, loop=False), frames, states)
    decode = DecodeLoop(frames, reports.append, accepted.append, confirmer=ScanConfirmer(2, repeat_s=60))
    decode.start()
    capture.start()
    try:
        wait_for(lambda: accepted and len(reports) > 8)
    finally:
        capture.stop()
        decode.stop()
    assert [a.value for a in accepted] == [demo_imei()]  # held in view for many frames: scanned once
    assert states.statuses()[:2] == ["starting", "live"] and states.statuses()[-1] == "stopped"
    assert decode.frames_decoded <= capture.frames_captured


def test_unplugged_camera_reports_a_fault_and_comes_back_when_plugged(demo_clip, expected_logs):
    expected_logs.expect("grading_station.hardware", "camera: (The camera stopped sending|No camera)")
    camera = CountingCamera(demo_clip, fps=50)
    frames, states = LatestFrame(), States()
    capture = CaptureLoop(camera, frames, states, retry_s=0.05)
    capture.start()
    try:
        wait_for(lambda: capture.frames_captured > 3)
        camera.unplug()
        wait_for(lambda: "fault" in states.statuses())
        assert frames.latest() is None  # no stale picture while the camera is gone
        opened = camera.opens
        wait_for(lambda: camera.opens >= opened + 4)  # several retries while unplugged, three of them done:
        assert 1 <= states.statuses().count("fault") <= 2  # not one report per retry
        before = capture.frames_captured
        camera.plug()
        wait_for(lambda: capture.frames_captured > before + 3)
    finally:
        capture.stop()
    assert states.statuses()[-2] == "live" and states.statuses()[-1] == "stopped"
    fault = next(s for s in states.seen if s.status == "fault")
    assert "Plug it back in" in fault.message


def test_no_camera_at_start_keeps_retrying_and_is_no_warning(caplog):
    caplog.set_level("INFO", logger="grading_station.hardware")
    states = States()
    camera = CountingCamera(Path("/nonexistent"), fps=10)
    capture = CaptureLoop(camera, LatestFrame(), states, retry_s=0.02)
    capture.start()
    try:
        wait_for(lambda: camera.opens >= 4)  # the fourth attempt: three have failed and been handled
    finally:
        capture.stop()
    assert states.statuses() == ["starting", "fault", "stopped"]
    # A bench without a camera is normal: said once, at info level (the panel shows it).
    assert [(r.levelname, r.getMessage()[:17]) for r in caplog.records] == [("INFO", "camera: No camera")]


def test_decoder_crash_is_logged_and_decoding_goes_on(expected_logs):
    expected_logs.expect("grading_station.hardware", "decoding a camera frame failed")

    class Exploding:
        calls = 0

        def decode(self, gray):
            Exploding.calls += 1
            raise RuntimeError("boom")

    frames = LatestFrame()
    decode = DecodeLoop(frames, lambda r: None, lambda a: None, decoder=Exploding())
    decode.start()
    try:
        frames.put(np.zeros((10, 10, 3), np.uint8))
        wait_for(lambda: Exploding.calls == 1)
        frames.put(np.zeros((10, 10, 3), np.uint8))
        wait_for(lambda: Exploding.calls == 2)
    finally:
        decode.stop()


def test_demo_camera_writes_its_clip_on_first_open(tmp_path):
    camera = DemoCamera(tmp_path / "demo-camera", fps=10)
    assert camera.open() == (1280, 720)  # written on the capture thread's first open
    assert len(list((tmp_path / "demo-camera").glob("frame_*.jpg"))) == 30
    assert camera.loop and camera.read().shape == (720, 1280, 3)


def test_demo_camera_shows_the_box_label_only_when_asked(tmp_path):
    camera = DemoCamera(tmp_path / "demo-camera", fps=1000)
    camera.open()
    decoder = FrameDecoder()
    codes = [s.text for _ in range(40) for s in decoder.decode(camera.read())]
    assert codes == []  # at start an empty bench: the demo does not scan by itself
    camera.show_label()
    codes = {s.text for _ in range(12) for s in decoder.decode(camera.read())}
    assert demo_imei() in codes  # the label slid in and stays under the camera
    camera.hide_label()
    camera.read()
    assert [s.text for _ in range(8) for s in decoder.decode(camera.read())] == []
