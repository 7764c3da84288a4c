"""Screenshots of the running demo app (offscreen): `python tools/screenshot.py OUT_DIR [WxH ...]`."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from grading_station import app, cli, log  # noqa: E402
from grading_station.station import Station  # noqa: E402


def main() -> int:
    out = Path(sys.argv[1])
    sizes = [tuple(int(v) for v in s.split("x")) for s in (sys.argv[2:] or ["1366x768", "1920x1080"])]
    out.mkdir(parents=True, exist_ok=True)
    args: argparse.Namespace = cli.build_parser().parse_args(["--demo", "--temp-basedir"])
    log.init()
    qt_app = QApplication.instance() or QApplication([])
    paths, temp = app._paths(args)
    station = Station(app.build_core(args, paths), args)
    station.start()

    def shoot() -> None:
        for width, height in sizes:
            station.window.resize(width, height)
            for key in station.window._keys:
                station.window.show_workspace(key)
                qt_app.processEvents()
                station.window.grab().save(str(out / f"{key}-{width}x{height}.png"))
        qt_app.quit()

    QTimer.singleShot(2500, shoot)  # after the demo has connected and the camera has read the label
    qt_app.exec()
    station.stop()
    if temp:
        temp.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
