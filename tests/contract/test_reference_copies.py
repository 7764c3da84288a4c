"""The simulators' copies of the shared reference (Odoo transcripts, Back Market spec) match the originals.

The copies let the suite run without `../shared`; where it exists (a developer's checkout, CI) they must not drift."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"

COPIES = [
    (ROOT / "grading_station/sim/backmarket/openapi.yml", SHARED / "backmarket/openapi.yml"),
    *[
        (ROOT / "tests/contract/odoo_transcripts" / original.name, original)
        for original in sorted((SHARED / "odoo/transcripts").glob("*.json"))
    ],
]


@pytest.mark.skipif(not SHARED.is_dir(), reason="no ../shared beside this checkout")
@pytest.mark.parametrize(("copy", "original"), COPIES, ids=[c.name for c, _ in COPIES])
def test_copy_matches_the_shared_original(copy: Path, original: Path) -> None:
    assert copy.read_bytes() == original.read_bytes()


@pytest.mark.skipif(not SHARED.is_dir(), reason="no ../shared beside this checkout")
def test_every_transcript_is_copied() -> None:
    assert len(COPIES) == 1 + 10
