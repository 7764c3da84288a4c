"""Tells a keyboard-wedge scanner burst from human typing by inter-key timing (pure: chars and timestamps).

The app-level key filter (ui/scan_filter.py) feeds every typed character with its timestamp and acts on
the returned `ScanOutput`: `scans` go to the ScanRouter; `typed` characters were held back while they might
have been the start of a scan and must be re-delivered to the focused widget in order. While `holding` is True
the filter swallows keys; it calls `poll(now_ms)` when `deadline_ms()` passes (a QTimer) so a lone typed key
is released without waiting for the next one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

MAX_BURST = 4096
"""A runaway burst (stuck trigger) is cut here to bound the buffer; the identifier check refuses it."""


@dataclass(frozen=True)
class ScanOutput:
    """What one `feed` or `poll` produced, in order: text released as typing, then completed scans."""

    typed: str = ""
    scans: tuple[str, ...] = ()

    def __add__(self, other: ScanOutput) -> ScanOutput:
        return ScanOutput(self.typed + other.typed, self.scans + other.scans)


class ScanBuffer:
    """Accumulates keys arriving at scanner speed; a burst of at least `min_length` characters, each within
    `max_interval_ms` of the previous one and ended by a terminator (Enter, Tab or the configured suffix),
    is a scan. Anything slower is typing and is passed through unchanged.

    `prefix`/`suffix` are the characters the scanner is configured to add; they are removed from scans. With
    `require_terminator=False` a fast burst that simply stops is a scan once `max_interval_ms` has passed.

    `free_text` is set (by the key filter, from the focused widget) while a free-text field has the focus: a
    fast typist there can reach scanner speed, so a burst is only a scan when it ends with the scanner's suffix
    (or, with no suffix configured, a terminator) and `free_text(value)` says it looks like a scan; anything
    else is typing and stays in the field.
    """

    def __init__(
        self,
        max_interval_ms: int = 30,
        min_length: int = 6,
        prefix: str = "",
        suffix: str = "",
        terminators: str = "\r\n\t",
        require_terminator: bool = True,
    ) -> None:
        self.max_interval_ms = max_interval_ms
        self.min_length = min_length
        self.prefix = prefix
        self.suffix = suffix
        self.terminators = terminators
        self.require_terminator = require_terminator
        self._chars: list[str] = []
        self._last_ms: int | None = None
        self._scan_end_ms: int | None = None  # when the last scan completed (to swallow a trailing "\n")
        self.free_text: Callable[[str], bool] | None = None

    @property
    def holding(self) -> bool:
        """True while characters are held back because they may be the start of a scan."""
        return bool(self._chars)

    @property
    def pending(self) -> str:
        return "".join(self._chars)

    def deadline_ms(self) -> int | None:
        """When `poll` should be called if no key arrives (None when nothing is held)."""
        return None if self._last_ms is None or not self._chars else self._last_ms + self.max_interval_ms + 1

    def feed(self, char: str, t_ms: int) -> ScanOutput:
        """One typed character (a single-character string; Enter as "\\r" or "\\n", Tab as "\\t")."""
        out = ScanOutput()
        if self._chars and self._last_ms is not None and t_ms - self._last_ms > self.max_interval_ms:
            out += self._end_of_burst()
        if not self._chars and char in self.terminators:
            if self._scan_end_ms is not None and t_ms - self._scan_end_ms <= self.max_interval_ms:
                # The rest of the scanner's terminator ("\r\n", suffix + Enter): swallowed, or it would
                # press the focused widget's default button.
                self._scan_end_ms = t_ms
                return out
            return out + ScanOutput(typed=char)  # an Enter or Tab typed on its own
        if char in self.terminators:
            return self._ended_at(out + self._terminate(char), t_ms)
        self._chars.append(char)
        self._last_ms = t_ms
        if self.suffix and self.pending.endswith(self.suffix) and len(self._chars) > len(self.suffix):
            return self._ended_at(out + self._terminate("", by_suffix=True), t_ms)
        if len(self._chars) >= MAX_BURST:
            return self._ended_at(out + self._complete(), t_ms)
        return out

    def _ended_at(self, out: ScanOutput, t_ms: int) -> ScanOutput:
        self._scan_end_ms = t_ms if out.scans else None
        return out

    def poll(self, t_ms: int) -> ScanOutput:
        """Release held characters once the keys have stopped for longer than `max_interval_ms`."""
        if self._chars and self._last_ms is not None and t_ms - self._last_ms > self.max_interval_ms:
            return self._ended_at(self._end_of_burst(), t_ms)
        return ScanOutput()

    def interrupt(self) -> ScanOutput:
        """A key that is never part of a scan (Ctrl+S, an arrow) arrived: what is held was typing; release it
        now so it reaches its widget before that key does."""
        return self._ended_at(self._release(""), 0) if self._chars else ScanOutput()

    def feed_text(self, text: str, start_ms: int, interval_ms: int) -> ScanOutput:
        """Feed a string as keys `interval_ms` apart (tests, benchmarks, replaying a recording)."""
        out = ScanOutput()
        for index, char in enumerate(text):
            out += self.feed(char, start_ms + index * interval_ms)
        return out

    def _end_of_burst(self) -> ScanOutput:
        # The keys stopped without a terminator: typing, unless the scanner sends no terminator at all.
        if not self.require_terminator and self.free_text is None and self._is_scan_length():
            return self._complete()
        return self._release("")

    def _terminate(self, terminator: str, by_suffix: bool = False) -> ScanOutput:
        if self._is_scan_length() and self._free_text_allows(by_suffix):
            return self._complete()
        return self._release(terminator)

    def _free_text_allows(self, by_suffix: bool) -> bool:
        if self.free_text is None:
            return True
        if self.suffix and not by_suffix:
            return False  # a scanner set up with a suffix always sends it: an Enter alone was typed
        return self.free_text(self._strip(self.pending))

    def _is_scan_length(self) -> bool:
        return len(self._strip(self.pending)) >= self.min_length

    def _complete(self) -> ScanOutput:
        scan = self._strip(self.pending)
        self._reset()
        return ScanOutput(scans=(scan,))

    def _release(self, terminator: str) -> ScanOutput:
        typed = self.pending + terminator
        self._reset()
        return ScanOutput(typed=typed)

    def _strip(self, text: str) -> str:
        if self.prefix and text.startswith(self.prefix):
            text = text[len(self.prefix) :]
        if self.suffix and text.endswith(self.suffix):
            text = text[: len(text) - len(self.suffix)]
        return text

    def _reset(self) -> None:
        self._chars.clear()
        self._last_ms = None
