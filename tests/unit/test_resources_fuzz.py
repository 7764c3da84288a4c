"""Fuzzing the resource loaders on a fixed seed: the shipped checklists, grade scale and pricing rules with one
value swapped for a wrong type, a key dropped or added, or bytes damaged. Each file either loads or is a
KnownError naming the file; a faulty key is named with the line that holds it."""

from __future__ import annotations

import math
import random
import re

import pytest
import tomli_w

from grading_station.domain.resource_fields import ResourceError

from grading_station.errors import KnownError
from grading_station.paths import RESOURCES
from grading_station.resources import load_checklist, load_grade_scale, load_pricing

SEED = 8
CASES = 250
FILES = ["checklists/phone.toml", "checklists/laptop.toml", "checklists/tablet.toml", "grades.toml",
         "pricing.toml"]
WRONG = [0, -1, 1.5, math.nan, math.inf, "x", "", "1.5", True, False, [1, 2], [], {"a": 1}, {}, 10**30, ["a"],
         [{"id": "z"}], "repair", "EUR"]


def _load(name: str, folder):
    if name.startswith("checklists/"):
        return load_checklist(name.split("/")[1][:-5], folder)
    return (load_grade_scale if name == "grades.toml" else load_pricing)(folder / name)


def _nodes(node, where=()):
    """Every (container, key, path) in the document."""
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, value in items:
        yield node, key, where + (key,)
        yield from _nodes(value, where + (key,))


def _mutate(rng: random.Random, doc: dict) -> None:
    container, key, _ = rng.choice(list(_nodes(doc)))
    what = rng.random()
    if what < 0.7:
        container[key] = rng.choice(WRONG)
    elif what < 0.85 and isinstance(container, dict):
        del container[key]
    elif isinstance(container, dict):
        container[rng.choice(["colour", "min_batery", "notes"])] = 1
    else:
        container[key] = rng.choice(WRONG)


@pytest.fixture(scope="module")
def shipped():
    import tomllib

    return {name: tomllib.loads((RESOURCES / name).read_text(encoding="utf-8")) for name in FILES}


def test_damaged_resources_load_or_say_which_file_and_line(tmp_path, shipped):
    rng = random.Random(SEED)
    (tmp_path / "checklists").mkdir()
    loaded = named = 0
    for case in range(CASES):
        name = rng.choice(FILES)
        doc = tomllib_copy(shipped[name])
        for _ in range(rng.randrange(1, 3)):
            _mutate(rng, doc)
        data = tomli_w.dumps(doc).encode("utf-8")
        if rng.random() < 0.15:  # damaged bytes: invalid UTF-8 or TOML
            data = bytearray(data)
            for _ in range(rng.randrange(1, 4)):
                data[rng.randrange(len(data))] = rng.randrange(256)
            data = bytes(data)
        (tmp_path / name).write_bytes(data)
        try:
            _load(name, tmp_path)
        except KnownError as exc:
            file = name.split("/")[-1]
            assert exc.user_message.startswith(file), (case, exc.user_message)
            assert len(exc.user_message) < 500, case
            line = re.match(rf"^{re.escape(file)}, line (\d+): ", exc.user_message)
            if isinstance(exc, ResourceError) and exc.where and "is missing" not in exc.problem:
                assert line, (case, exc.user_message)  # a faulty key that is written in the file has a line
                text = data.decode("utf-8").splitlines()[int(line.group(1)) - 1]
                key = exc.where[-1]  # the line holds that key, or that entry of a list
                assert str(key) in text if isinstance(key, str) else "=" not in text.split("{")[0], (
                    case, exc.user_message, text)
                named += 1
        else:
            loaded += 1
    assert loaded > 10 and named > 100, (loaded, named)


def tomllib_copy(doc):
    if isinstance(doc, dict):
        return {k: tomllib_copy(v) for k, v in doc.items()}
    if isinstance(doc, list):
        return [tomllib_copy(v) for v in doc]
    return doc
