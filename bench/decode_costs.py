"""What each step of the camera decoder costs on this machine, against the cost FrameDecoder gives it.

    .venv/bin/python bench/decode_costs.py [--corpus field-d] [--frames 40] [--height 1080]

Runs every step of a scene (the whole-frame passes, the locating steps, every crop and box pass) on each
frame, pinned to one CPU with OpenCV's threads off like the decode thread, and prints per step the median and
p95 ms and the median ms per 1,000 work units of its decoder cost. A work unit is meant to be ~1 µs on the
slow bench PC the costs were measured on: where the ratio here is about the same for every step, the costs
still rank the steps right on this machine, and `work_per_frame` units take about `work_per_frame` µs times
that ratio. A step whose p95 is far above its median is the one that can push a frame past its budget.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

import cv2

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from grading_station.hardware.decoding import FrameDecoder  # noqa: E402

from bench.camera_decode import CORPORA, SEEDS  # noqa: E402


def _step_name(attempt) -> str:
    name = attempt.func.__name__
    if name == "_on_sharp_upscale":  # which reader gets the upscale
        return f"{name}({attempt.args[0].__name__})"
    if name == "_full_rotated_pass":  # which formats
        return f"{name}({attempt.args[1][0].name})"
    return name


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", choices=sorted(CORPORA), default="field-d")
    parser.add_argument("--frames", type=int, default=40)
    parser.add_argument("--height", type=int, default=1080)
    args = parser.parse_args(argv)
    cv2.setNumThreads(1)
    os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    ms: dict[str, list[float]] = defaultdict(list)
    per_unit: dict[str, list[float]] = defaultdict(list)
    decoder = FrameDecoder()
    for i in range(args.frames):
        gray = CORPORA[args.corpus](SEEDS[args.corpus], i, args.height).gray
        for cost, attempt in decoder.cycle(gray):
            start = time.perf_counter()
            attempt()
            took = (time.perf_counter() - start) * 1000
            name = _step_name(attempt)
            ms[name].append(took)
            per_unit[name].append(took / max(cost, 1) * 1000)
    print(f"corpus {args.corpus}, {args.frames} frames at {args.height}p, budget {decoder.work_per_frame} units")
    print(f"  {'step':44s} {'runs':>5s} {'median':>8s} {'p95':>8s} {'ms/1k units':>12s}")
    for name, values in ms.items():
        values.sort()
        p95 = values[min(len(values) - 1, int(round(0.95 * len(values))) - 1)]
        print(f"  {name:44s} {len(values):5d} {statistics.median(values):7.2f}  {p95:7.2f}  "
              f"{statistics.median(per_unit[name]):11.2f}")


if __name__ == "__main__":
    main()
