"""Screenshots of the running demo app (offscreen), every workspace and every Settings page, in any shipped
language: `python tools/screenshot.py OUT_DIR [WxH ...] [--language fr] [--scan SERIAL]`."""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from grading_station import app, cli, i18n, log  # noqa: E402
from grading_station.station import Station  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("sizes", nargs="*", default=["1366x768", "1920x1080"])
    parser.add_argument("--language", default="en", choices=sorted(i18n.LANGUAGES))
    parser.add_argument("--scan", default="353918111045122", help="a demo unit shown on the bench ('' for none)")
    options = parser.parse_args()
    sizes = [tuple(int(v) for v in s.split("x")) for s in options.sizes]
    options.out.mkdir(parents=True, exist_ok=True)
    args: argparse.Namespace = cli.build_parser().parse_args(["--demo", "--temp-basedir"])
    log.init()
    i18n.install(options.language)
    qt_app = QApplication.instance() or QApplication([])
    from grading_station.ui.qt_translations import install_qt_translations

    install_qt_translations(qt_app, options.language)
    paths, temp = app._paths(args)
    station = Station(app.build_core(args, paths), args)
    station.start()
    window, suffix = station.window, f"-{options.language}" if options.language != "en" else ""

    def save(name: str, width: int, height: int) -> None:
        settle = time.monotonic() + 0.8  # the workspace refreshes its data when shown (off the GUI thread)
        while time.monotonic() < settle:
            qt_app.processEvents()
            time.sleep(0.02)
        window.grab().save(str(options.out / f"{name}-{width}x{height}{suffix}.png"))

    def shoot() -> None:
        for width, height in sizes:
            window.resize(width, height)
            for key in window.workspace_keys():
                window.show_workspace(key)
                save(key, width, height)
            for row in range(station.settings.page_list.count()):
                station.settings.page_list.setCurrentRow(row)
                save(f"settings-{row}", width, height)
            window.show_workspace("bench")
        qt_app.quit()

    def scan() -> None:
        if options.scan:
            station.router.submit(options.scan, "scanner")
        QTimer.singleShot(1500, shoot)

    QTimer.singleShot(2500, scan)  # after the demo has connected and the camera has loaded
    qt_app.exec()
    station.stop()
    if temp:
        temp.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
