"""Config: declared settings, typed get/set, TOML round trip keeping unknown keys, clear type errors."""

from __future__ import annotations

import math
import os
import stat
import sys
import tomllib

import pytest

from grading_station import config as config_mod
from grading_station.config import Config, declare, declared
from grading_station.errors import InputError, KnownError


def test_defaults_without_a_file(paths):
    config = Config.load(paths.config_file)
    assert config.get("odoo.auth") == "password"
    assert config.get("scanner.max_key_interval_ms") == 30
    assert config.get("scanner.serial_patterns") == []
    assert config.problems == []


def test_set_save_and_load_round_trip_keeps_unknown_keys(paths):
    paths.config_file.write_text('future = "kept"\n[odoo]\nurl = "http://old"\nfancy = 3\n', encoding="utf-8")
    config = Config.load(paths.config_file)
    config.set("odoo.url", "https://erp.example.com")
    config.set("scanner.serial_patterns", ["^C02[A-Z0-9]{8}$"])
    config.set("photos.jpeg_quality", 70)
    config.save()

    doc = tomllib.loads(paths.config_file.read_text(encoding="utf-8"))
    assert doc["future"] == "kept" and doc["odoo"]["fancy"] == 3
    again = Config.load(paths.config_file)
    assert again.get("odoo.url") == "https://erp.example.com"
    assert again.get("scanner.serial_patterns") == ["^C02[A-Z0-9]{8}$"]
    assert again.get("photos.jpeg_quality") == 70


def test_set_rejects_a_wrong_type_in_plain_words(paths):
    config = Config.load(paths.config_file)
    with pytest.raises(InputError, match=r"Key interval \(ms\).*must be a whole number, not 'fast'"):
        config.set("scanner.max_key_interval_ms", "fast")
    with pytest.raises(InputError, match="must be one of “password”, “api_key”"):
        config.set("odoo.auth", "token")
    with pytest.raises(InputError, match="at most 100"):
        config.set("photos.jpeg_quality", 101)
    with pytest.raises(InputError, match="must be a whole number"):
        config.set("photos.jpeg_quality", True)  # bool is an int in Python, not for us


def test_wrong_type_in_file_falls_back_to_default_and_is_reported(paths, expected_logs):
    expected_logs.expect("grading_station.config", r"Key interval .* must be a whole number")
    paths.config_file.write_text('[scanner]\nmax_key_interval_ms = "fast"\n', encoding="utf-8")
    config = Config.load(paths.config_file)
    assert config.get("scanner.max_key_interval_ms") == 30
    assert len(config.problems) == 1
    assert "scanner.max_key_interval_ms" in config.problems[0] and "default (30)" in config.problems[0]


def test_invalid_toml_is_a_known_error(paths):
    paths.config_file.write_text("[odoo\nurl = 1", encoding="utf-8")
    with pytest.raises(KnownError, match="settings file .* cannot be read"):
        Config.load(paths.config_file)


def test_change_listener_hears_only_real_changes(paths):
    config = Config.load(paths.config_file)
    heard = []
    config.on_change(lambda key, value: heard.append((key, value)))
    config.set("station.name", "Bench 7")
    config.set("station.name", "Bench 7")
    config.set("photos.jpeg_quality", 90)
    assert heard == [("station.name", "Bench 7"), ("photos.jpeg_quality", 90)]


def test_other_modules_declare_their_own_settings(paths):
    declare("testsection.threshold", float, 0.5, "Threshold", "A test-only setting", minimum=0)
    declare("testsection.threshold", float, 0.5, "Threshold", "A test-only setting", minimum=0)  # idempotent
    with pytest.raises(ValueError, match="declared twice"):
        declare("testsection.threshold", float, 0.7, "Threshold", "A test-only setting")
    config = Config.load(paths.config_file)
    config.set("testsection.threshold", 2)  # an int is a fine float
    assert config.get("testsection.threshold") == 2.0
    assert [s.key for s in declared("testsection")] == ["testsection.threshold"]
    with pytest.raises(KeyError, match="never declared"):
        config.get("testsection.nothing")
    config_mod._REGISTRY.pop("testsection.threshold")


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes; Windows relies on profile ACLs")
def test_saved_settings_are_readable_by_this_user_only(tmp_path):
    old = os.umask(0o022)  # the usual desktop umask, which made settings.toml 0644 before
    try:
        path = tmp_path / "config" / "settings.toml"
        config = Config.load(path)
        config.set("station.technician", "Alice Martin")
        config.save()
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700
        assert Config.load(path).get("station.technician") == "Alice Martin"
    finally:
        os.umask(old)


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_non_finite_numbers_are_refused(paths, value):
    # NaN passed every bound (nan < 1 is False): a NaN retry wait left the item "delivering" forever.
    config = Config.load(paths.config_file)
    with pytest.raises(InputError, match=r"First retry after \(s\).* must be a real number"):
        config.set("outbox.retry_initial_s", value)
    assert config.get("outbox.retry_initial_s") == 5.0


@pytest.mark.parametrize("text", ["nan", "inf", "-inf", "+nan"])
def test_non_finite_numbers_in_the_file_fall_back_to_the_default(paths, expected_logs, text):
    expected_logs.expect("grading_station.config", r"Longest retry wait .* must be a real number")
    paths.config_file.write_text(f"[outbox]\nretry_max_s = {text}\n", encoding="utf-8")
    config = Config.load(paths.config_file)
    assert config.get("outbox.retry_max_s") == 600.0 and len(config.problems) == 1


def test_a_whole_number_too_big_for_a_float_is_refused(paths):
    config = Config.load(paths.config_file)
    with pytest.raises(InputError, match=r"Odoo timeout \(s\).* is far too large"):
        config.set("odoo.timeout_s", 10**400)


def test_retry_waits_are_bounded_so_the_outbox_cannot_stall(paths):
    config = Config.load(paths.config_file)
    with pytest.raises(InputError, match="at most 3600"):
        config.set("outbox.retry_max_s", 1e12)
    with pytest.raises(InputError, match="at most 600"):
        config.set("outbox.retry_initial_s", 86_400.0)
    with pytest.raises(InputError, match="at least 1"):
        config.set("outbox.retry_initial_s", 0.01)  # a failing delivery would hammer the server
    unbounded = [s.key for s in declared() if s.type in (int, float) and not s.key.startswith("testsection.")
                 and (s.minimum is None or s.maximum is None)]
    assert unbounded == []


@pytest.mark.parametrize(
    "text",
    [
        "x = " + "[" * 5000 + "]" * 5000,  # arrays: tomllib recursed into RecursionError
        "x = " + "{a = " * 5000 + "1" + "}" * 5000,  # inline tables
        "[" + ".".join(["a"] * 5000) + "]\nb = 1\n",  # dotted table: parses, but tomli_w recursed on save
    ],
)
def test_absurdly_deep_nesting_is_a_known_error_naming_the_file(paths, text):
    paths.config_file.write_text(text, encoding="utf-8")
    with pytest.raises(KnownError, match=r"settings file .*settings\.toml cannot be read: it is nested far too deep"):
        Config.load(paths.config_file)


def test_invalid_utf8_is_a_known_error_naming_the_file(paths):
    paths.config_file.write_bytes(b'[station]\nname = "Bench \xff"\n')
    with pytest.raises(KnownError, match=r"settings\.toml cannot be read"):
        Config.load(paths.config_file)
