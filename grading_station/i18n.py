"""Translations: gettext catalogues in resources/translations/<lang>/LC_MESSAGES/grading_station.mo.

Every user-facing string goes through `_()` (translated where it is used) or `N_()` (only marked: a constant that
is translated later, when shown, e.g. a setting's title or a reason code's wording). Placeholders are named and
filled after translation, so a translator can move them:

❌ `f"Order {order} needs {model}"`: the catalogue never sees it.
✅ `_("Order {order} needs {model}").format(order=order, model=model)`.

The domain never translates: it returns codes with parameters (domain/reasons.py), worded by wording.py.
`tools/i18n.py` extracts the strings (Python and resources/*.toml), updates the .po files and compiles them.
Qt-free: adapters and services use it too for the messages of their KnownErrors.
"""

from __future__ import annotations

import gettext
import locale
import os
import threading
from pathlib import Path

from grading_station.paths import RESOURCES

DOMAIN = "grading_station"
TRANSLATIONS = RESOURCES / "translations"
SOURCE_LANGUAGE = "en"
# The languages shipped (resources/translations); the first is the language the source strings are written in.
LANGUAGES: dict[str, str] = {
    "en": "English",
    "fr": "Français",
    "de": "Deutsch",
    "es": "Español",
    "it": "Italiano",
}

_lock = threading.Lock()
_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = SOURCE_LANGUAGE


def _(message: str) -> str:
    """`message` in the station's language (itself when the catalogue has no translation)."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural form for `count` in the station's language (fill `{count}` afterwards)."""
    return _translation.ngettext(singular, plural, count)


def pgettext(context: str, message: str) -> str:
    """`message` translated in `context`, for a word that reads differently in two places ("N/A" key vs column)."""
    return _translation.pgettext(context, message)


def N_(message: str) -> str:  # noqa: N802 (gettext's own name for "mark only")
    """Mark `message` for the catalogue without translating it now (translate it with `_()` where shown)."""
    return message


def NN_(singular: str, plural: str) -> tuple[str, str]:  # noqa: N802
    """Mark a singular/plural pair for the catalogue; `ngettext(*pair, count)` where shown."""
    return singular, plural


def _system_locales() -> list[str]:
    return [os.environ.get(name, "") for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")]


def system_language() -> str:
    """The shipped language that matches the desktop's locale, or English."""
    candidates = _system_locales()
    try:
        candidates.append(locale.getlocale(locale.LC_MESSAGES)[0] or "")
    except (AttributeError, ValueError):  # LC_MESSAGES is missing on Windows
        pass
    for candidate in candidates:
        for part in candidate.split(":"):
            code = part.split(".")[0].split("_")[0].split("-")[0].lower()
            if code in LANGUAGES:
                return code
            if code and code not in ("c", "posix"):
                break
    return SOURCE_LANGUAGE


def install(language: str = "", translations: Path = TRANSLATIONS) -> str:
    """Use `language` ("" = follow the system) from now on; returns the language in force.

    A language without a compiled catalogue falls back to the source strings (English)."""
    global _translation, _language
    code = language or system_language()
    if code not in LANGUAGES:
        code = SOURCE_LANGUAGE
    if code == SOURCE_LANGUAGE:
        found: gettext.NullTranslations = gettext.NullTranslations()
    else:
        found = gettext.translation(DOMAIN, translations, languages=[code], fallback=True)
    with _lock:
        _translation, _language = found, code
    return code


def current_language() -> str:
    return _language


_catalogues: dict[tuple[str, Path], gettext.NullTranslations] = {}


def shipped_language(tag: str) -> str:
    """The shipped language of a language or market tag ("fr-fr", "de_DE", "it"), or English."""
    code = tag.strip().replace("_", "-").split("-")[0].lower()
    return code if code in LANGUAGES else SOURCE_LANGUAGE


def translations_for(language: str, translations: Path | None = None) -> gettext.NullTranslations:
    """The catalogue of `language` (a language or market tag), leaving the station's language as it is: for a
    document read by someone else, e.g. the buyer's certificate in the market's language. Use it as
    `_ = translations_for("fr-fr").gettext` so the strings are still extracted. Safe from any thread."""
    code = shipped_language(language)
    if code == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    translations = translations or TRANSLATIONS
    with _lock:
        found = _catalogues.get((code, translations))
        if found is None:
            found = gettext.translation(DOMAIN, translations, languages=[code], fallback=True)
            _catalogues[(code, translations)] = found
        return found


def use_translations(translations: gettext.NullTranslations, language: str = SOURCE_LANGUAGE) -> None:
    """Use this catalogue object from now on (tests: a pseudo-language that marks every translated string)."""
    global _translation, _language
    with _lock:
        _translation, _language = translations, language
def current_locale() -> str:
    """The locale numbers are read in: the system's ("de_CH") when it speaks the station's language, else that
    language ("de"). Passed to the domain (battery readings), which looks nothing up itself."""
    for candidate in (os.environ.get(name, "") for name in ("LC_ALL", "LC_NUMERIC", "LANG")):
        code = candidate.split(".")[0].split("@")[0].replace("-", "_")
        if code.split("_")[0].lower() == _language and "_" in code:
            return code
    return _language
