"""Why the domain refused or decided something, as a code with parameters; the UI words it (grading_station.wording).

The domain never writes sentences: `CYCLES_NEGATIVE = code("battery.cycles_negative", "cycles")` declares a code
with the names of its parameters, and `CYCLES_NEGATIVE(cycles=-3)` makes a `Reason` (hashable, JSON-able for
drafts and the outbox). A parameter is a str, int, float, a Reason, or a tuple of those.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Union

Param = Union[str, int, float, "Reason", tuple["Param", ...]]


@dataclass(frozen=True)
class Reason:
    """One reason: a dotted `code` ("battery.cycles_negative") and its parameters as sorted (name, value) pairs."""

    code: str
    params: tuple[tuple[str, Param], ...] = ()

    @property
    def args(self) -> dict[str, Param]:
        return dict(self.params)

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "params": {name: _param_to_json(value) for name, value in self.params}}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Reason:
        params = data.get("params") or {}
        return cls(data["code"], tuple(sorted((k, _param_from_json(v)) for k, v in params.items())))


def _param_to_json(value: Param) -> Any:
    if isinstance(value, Reason):
        return value.to_json()
    if isinstance(value, tuple):
        return [_param_to_json(item) for item in value]
    return value


def _param_from_json(value: Any) -> Param:
    if isinstance(value, Mapping):
        return Reason.from_json(value)
    if isinstance(value, list):
        return tuple(_param_from_json(item) for item in value)
    return value


@dataclass(frozen=True)
class ReasonCode:
    """A declared code: calling it with exactly its parameters makes a Reason (a missing or extra one is a bug)."""

    code: str
    names: frozenset[str]

    def __call__(self, **params: Param) -> Reason:
        if set(params) != self.names:
            raise TypeError(f"reason {self.code} takes {sorted(self.names)}, got {sorted(params)}")
        return Reason(self.code, tuple(sorted((k, _frozen(v)) for k, v in params.items())))


def _frozen(value: Any) -> Param:
    return tuple(_frozen(item) for item in value) if isinstance(value, list | tuple) else value


CODES: dict[str, ReasonCode] = {}
"""Every code declared by an imported domain module (the wording test checks each has a wording)."""


def code(name: str, *params: str) -> ReasonCode:
    """Declare a reason code and the names of its parameters (once per name)."""
    declared = ReasonCode(name, frozenset(params))
    if CODES.setdefault(name, declared) != declared:
        raise ValueError(f"reason code {name} is declared twice with different parameters")
    return declared
