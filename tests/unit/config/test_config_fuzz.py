"""Fuzzing the settings file and Setting.check on a fixed seed: every input loads (with problems listed) or is a
KnownError, every value read back is of its declared type, finite and in range, and saving never fails."""

from __future__ import annotations

import datetime
import math
import random

import pytest

from grading_station.config import Config, declared
from grading_station.errors import InputError, KnownError

SEED = 20261202
CASES = 300


def _value(rng: random.Random, depth: int = 0) -> str:
    pick = rng.randrange(14 if depth < 3 and rng.random() < 0.3 else 12 if depth < 3 else 10)
    return [
        lambda: str(rng.randint(-10, 10**6)),
        lambda: str(rng.choice([10**19, -(10**30), 10**400])),
        lambda: repr(rng.uniform(-1e6, 1e6)),
        lambda: rng.choice(["nan", "inf", "-inf", "+nan", "1e308", "-0.0", "1e-320"]),
        lambda: rng.choice(["true", "false"]),
        lambda: '"' + "".join(rng.choice("ab\\\"\n\t é\u0000") for _ in range(rng.randrange(8))) + '"',
        lambda: "'" + "x" * rng.randrange(300) + "'",
        lambda: "1979-05-27T07:32:00Z",
        lambda: "[" * rng.randrange(1, 40) + "]" * rng.randrange(1, 40),
        lambda: "{" + "a = " * rng.randrange(1, 3) + "1}",
        lambda: "[" + ", ".join(_value(rng, depth + 1) for _ in range(rng.randrange(4))) + "]",
        lambda: "{ k = " + _value(rng, depth + 1) + " }",
        lambda: "[" * 1200 + "]" * 1200,
        lambda: "{a = " * 1200 + "1" + "}" * 1200,
    ][pick]()


def _document(rng: random.Random) -> str:
    keys = [s.key for s in declared()] + ["odoo", "outbox.retry_max_s.deeper", "unknown.key"]
    lines = []
    for _ in range(rng.randrange(1, 5)):
        key = rng.choice(keys)
        if rng.random() < 0.05:
            key = ".".join(["a"] * rng.randrange(1, 200))
        lines.append(f"{key} = {_value(rng)}")
    text = "\n".join(lines) + "\n"
    if rng.random() < 0.15:  # damage a few bytes
        data = bytearray(text.encode("utf-8"))
        for _ in range(rng.randrange(1, 4)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        return data.decode("latin-1")
    return text


def _assert_valid(item, value) -> None:
    if item.type is float:
        assert isinstance(value, float) and math.isfinite(value)
    elif item.type is int:
        assert isinstance(value, int) and not isinstance(value, bool)
    else:
        assert isinstance(value, item.type)
    if item.minimum is not None:
        assert value >= item.minimum
    if item.maximum is not None:
        assert value <= item.maximum
    if item.choices:
        assert value in item.choices


def test_any_settings_file_loads_or_is_a_known_error(tmp_path, expected_logs):
    expected_logs.expect("grading_station.config", r".")  # values with a wrong type are reported
    rng = random.Random(SEED)
    path = tmp_path / "settings.toml"
    loaded = 0
    for case in range(CASES):
        path.write_bytes(_document(rng).encode("latin-1", errors="replace"))
        try:
            config = Config.load(path)
        except KnownError as exc:
            assert "settings.toml" in exc.user_message and len(exc.user_message) < 2000, case
            continue
        loaded += 1
        for item in declared():
            _assert_valid(item, config.get(item.key))
        config.save()  # whatever was loaded can be written back ...
        Config.load(path)  # ... and read again
    assert 0.2 * CASES < loaded < CASES  # the generator exercises both outcomes


def _random_python_value(rng: random.Random):
    return rng.choice([
        rng.randint(-(10**6), 10**6), rng.choice([10**400, -(10**19)]), rng.uniform(-1e9, 1e9),
        rng.choice([math.nan, math.inf, -math.inf, 1e308, -0.0]), rng.choice([True, False]), None,
        "x" * rng.randrange(5), ["a", 1], ("a", "b"), {"a": 1}, datetime.date(2026, 1, 1), b"bytes",
    ])


def test_setting_check_returns_a_valid_value_or_an_input_error():
    rng = random.Random(SEED)
    items = [s for s in declared() if not s.key.startswith("testsection.")]
    for _ in range(CASES * 3):
        item = rng.choice(items)
        value = _random_python_value(rng)
        try:
            checked = item.check(value)
        except InputError as exc:
            assert item.key in exc.user_message and len(exc.user_message) < 400
            continue
        _assert_valid(item, checked)


@pytest.mark.parametrize("item", [s for s in declared() if s.type in (int, float)], ids=lambda s: s.key)
def test_every_bound_is_a_real_number(item):
    for bound in (item.minimum, item.maximum):
        assert bound is not None and math.isfinite(bound)
