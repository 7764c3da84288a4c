"""Which grades a technician may pick against the checklist's suggestion, and which picks are upgrades.

Works on grade keys in the scale's order (best first, non-sellable outcomes last), as GradeAdvice carries them:
`possible_grades(choices, sellable, suggested)` -> the keys to offer; `is_upgrade(choices, sellable, suggested,
chosen)` -> True when the pick is a better sellable grade than the suggestion (a supervisor confirms it).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence


def possible_grades(choices: Sequence[str], sellable: Collection[str], suggested: str) -> tuple[str, ...]:
    """The grades the commit accepts: all of them, except that a unit the checklist sends to a non-sellable
    outcome (a failed test → Repair) cannot be given a sellable grade (domain.grades.validate_override)."""
    if suggested in sellable:
        return tuple(choices)
    return tuple(key for key in choices if key not in sellable)


def is_upgrade(choices: Sequence[str], sellable: Collection[str], suggested: str, chosen: str) -> bool:
    """True when `chosen` is a sellable grade better (earlier in `choices`) than the suggested one."""
    if chosen not in sellable or suggested not in choices or chosen not in choices:
        return False
    return choices.index(chosen) < choices.index(suggested)
