"""The simulator hooks the gateway tests use, in one place."""

from __future__ import annotations


def fail_next(sim, model: str, method: str, **kwargs) -> None:
    sim.fail_next(model, method, **kwargs)
