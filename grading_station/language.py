"""The station's language setting (`station.language`) and putting it in force at start-up."""

from __future__ import annotations

from grading_station import i18n
from grading_station.config import Config, declare
from grading_station.i18n import N_

declare(
    "station.language", str, "", N_("Language"),
    N_("Language of the screens from the next start: empty follows the computer's (English, French, German, "
       "Spanish, Italian)"),
    choices=("", *i18n.LANGUAGES),
)  # fmt: skip


def apply(config: Config) -> str:
    """Install the configured language ("" = the system's); returns the language in force."""
    return i18n.install(config.get("station.language"))
