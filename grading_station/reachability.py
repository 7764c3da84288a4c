"""Tracks whether a remote system answers, and tells a listener only when that changes (for the status bar)."""

from __future__ import annotations

import threading
from collections.abc import Callable

ReachabilityListener = Callable[[bool, str], None]  # (reachable, detail in the user's words)


class Reachability:
    """`note(True)` after any answer, `note(False, why)` when the system could not be reached; listeners hear
    each change once (on the noting thread), not every call."""

    def __init__(self) -> None:
        self._state: bool | None = None
        self._lock = threading.Lock()
        self._listeners: list[ReachabilityListener] = []

    def listen(self, listener: ReachabilityListener) -> None:
        self._listeners.append(listener)

    @property
    def reachable(self) -> bool | None:
        """None until the first call."""
        return self._state

    def note(self, reachable: bool, detail: str = "") -> None:
        with self._lock:
            if self._state == reachable:
                return
            self._state = reachable
        for listener in list(self._listeners):
            listener(reachable, detail)
