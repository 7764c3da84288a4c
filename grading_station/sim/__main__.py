"""`python -m grading_station.sim <name> --port PORT`: serve one simulator until stopped (Ctrl+C)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

# Subcommand name → function(args) that serves until interrupted; each simulator registers itself here.
SERVERS: dict[str, Callable[[argparse.Namespace], None]] = {}


def _serve_odoo(args: argparse.Namespace) -> None:
    from grading_station.sim.odoo import OdooSimulator

    sim = OdooSimulator(args.db)
    print(
        f"Odoo simulator: database {args.db!r} on http://{args.host}:{args.port} "
        f"(admin/admin, API key {sim.admin_api_key})",
        flush=True,
    )
    sim.serve_forever(args.port, args.host)


SERVERS["odoo"] = _serve_odoo


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m grading_station.sim", description=__doc__)
    sub = parser.add_subparsers(dest="name", required=True)
    odoo = sub.add_parser("odoo", help="Odoo 18 JSON-RPC simulator with a fresh database")
    odoo.add_argument("--port", type=int, default=8069)
    odoo.add_argument("--host", default="127.0.0.1")
    odoo.add_argument("--db", default="grading")
    from grading_station.sim.backmarket.cli import add_parser as add_backmarket

    add_backmarket(sub, SERVERS)
    args = parser.parse_args(argv)
    try:
        SERVERS[args.name](args)
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
