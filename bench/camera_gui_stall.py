"""GUI responsiveness while the camera runs: the longest gap between ticks of a 5 ms timer on the GUI thread.

    .venv/bin/python bench/camera_gui_stall.py [--seconds 10] [--height 1080] [--fps 30]

The camera panel plays a looping virtual camera of corpus frames (1D, QR, DataMatrix, no code; the hardest
case for the decoder) at camera rate, with capture, preview, decoding and the read list all live, as at the
bench. Prints the longest stall, the 99th percentile gap, and how many frames were captured/decoded/previewed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import cv2  # noqa: E402

from PySide6.QtCore import QElapsedTimer, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from grading_station.hardware.virtual_camera import VirtualCamera  # noqa: E402

from grading_station.ui.camera import CameraPanel  # noqa: E402
from grading_station.ui.scan_router import ScanRouter  # noqa: E402

from bench.camera_corpus import make_frame  # noqa: E402
from grading_station.config import Config  # noqa: E402


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--height", type=int, default=1080)
    parser.add_argument("--fps", type=float, default=30.0)
    parser.add_argument("--frames", type=int, default=40)
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication([])
    folder = Path(tempfile.mkdtemp(prefix="camera-stall-"))
    for i in range(args.frames):
        frame = make_frame(11, i, args.height)
        cv2.imwrite(str(folder / f"{i:03d}.png"), cv2.cvtColor(frame.gray, cv2.COLOR_GRAY2BGR))
    camera = VirtualCamera(folder, fps=args.fps, loop=True)
    panel = CameraPanel(Config(None), ScanRouter(), lambda: camera)
    panel.resize(900, 900)
    panel.show()

    gaps: list[int] = []
    clock = QElapsedTimer()
    clock.start()
    last = [clock.elapsed()]

    def tick() -> None:
        now = clock.elapsed()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(tick)
    while panel.describe()["decoded"] < 5:  # the clip is loaded and frames flow
        app.processEvents()
        time.sleep(0.002)
    last[0] = clock.elapsed()
    timer.start()
    end = time.monotonic() + args.seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.001)
    timer.stop()
    state = panel.describe()
    previews = panel.preview.images_shown
    panel.stop()
    gaps.sort()
    print(f"load average {os.getloadavg()[0]:.1f}; "
          f"{args.height}p at {args.fps:g} fps for {args.seconds:g} s: "
          f"GUI longest stall {gaps[-1]} ms, p99 gap {gaps[int(len(gaps) * 0.99)]} ms, "
          f"median {statistics.median(gaps)} ms ({len(gaps)} ticks of 5 ms); "
          f"{state['frames']} frames captured, {state['decoded']} decoded, {previews} previews shown")
    sys.stdout.flush()
    # PySide6 may crash in the interpreter's final garbage collection when widgets outlive the QApplication;
    # the figures are out, so leave without it.
    os._exit(0)


if __name__ == "__main__":
    main()
