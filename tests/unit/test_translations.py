"""The shipped catalogues: extracted from the code as it is, fully translated, placeholders kept, compiled; and
the language follows the system or the setting (issue 7.5). Fix a failure with tools/i18n.py (see its doc)."""

import importlib.util
from pathlib import Path

import pytest

from grading_station.domain.checklist import FAILED, NO, ChecklistSession
from grading_station.domain.grades import AT_BEST, ZONE_CONDITION
from grading_station.domain.placement import decide_placement

from grading_station.services.bench_views import step_views

from grading_station import i18n
from grading_station.resources import load_checklist
from grading_station.wording import describe, describe_all, describe_all_source, describe_source
from tests.helpers.local_store import answered_session

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("i18n_tool", ROOT / "tools" / "i18n.py")
tool = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(tool)


def test_the_committed_template_is_a_fresh_extraction():
    assert tool.pot_problems() == []


def test_the_extraction_sees_code_and_resource_texts():
    ids = {m.id for m in tool.extract()}
    assert "{step}: failed" in ids  # wording.py
    assert "Powers on and boots to the home screen" in ids  # resources/checklists/phone.toml, a step title
    assert "Find My (Activation Lock) is still on" in ids  # a hold_reason
    assert "Light micro-scratches" in ids  # resources/grades.toml, a condition title
    assert "phone" not in {m.id for m in tool.extract() if "resources/" in str(m.locations)}  # ids are not texts


@pytest.mark.parametrize("language", tool.TRANSLATED)
def test_every_string_is_translated(language):
    assert tool.untranslated(language) == []


@pytest.mark.parametrize("language", tool.TRANSLATED)
def test_translations_keep_the_placeholders(language):
    assert tool.placeholder_mismatches(language) == []


@pytest.mark.parametrize("language", tool.TRANSLATED)
def test_the_compiled_catalogue_matches_its_po(language):
    assert tool.mo_is_fresh(language)


def test_placeholders_are_compared():
    assert tool.placeholders("{value} % of {maximum}, {{literal}}") == {"value", "maximum"}


@pytest.fixture
def system(monkeypatch):
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG", "LC_NUMERIC"):
        monkeypatch.delenv(name, raising=False)
    yield monkeypatch
    i18n.install("en")


@pytest.mark.parametrize(
    ("environment", "language"),
    [
        ({"LANG": "fr_FR.UTF-8"}, "fr"),
        ({"LANGUAGE": "de_AT:en", "LANG": "en_US.UTF-8"}, "de"),
        ({"LANG": "it_IT"}, "it"),
        ({"LC_ALL": "es_ES.UTF-8"}, "es"),
        ({"LANG": "pt_BR.UTF-8"}, "en"),  # not shipped: English
        ({"LANG": "C"}, "en"),
    ],
)
def test_install_follows_the_system_language(system, environment, language):
    for name, value in environment.items():
        system.setenv(name, value)
    assert i18n.install("") == language == i18n.current_language()


def test_the_setting_wins_over_the_system_and_words_the_domain(system):
    system.setenv("LANG", "de_DE.UTF-8")
    reason = FAILED(step="Powers on and boots to the home screen")
    assert i18n.install("fr") == "fr"
    assert i18n.current_locale() == "fr"  # numbers: the station's language, the system's region only if it matches
    worded = describe(reason)
    assert worded != describe_source(reason) and "Powers on" not in worded  # the step title is translated too
    assert describe_source(reason) == "Powers on and boots to the home screen: failed"  # what Odoo gets
    i18n.install("")
    assert i18n.current_language() == "de" and i18n.current_locale() == "de_DE"


def test_titles_are_lower_cased_inside_a_sentence_except_in_german(system):
    reason = AT_BEST(reason=ZONE_CONDITION(zone="Back", condition="Visible scratches"), grade="Good")
    i18n.install("fr")
    assert describe(reason) == "dos : rayures visibles → Très bon état au mieux"
    i18n.install("de")
    assert describe(reason) == "Rückseite: Sichtbare Kratzer → höchstens Gut"


def test_an_unknown_setting_falls_back_to_english(system):
    assert i18n.install("xx") == "en"
    assert describe(FAILED(step="Screen")) == "Screen: failed"


def test_the_bench_shows_checklist_texts_in_the_station_language(system):
    session = ChecklistSession(load_checklist("phone"))
    i18n.install("fr")
    views = {view.id: view for view in step_views(session, [("light", "Légères micro-rayures")])}
    assert views["power_on"].title == "S'allume et démarre jusqu'à l'écran d'accueil"
    assert views["power_on"].help.startswith("Maintenez le bouton marche")
    assert views["cosmetic.back"].title == "État : Dos"
    i18n.install("en")
    assert step_views(session, [])[0].title == "Powers on and boots to the home screen"


def test_odoo_gets_english_whatever_the_station_language(system, grade_scale):
    session = answered_session(load_checklist("phone")).answer("find_my", NO)
    decision = decide_placement(session, "good", grade_scale)
    i18n.install("fr")
    assert describe_all_source(decision.hold_reasons) == "Find My (Activation Lock) is still on"
    assert describe_all(decision.hold_reasons) == "Localiser (verrouillage d'activation) est toujours activé"


def test_the_bench_counts_the_open_steps_of_a_provisional_grade_in_the_station_language(system):
    """The grade page used to cut the "not final: <every open step>" reason by its English prefix, so other
    languages got the whole list; the service now words it as a count, in any language."""
    from grading_station.domain.grades import NOT_FINAL

    from grading_station.services.grading import _counted

    reason = _counted(NOT_FINAL(missing=("not done: Screen", "photos missing: front")))
    i18n.install("fr")
    assert describe(reason) == "provisoire : 2 étape(s) obligatoire(s) encore ouverte(s)"
    i18n.install("en")
    assert describe(reason) == "not final: 2 required step(s) still open"
