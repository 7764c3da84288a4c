"""`python -m grading_station.sim <name> [options]`: serve one simulator until stopped (Ctrl+C)."""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import pkgutil
import sys
from collections.abc import Callable

import grading_station.sim as sim_package


def _register(sub: argparse._SubParsersAction) -> dict[str, Callable[[argparse.Namespace], None]]:
    """Each simulator package with a `cli` module (defining `add_parser(sub, servers)`) is a subcommand."""
    servers: dict[str, Callable[[argparse.Namespace], None]] = {}
    for info in sorted(pkgutil.iter_modules(sim_package.__path__), key=lambda i: i.name):
        name = f"{sim_package.__name__}.{info.name}.cli"
        if info.ispkg and importlib.util.find_spec(name) is not None:
            importlib.import_module(name).add_parser(sub, servers)
    return servers


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m grading_station.sim", description=__doc__)
    sub = parser.add_subparsers(dest="name", required=True)
    servers = _register(sub)
    args = parser.parse_args(argv)
    try:
        servers[args.name](args)
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
