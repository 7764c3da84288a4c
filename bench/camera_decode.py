"""Decoding benchmark: read rate, false reads and ms per frame of the camera pipeline and of each raw decoder.

    .venv/bin/python bench/camera_decode.py [--corpus synthetic|field] [--frames 300] [--seed 7]
                                            [--height 1080 720] [--only pipeline]

Frames come from bench/camera_corpus.py (seeded, synthetic, known contents) or, with --corpus field, from
the independently built bench/camera_corpus_field.py (a check that tuning did not fit one generator).
One core: OpenCV's own threads are turned off, as the decode thread runs beside capture and the GUI.
Wall-clock ms depend on what else the machine runs (the load average is printed); the CPU ms of the
decoding thread do not.
Each pipeline frame starts with a fresh decoder (no region carried over from the previous, unrelated frame).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
import zxingcpp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from grading_station.hardware.decoding import FrameDecoder, read_zbar, read_zxing  # noqa: E402

from bench import camera_corpus, camera_corpus_field  # noqa: E402
from bench.camera_corpus import Frame  # noqa: E402

CORPORA = {"synthetic": camera_corpus.make_frame, "field": camera_corpus_field.make_frame}

GS = "\x1d"


def _pipeline(gray: np.ndarray) -> list[str]:
    return [s.text for s in FrameDecoder().decode(gray)]


def _zxing(gray: np.ndarray) -> list[str]:
    return [s.text for s in read_zxing(gray)]


def _zbar(gray: np.ndarray) -> list[str]:
    return [s.text for s in read_zbar(gray)]


_cv_barcode = cv2.barcode.BarcodeDetector()
_cv_qr = cv2.QRCodeDetector()


def _opencv(gray: np.ndarray) -> list[str]:
    texts = []
    ok, decoded, _, _ = _cv_barcode.detectAndDecodeWithType(gray)
    if ok:
        texts += [t for t in decoded if t]
    text, _, _ = _cv_qr.detectAndDecode(gray)
    if text:
        texts.append(text)
    return texts


DECODERS: dict[str, Callable[[np.ndarray], list[str]]] = {
    "pipeline": _pipeline, "zxing": _zxing, "zbar": _zbar, "opencv": _opencv,
}


def _same(read: str, expected: str) -> bool:
    read = read.replace(GS, "")
    return read == expected or (len(expected) == 13 and read == expected[1:])  # UPC-A spelled with 12 digits


def _p95(values: list[float]) -> float:
    return values[min(len(values) - 1, int(round(0.95 * len(values))) - 1)]


def run(name: str, frames: list[Frame]) -> dict:
    decode = DECODERS[name]
    times, cpu, misses = [], [], Counter()
    read = wrong = false_pos = codes = 0
    for frame in frames:
        start, start_cpu = time.perf_counter(), time.thread_time()
        texts = decode(frame.gray)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.thread_time() - start_cpu) * 1000)
        if frame.expected is None:
            false_pos += bool(texts)
            continue
        codes += 1
        hit = any(_same(t, frame.expected) for t in texts)
        read += hit
        wrong += any(not _same(t, frame.expected) for t in texts)
        if not hit:
            misses[f"{frame.level}/{frame.symbology}"] += 1
    times.sort()
    cpu.sort()
    return {
        "decoder": name, "frames": len(frames), "code_frames": codes, "read": read,
        "read_rate": read / max(codes, 1), "wrong_reads": wrong, "false_pos": false_pos,
        "no_code_frames": len(frames) - codes, "median_ms": statistics.median(times),
        "p95_ms": _p95(times), "max_ms": times[-1],
        "cpu_median_ms": statistics.median(cpu), "cpu_p95_ms": _p95(cpu),
        "misses": dict(misses.most_common(8)),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", choices=sorted(CORPORA), default="synthetic")
    parser.add_argument("--frames", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--height", type=int, nargs="+", default=[1080, 720])
    parser.add_argument("--only", nargs="+", choices=sorted(DECODERS), default=list(DECODERS))
    args = parser.parse_args(argv)
    cv2.setNumThreads(1)
    print(f"zxing-cpp {getattr(zxingcpp, '__version__', '')} OpenCV {cv2.__version__}, "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for height in args.height:
        frames = [CORPORA[args.corpus](args.seed, i, height) for i in range(args.frames)]
        for name in args.only:
            r = run(name, frames)
            print(f"{height}p {name:9s} read {r['read']}/{r['code_frames']} = {r['read_rate']:.1%}  "
                  f"wrong {r['wrong_reads']}  "
                  f"false reads {r['false_pos']}/{r['no_code_frames']} no-code frames  "
                  f"median {r['median_ms']:.1f} ms  p95 {r['p95_ms']:.1f} ms  max {r['max_ms']:.1f} ms  "
                  f"(CPU median {r['cpu_median_ms']:.1f} ms, p95 {r['cpu_p95_ms']:.1f} ms)")
            if r["misses"]:
                print(f"      misses: {r['misses']}")


if __name__ == "__main__":
    main()
