"""`python -m grading_station.sim odoo --port PORT`: a fresh simulated Odoo 18 database until stopped."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from grading_station.sim.serving import serve_until_stopped


def serve(args: argparse.Namespace) -> None:
    from grading_station.sim.odoo import OdooSimulator

    sim = OdooSimulator(args.db).start(port=args.port, host=args.host)
    serve_until_stopped(
        sim,
        f"Odoo 18 simulator on {sim.url} (database {args.db!r}, admin/admin, "
        f"admin API key {sim.admin_api_key})",
    )


def add_parser(
    sub: argparse._SubParsersAction, servers: dict[str, Callable[[argparse.Namespace], None]]
) -> None:
    """Register the `odoo` subcommand (called by grading_station.sim.__main__)."""
    parser = sub.add_parser("odoo", help="Odoo 18 JSON-RPC simulator with a fresh database")
    parser.add_argument("--port", type=int, default=8069)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--db", default="grading", help="database name")
    servers["odoo"] = serve
