"""`python -m grading_station.sim backmarket --port PORT`: Back Market simulator with the demo products."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from grading_station.sim.serving import serve_until_stopped


def serve(args: argparse.Namespace) -> None:
    from grading_station.sim.backmarket.demo import demo_simulator

    sim = demo_simulator(args.token, task_delay=args.task_delay).start(port=args.port)
    serve_until_stopped(
        sim,
        f"Back Market simulator on {sim.url} (token {args.token!r}; User-Agent BM-<Company>-<App>;<email>)",
    )


def add_parser(
    sub: argparse._SubParsersAction, servers: dict[str, Callable[[argparse.Namespace], None]]
) -> None:
    """Register the `backmarket` subcommand (called by grading_station.sim.__main__)."""
    parser = sub.add_parser(
        "backmarket", help="Back Market seller API simulator, checked against openapi.yml"
    )
    parser.add_argument("--port", type=int, default=8071)
    parser.add_argument("--token", default="demo-token", help="API token the simulator accepts")
    parser.add_argument(
        "--task-delay", type=float, default=2.0, help="seconds before a CSV batch task completes"
    )
    servers["backmarket"] = serve
