"""Reason codes: every code the domain declares has words whose placeholders are its parameters; Reasons
survive JSON; a KnownError carrying one words it when read."""

import importlib
import pkgutil
import string

import pytest

import grading_station.domain
from grading_station.domain.battery import CYCLES_IMPLAUSIBLE
from grading_station.domain.checklist import FAILED, PHOTOS_MISSING
from grading_station.domain.grades import AT_BEST, NOT_FINAL, ZONE_CONDITION
from grading_station.domain.reasons import CODES, Reason

from grading_station.errors import InputError
from grading_station.wording import WORDINGS, describe, describe_source

for _module in pkgutil.iter_modules(grading_station.domain.__path__):
    importlib.import_module(f"grading_station.domain.{_module.name}")


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_the_domain_declares_codes():
    assert len(CODES) > 40


@pytest.mark.parametrize("code", sorted(CODES))
def test_every_code_has_words_with_its_parameters(code):
    wording = WORDINGS[code]
    names = CODES[code].names
    if wording.plural:  # `count` picks the form; a form may leave it out ("photos missing: {slots}")
        assert "count" in names
        assert placeholders(wording.template) | {"count"} == names == placeholders(wording.plural) | {"count"}
    else:
        assert placeholders(wording.template) == names
    assert wording.titles <= CODES[code].names


def test_no_words_for_codes_nobody_declares():
    assert set(WORDINGS) - set(CODES) == set()


def test_a_code_takes_exactly_its_parameters():
    with pytest.raises(TypeError, match="takes"):
        FAILED(title="Screen")


def test_reasons_survive_json_and_stay_hashable():
    reason = NOT_FINAL(missing=(FAILED(step="Screen"), PHOTOS_MISSING(slots=("Front", "Back"), count=2)))
    nested = AT_BEST(reason=ZONE_CONDITION(zone="Back", condition="Visible scratches"), grade="Good")
    for value in (reason, nested, CYCLES_IMPLAUSIBLE(cycles=9000, maximum=5000)):
        assert Reason.from_json(value.to_json()) == value
        assert hash(Reason.from_json(value.to_json())) == hash(value)
    assert describe_source(reason) == "not final: Screen: failed; photos missing: front, back"
    assert describe_source(nested) == "back: visible scratches → Good at best"


def test_plural_follows_the_count():
    assert describe_source(PHOTOS_MISSING(slots=("Front",), count=1)) == "photo missing: front"


def test_a_known_error_words_its_reason_when_read():
    error = InputError(CYCLES_IMPLAUSIBLE(cycles=9000, maximum=5000))
    expected = "9000 cycles is not plausible (at most 5000): check the reading and type it again."
    assert error.user_message == expected and str(error) == expected
    assert error.reason == CYCLES_IMPLAUSIBLE(cycles=9000, maximum=5000)
    assert InputError("plain words").user_message == "plain words"


def test_an_unknown_code_is_shown_as_its_code():
    assert describe(Reason("nobody.declared")) == "nobody.declared"
