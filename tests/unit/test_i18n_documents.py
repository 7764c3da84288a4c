"""Documents in their reader's language (the buyer's certificate): a catalogue per language or market, while the
station's own language stays as it is."""

from __future__ import annotations

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

from grading_station import i18n


def french_catalogue(folder):
    catalog = Catalog(locale="fr", domain=i18n.DOMAIN)
    catalog.add("Warranty", "Garantie")
    target = folder / "fr" / "LC_MESSAGES"
    target.mkdir(parents=True)
    with (target / f"{i18n.DOMAIN}.mo").open("wb") as handle:
        write_mo(handle, catalog)
    return folder


def test_a_market_gets_its_language_and_the_station_keeps_its_own(tmp_path):
    folder = french_catalogue(tmp_path)
    before = i18n.current_language()
    assert i18n.translations_for("fr-fr", folder).gettext("Warranty") == "Garantie"
    assert i18n.translations_for("fr_FR", folder).gettext("Warranty") == "Garantie"
    assert i18n._("Warranty") == "Warranty"  # the station's screens are not switched to French
    assert i18n.current_language() == before


def test_english_and_unshipped_languages_read_the_source_strings(tmp_path):
    folder = french_catalogue(tmp_path)
    assert i18n.translations_for("en-gb", folder).gettext("Warranty") == "Warranty"
    assert i18n.translations_for("nl-nl", folder).gettext("Warranty") == "Warranty"


def test_shipped_language_of_tags():
    assert [i18n.shipped_language(t) for t in ("fr-fr", "de_DE", "IT", "es-es", "nl-nl", "")] == \
        ["fr", "de", "it", "es", "en", "en"]
