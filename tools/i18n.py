"""Translation catalogues: `python tools/i18n.py extract|update|compile|check`.

extract  the strings of grading_station/**/*.py (`_`, `N_`, `NN_`, `ngettext`, `pgettext`) and the texts of
         resources/checklists/*.toml and resources/grades.toml -> resources/translations/grading_station.pot
update   merge the .pot into each shipped language's .po (created when missing); a changed string turns fuzzy
todo     write the strings some language still lacks as JSON ({msgid: {lang: ""}}, plurals: a list of forms)
fill     put the translations of such a JSON file (filled in) into the .po files, clearing their fuzzy flag
compile  .po -> .mo (committed: the app needs no build step)
check    what tests/unit/test_translations.py asserts: the .pot is fresh, every string is translated (not
         fuzzy) with the same {placeholders}, and the .mo files match their .po; exit 1 listing the problems

After adding strings: extract, update, todo > todo.json, translate it, fill todo.json, compile, check.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import sys
import tomllib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # this checkout's package, not an installed one

from babel.messages.catalog import Catalog  # noqa: E402
from babel.messages.extract import extract_from_dir, extract_from_file  # noqa: E402
from babel.messages.mofile import write_mo  # noqa: E402
from babel.messages.pofile import read_po, write_po  # noqa: E402

from grading_station.i18n import DOMAIN, LANGUAGES, SOURCE_LANGUAGE, TRANSLATIONS  # noqa: E402

POT = TRANSLATIONS / f"{DOMAIN}.pot"
KEYWORDS = {"_": None, "N_": None, "NN_": (1, 2), "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
PYTHON_MAP = [("sim/**.py", "ignore"), ("**.py", "python")]  # the simulators stand in for Odoo / Back Market
RESOURCE_FILES = ("resources/checklists/*.toml", "resources/grades.toml")
RESOURCE_TEXT_KEYS = {"title", "help", "description", "section", "hold_reason"}
"""Keys of the resource files whose values the screens show (ids, kinds and keys are not texts)."""
FIXED_DATE = datetime(2026, 1, 1, tzinfo=UTC)  # a stable header: the .pot changes only when strings do
TRANSLATED = [code for code in LANGUAGES if code != SOURCE_LANGUAGE]


def po_path(language: str) -> Path:
    return TRANSLATIONS / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(language: str) -> Path:
    return po_path(language).with_suffix(".mo")


def _toml_texts(data: object) -> Iterator[str]:
    if isinstance(data, dict):
        for key, value in data.items():
            if key in RESOURCE_TEXT_KEYS and isinstance(value, str) and value.strip():
                yield value
            else:
                yield from _toml_texts(value)
    elif isinstance(data, list):
        for item in data:
            yield from _toml_texts(item)


def extract_toml(fileobj, keywords, comment_tags, options):  # noqa: ARG001 (Babel's extractor signature)
    """Babel extractor for the resource files: every shown text (RESOURCE_TEXT_KEYS), translated at display."""
    for text in _toml_texts(tomllib.loads(fileobj.read().decode("utf-8"))):
        yield 0, "_", text, []


def _catalog(locale: str | None = None) -> Catalog:
    return Catalog(
        locale=locale, domain=DOMAIN, project="Grading Station", version="1", charset="utf-8",
        creation_date=FIXED_DATE, revision_date=FIXED_DATE, fuzzy=False,
        msgid_bugs_address="", copyright_holder="", last_translator="", language_team="",
    )  # fmt: skip


def extract() -> Catalog:
    catalog = _catalog()
    package = ROOT / "grading_station"
    for filename, _lineno, message, comments, context in extract_from_dir(
        package, PYTHON_MAP, keywords=KEYWORDS, comment_tags=("Translators:",), strip_comment_tags=True
    ):
        catalog.add(message, None, [(f"grading_station/{filename}", None)], auto_comments=comments, context=context)
    for pattern in RESOURCE_FILES:
        for path in sorted(ROOT.glob(pattern)):
            for _, message, _, _ in extract_from_file(extract_toml, path):
                catalog.add(message, None, [(path.relative_to(ROOT).as_posix(), None)])
    return catalog


def render_po(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=116, include_lineno=False, sort_output=True, ignore_obsolete=True)
    return out.getvalue()


def render_mo(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale, domain=DOMAIN)


def cmd_extract() -> None:
    POT.parent.mkdir(parents=True, exist_ok=True)
    POT.write_bytes(render_po(extract()))
    print(f"{POT.relative_to(ROOT)}: {len(extract())} strings")


def cmd_update() -> None:
    template = read(POT)
    for language in TRANSLATED:
        path = po_path(language)
        catalog = read(path, language) if path.exists() else _catalog(language)
        catalog.update(template, update_header_comment=False, update_creation_date=False)
        catalog.revision_date = FIXED_DATE
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(render_po(catalog))
        open_ = [m.id for m in catalog if m.id and (not _translated(m) or m.fuzzy)]
        print(f"{path.relative_to(ROOT)}: {len(open_)} to translate")


def _key(message) -> str:
    return message.id if isinstance(message.id, str) else message.id[0]


def cmd_todo() -> None:
    todo: dict[str, dict[str, object]] = {}
    for language in TRANSLATED:
        catalog = read(po_path(language), language)
        for message in catalog:
            if message.id and (message.fuzzy or not _translated(message)):
                forms = catalog.num_plurals if message.pluralizable else 0
                todo.setdefault(_key(message), {})[language] = [""] * forms if forms else ""
    print(json.dumps(todo, ensure_ascii=False, indent=1))


def cmd_fill(path: Path) -> None:
    translations = json.loads(path.read_text(encoding="utf-8"))
    for language in TRANSLATED:
        catalog = read(po_path(language), language)
        for message in catalog:
            text = translations.get(_key(message), {}).get(language) if message.id else None
            if text:
                message.string = tuple(text) if isinstance(text, list) else text
                message.flags.discard("fuzzy")
        po_path(language).write_bytes(render_po(catalog))


def cmd_compile() -> None:
    for language in TRANSLATED:
        mo_path(language).write_bytes(render_mo(read(po_path(language), language)))


def _translated(message) -> bool:
    strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
    return all(s for s in strings)


_PLACEHOLDER = re.compile(r"(?<!\{)\{(\w*)\}(?!\})")


def placeholders(text: str) -> set[str]:
    return set(_PLACEHOLDER.findall(text))


def pot_problems() -> list[str]:
    if not POT.exists() or POT.read_bytes() != render_po(extract()):
        return [f"{POT.relative_to(ROOT)} is out of date: run `python tools/i18n.py extract` (then update)"]
    return []


def untranslated(language: str) -> list[str]:
    """The msgids of the shipped .pot that `language` does not translate (missing, empty or fuzzy)."""
    catalog = read(po_path(language), language)
    missing = []
    for wanted in read(POT):
        if not wanted.id:
            continue
        found = catalog.get(wanted.id, wanted.context)
        if found is None or found.fuzzy or not _translated(found):
            missing.append(wanted.id if isinstance(wanted.id, str) else wanted.id[0])
    return missing


def placeholder_mismatches(language: str) -> list[str]:
    problems = []
    for message in read(po_path(language), language):
        if not message.id or not _translated(message):
            continue
        ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        wanted = set().union(*(placeholders(i) for i in ids))
        found = [placeholders(s) for s in strings]
        if len(ids) == 1:
            ok = found[0] == wanted
        else:  # a plural form may leave out {count}
            ok = all(f <= wanted for f in found) and set().union(*found) | {"count"} >= wanted
        if not ok:
            problems.append(f"{ids[0]!r}: {sorted(wanted)} vs {[sorted(f) for f in found]}")
    return problems


def mo_is_fresh(language: str) -> bool:
    path = mo_path(language)
    return path.exists() and path.read_bytes() == render_mo(read(po_path(language), language))


def problems() -> list[str]:
    found = pot_problems()
    for language in TRANSLATED:
        if not po_path(language).exists():
            found.append(f"{language}: no {po_path(language).relative_to(ROOT)}: run update")
            continue
        found += [f"{language}: untranslated: {msgid!r}" for msgid in untranslated(language)]
        found += [f"{language}: placeholders differ: {p}" for p in placeholder_mismatches(language)]
        if not mo_is_fresh(language):
            found.append(f"{language}: {mo_path(language).relative_to(ROOT)} does not match its .po: run compile")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["extract", "update", "todo", "fill", "compile", "check"])
    parser.add_argument("file", nargs="?", type=Path, help="fill: the JSON file of translations")
    args = parser.parse_args(argv)
    command = args.command
    if command == "fill":
        if args.file is None:
            parser.error("fill needs the JSON file")
        cmd_fill(args.file)
        return 0
    if command == "check":
        found = problems()
        print("\n".join(found) or "translations OK")
        return 1 if found else 0
    {"extract": cmd_extract, "update": cmd_update, "todo": cmd_todo, "compile": cmd_compile}[command]()
    return 0


if __name__ == "__main__":
    sys.exit(main())
