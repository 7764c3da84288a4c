"""Two-frame confirmation and debounce for camera scans: no half-decoded values, no double scans.

A value is accepted once it was picked identically in `confirm_frames` frames within `window_s` (a different
value in between starts over). An accepted value is then ignored while it stays in view and for `repeat_s`
seconds after it was last seen, so a label held under the camera is scanned once. Time is passed in.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from grading_station.hardware.code_reading import Reading


@dataclass
class ScanConfirmer:
    """Feed it the picked reading of every decoded frame (None when nothing was picked)."""

    confirm_frames: int = 2
    repeat_s: float = 3.0
    window_s: float = 1.0
    _candidate: str = ""
    _count: int = 0
    _candidate_at: float = 0.0
    _accepted_seen: dict[str, float] = field(default_factory=dict)

    def feed(self, reading: Reading | None, now: float) -> Reading | None:
        """The reading when this frame confirms it, else None."""
        self._forget(now)
        if reading is None:
            return None
        value = reading.value
        if value in self._accepted_seen:
            self._accepted_seen[value] = now  # still in view: keep ignoring it
            return None
        if value == self._candidate and now - self._candidate_at <= self.window_s:
            self._count += 1
        else:
            self._candidate, self._count = value, 1
        self._candidate_at = now
        if self._count >= self.confirm_frames:
            self._candidate, self._count = "", 0
            self._accepted_seen[value] = now
            return reading
        return None

    def _forget(self, now: float) -> None:
        for value, seen in list(self._accepted_seen.items()):
            if now - seen > self.repeat_s:
                del self._accepted_seen[value]

    def reset(self) -> None:
        """Forget everything (e.g. after the settings changed or the camera came back)."""
        self._candidate, self._count = "", 0
        self._accepted_seen.clear()
