"""Fit rules for label text: a line never holds more characters than its box takes; long model names are
shortened the way a person would (common words abbreviated, then trailing words dropped, the storage kept)."""

from __future__ import annotations

import re

ELLIPSIS = "…"
# Words a model name can lose letters on without losing meaning (whole words only, case as written).
ABBREVIATIONS = (
    ("Generation", "Gen"),
    ("generation", "gen"),
    ("Cellular", "Cell"),
    ("Wi-Fi", "WiFi"),
    ("Dual SIM", "DS"),
    ("Unlocked", "Unl."),
    ("Edition", "Ed."),
)
# The storage ("256GB", "1 TB") tells two units of a model apart: it is the last word to go.
_CAPACITY = re.compile(r"^\d+(?:[.,]\d+)?\s?(?:GB|TB|Go|To)$", re.IGNORECASE)
_UNIT = re.compile(r"^(?:GB|TB|Go|To)$", re.IGNORECASE)


def _is_storage(words: list[str], i: int) -> bool:
    """words[i] is the storage, written as one word ("256GB") or two ("1 TB")."""
    word = words[i]
    if _CAPACITY.match(word):
        return True
    if _UNIT.match(word):
        return i > 0 and words[i - 1].replace(",", ".").replace(".", "", 1).isdigit()
    return i + 1 < len(words) and _UNIT.match(words[i + 1]) is not None and word.replace(".", "", 1).isdigit()


def wrap(words: list[str], max_chars: int, max_lines: int) -> tuple[str, ...] | None:
    """Words greedily wrapped into at most `max_lines` lines of at most `max_chars`; None when they don't fit."""
    lines: list[str] = []
    for word in words:
        if len(word) > max_chars:
            return None
        if lines and len(lines[-1]) + 1 + len(word) <= max_chars:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return tuple(lines) if len(lines) <= max_lines else None


def cut(text: str, max_chars: int) -> str:
    """`text` on one line of `max_chars`, ending with … when something was cut (a word boundary when the cut
    keeps most of the line)."""
    text = " ".join(text.split())
    if len(text) <= max_chars:
        return text
    if max_chars <= 1:
        return ELLIPSIS[:max_chars]
    head = text[: max_chars - 1]
    space = head.rfind(" ")
    if space >= (max_chars * 2) // 3:
        head = head[:space]
    return head.rstrip() + ELLIPSIS


def abbreviate(text: str) -> str:
    for long, short in ABBREVIATIONS:
        text = re.sub(rf"(?<!\w){re.escape(long)}(?!\w)", short, text)
    return text


def fit_model(name: str, max_chars: int, max_lines: int = 2) -> tuple[str, ...]:
    """A model name in at most `max_lines` lines of at most `max_chars`: as it is when it fits, else with
    common words abbreviated, else with trailing words (colour first, never the storage) dropped and … added."""
    words = name.split()
    if not words:
        return ()
    lines = wrap(words, max_chars, max_lines)
    if lines is not None:
        return lines
    words = abbreviate(" ".join(words)).split()
    lines = wrap(words, max_chars, max_lines)
    if lines is not None:
        return lines
    kept = list(words)
    while len(kept) > 1:
        droppable = [i for i in range(len(kept)) if not _is_storage(kept, i)]
        if not droppable or droppable[-1] == 0:
            break
        del kept[droppable[-1]]
        lines = wrap(kept[:-1] + [kept[-1] + ELLIPSIS], max_chars, max_lines)
        if lines is not None:
            return lines
    # One word too long for a line (or nothing left to drop): cut it by characters.
    flat = " ".join(words)
    out: list[str] = []
    for _ in range(max_lines - 1):
        out.append(flat[:max_chars].rstrip())
        flat = flat[max_chars:].lstrip()
    out.append(cut(flat, max_chars))
    return tuple(line for line in out if line)
