"""Run a started simulator in the foreground until the process is stopped (the `python -m grading_station.sim` CLIs)."""

from __future__ import annotations

import threading
from typing import Protocol


class _Stoppable(Protocol):
    def stop(self) -> None: ...


def serve_until_stopped(sim: _Stoppable, banner: str) -> None:
    print(banner, flush=True)
    try:
        threading.Event().wait()
    finally:
        sim.stop()
