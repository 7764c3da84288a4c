"""Command line: `grading-station [--demo] [--temp-basedir] ...`."""

from __future__ import annotations

import argparse
import logging
import sys

from grading_station import log


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="grading-station", description=__doc__)
    parser.add_argument("--demo", action="store_true",
                        help="start the embedded Odoo and Back Market simulators with demo data and use them")
    parser.add_argument("--temp-basedir", action="store_true",
                        help="keep settings, drafts, outbox and photos in a throw-away directory")
    parser.add_argument("--json-logging", action="store_true", help="log one JSON object per line on stderr")
    parser.add_argument("--no-err-windows", action="store_true", help="log errors instead of showing dialogs")
    parser.add_argument("--debug", action="store_true", help="log at DEBUG level")
    parser.add_argument("--quit-when-ready", action="store_true",
                        help="exit as soon as the bench is ready to scan (start-up checks and benchmarks)")
    parser.add_argument("--scan-when-ready", metavar="SERIAL",
                        help="scan SERIAL as soon as the bench is ready, exit once the bench shows its unit "
                             "(start-up checks and benchmarks)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    log.init(logging.DEBUG if args.debug else logging.INFO, json_logging=args.json_logging)
    from grading_station import app  # Qt is imported only once arguments are valid

    return app.run(args)


if __name__ == "__main__":
    sys.exit(main())
