"""Saved JSON payloads (outbox items, drafts) read defensively: a damaged or newer row is reported, not crashed on."""

from __future__ import annotations

import json

from grading_station.i18n import _

PAYLOAD_VERSION = 1
"""The format of the payloads this release writes (the `version` column). Rows saved before the column
existed are in version 1's format; a newer version is set aside, never guessed at."""


def parse_payload(text: object, version: object) -> tuple[dict, str]:
    """(payload, "") when the row is usable, else ({}, why not) in the user's words."""
    if version != PAYLOAD_VERSION:
        if isinstance(version, int) and version > PAYLOAD_VERSION:
            return {}, _("saved by a newer Grading Station (data format {version}): update this station to "
                         "use it").format(version=version)
        return {}, _("saved in an unknown data format ({version})").format(version=version)
    try:
        payload = json.loads(text)  # type: ignore[arg-type]
    except (TypeError, ValueError) as exc:  # not JSON, not text, undecodable bytes
        return {}, _("its saved data is damaged and cannot be read ({error})").format(error=exc)
    if not isinstance(payload, dict):
        return {}, _("its saved data is damaged (not a record)")
    return payload, ""
