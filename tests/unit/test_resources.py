import tomllib

import pytest

from grading_station.domain.checklist import StepKind

from grading_station.errors import KnownError
from grading_station.paths import RESOURCES
from grading_station.resources import checklist_categories, line_of, load_checklist, load_grade_scale, load_pricing


def test_every_category_has_a_checklist():
    assert checklist_categories() == ["laptop", "phone", "tablet"]


@pytest.mark.parametrize("category", ["phone", "tablet", "laptop"])
def test_shipped_checklists_are_complete(category, grade_scale):
    template = load_checklist(category)
    assert template.category == category and template.version >= 1
    kinds = {s.kind for s in template.steps}
    assert kinds == set(StepKind), f"{category} lacks {set(StepKind) - kinds}"
    [battery] = template.steps_of(StepKind.BATTERY)
    [cosmetic] = template.steps_of(StepKind.COSMETIC)
    [photos] = template.steps_of(StepKind.PHOTOS)
    assert {"screen"} <= {z.id for z in cosmetic.zones}
    required_slots = {s.id for s in photos.slots if s.required}
    assert {"screen_on", "side_left", "side_right"} <= required_slots
    assert "defects" in {s.id for s in photos.slots if not s.required}
    locks = [s for s in template.steps_of(StepKind.CONFIRM) if s.hold_if_not_confirmed]
    assert {"mdm", "data_wipe"} <= {s.id for s in locks}
    assert all(s.help for s in template.steps if s.kind != StepKind.PASS_FAIL), (
        "non-test steps explain themselves"
    )
    functional = template.steps_of(StepKind.PASS_FAIL)
    assert len(functional) >= 15
    assert all(s.repair_on_fail for s in functional if s.id not in ("parts_genuine", "liquid_indicator"))
    for zone in cosmetic.zones:  # every zone is judged by the scale's per-zone rules
        for grade in grade_scale.sellable:
            grade_scale.condition(grade.worst_condition_for(zone.id))


PHONE_TESTS = """display_pixels display_burn_in touch_grid camera_rear camera_front speakers earpiece
microphones buttons biometrics wifi bluetooth cellular gps nfc charging_port wireless_charging proximity
motion_sensors"""
TABLET_TESTS = """display_pixels touch_grid camera_rear camera_front speakers microphones buttons wifi
bluetooth cellular charging_port stylus"""
LAPTOP_TESTS = """display_pixels keyboard trackpad ports webcam hinge speakers microphone wifi bluetooth
charging storage_health"""


@pytest.mark.parametrize(
    ("category", "tests"), [("phone", PHONE_TESTS), ("tablet", TABLET_TESTS), ("laptop", LAPTOP_TESTS)]
)
def test_the_real_tests_are_there(category, tests):
    assert set(tests.split()) <= {s.id for s in load_checklist(category).steps}


def test_unknown_category():
    with pytest.raises(
        KnownError, match=r"no checklist for the category 'toaster' \(known: laptop, phone, tablet\)"
    ):
        load_checklist("toaster")


def test_broken_or_mislabelled_files(tmp_path):
    (tmp_path / "checklists").mkdir()
    (tmp_path / "checklists" / "phone.toml").write_text('id = "phone"\nversion = [', encoding="utf-8")
    with pytest.raises(KnownError, match=r"phone.toml cannot be read"):
        load_checklist("phone", tmp_path)
    laptop = (RESOURCES / "checklists" / "laptop.toml").read_text(encoding="utf-8")
    (tmp_path / "checklists" / "phone.toml").write_text(laptop, encoding="utf-8")
    with pytest.raises(KnownError, match=r"its category is 'laptop', expected 'phone'"):
        load_checklist("phone", tmp_path)
    with pytest.raises(KnownError, match=r"grades.toml is missing"):
        load_grade_scale(tmp_path / "grades.toml")


def test_a_three_tier_scale_is_a_configuration(tmp_path):
    data = tomllib.loads((RESOURCES / "grades.toml").read_text(encoding="utf-8"))
    data["grades"] = [g for g in data["grades"] if g["key"] != "excellent"]
    import tomli_w

    (tmp_path / "grades.toml").write_text(tomli_w.dumps(data), encoding="utf-8")
    scale = load_grade_scale(tmp_path / "grades.toml")
    assert [g.backmarket for g in scale.sellable] == ["PREMIUM", "GOOD", "FAIR"]


def _edited(tmp_path, name: str, old: str, new: str):
    """A copy of a shipped resource with one snippet replaced; its path and the 1-based line of the edit."""
    text = (RESOURCES / name).read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    at = text.index(old)
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text[:at] + new + text[at + len(old):], encoding="utf-8")
    return path, text.count("\n", 0, at) + 1 + new.count("\n", 0, len(new) - len(new.lstrip("\n")))


def test_a_grade_key_that_is_a_table_is_named_with_its_line(tmp_path):
    path, line = _edited(tmp_path, "grades.toml", 'key = "premium"', "key = {a=1}")
    with pytest.raises(KnownError) as caught:
        load_grade_scale(path)
    assert caught.value.user_message == f"grades.toml, line {line}: grades[1].key must be text, not {{'a': 1}}."


def test_sellable_must_be_true_or_false(tmp_path):
    path, line = _edited(tmp_path, "grades.toml", 'backmarket = "GOOD"\nsellable = true',
                         'backmarket = "GOOD"\nsellable = 0')
    with pytest.raises(KnownError) as caught:
        load_grade_scale(path)
    assert caught.value.user_message == (f"grades.toml, line {line + 1}: grades[3].sellable must be true or "
                                         "false, not 0.")


def test_a_misspelt_grade_field_is_not_a_silent_default(tmp_path):
    path, line = _edited(tmp_path, "grades.toml", "min_battery = 90", "min_batery = 90")
    with pytest.raises(KnownError, match=rf"^grades.toml, line {line}: grades\[1\]\.min_batery is not a known"):
        load_grade_scale(path)


def test_a_checklist_title_that_is_a_list_is_named_with_its_line(tmp_path):
    path, line = _edited(tmp_path, "checklists/phone.toml", 'title = "Smartphone"', "title = [1, 2]")
    with pytest.raises(KnownError) as caught:
        load_checklist("phone", tmp_path)
    assert caught.value.user_message == f"phone.toml, line {line}: title must be text, not [1, 2]."


def test_a_step_flag_of_the_wrong_type_is_named_with_its_line(tmp_path):
    path, line = _edited(tmp_path, "checklists/phone.toml", 'kind = "pass_fail"\nrepair_on_fail = false',
                         'kind = "pass_fail"\nrepair_on_fail = "no"')
    with pytest.raises(KnownError, match=rf"^phone.toml, line {line + 1}: steps\[2\]\.repair_on_fail must be true or "
                                         r"false, not 'no'\.$"):
        load_checklist("phone", tmp_path)


def test_a_currency_that_is_a_number_is_refused(tmp_path):
    path, line = _edited(tmp_path, "pricing.toml", 'currency = "GBP"', "currency = 1.5")
    with pytest.raises(KnownError) as caught:
        load_pricing(path)
    assert caught.value.user_message == f"pricing.toml, line {line}: markets.en-gb.currency must be text, not 1.5."


PAIR = r"grade_share\.phone\.premium must be a pair of numbers \[low, high\]"


@pytest.mark.parametrize(("old", "new", "problem"), [
    ("multiplier = 1.02", "multiplier = nan", r"markets\.de-de\.multiplier must be a number, not nan"),
    ('currency = "SEK"', 'currency = "1.5"', r"markets\.sv-se\.currency must be a 3-letter currency code"),
    ("good = 1", "good = 1.5", r"buffer\.good must be a whole number, not 1\.5"),
    ("premium = [0.85, 0.90]", "premium = [0.85]", PAIR + r", not \[0\.85\]"),
    ("premium = [0.85, 0.90]", 'premium = [0.85, "0.9"]', PAIR + r", not \[0\.85, '0\.9'\]"),
    ('"IP13-128-MID" = 729.0', '"IP13-128-MID" = inf', r"new_price\.IP13-128-MID must be a number, not inf"),
])
def test_pricing_values_are_type_checked(tmp_path, old, new, problem):
    path, line = _edited(tmp_path, "pricing.toml", old, new)
    with pytest.raises(KnownError, match=rf"^pricing.toml, line {line}: {problem}"):
        load_pricing(path)


def test_the_shipped_pricing_rules_load():
    table = load_pricing()
    assert table.markets["ja-jp"].currency == "JPY" and table.buffer("good") == 1


def test_invalid_utf8_names_the_file_and_the_line(tmp_path):
    (tmp_path / "checklists").mkdir()
    (tmp_path / "checklists" / "phone.toml").write_bytes(b'id = "phone"\nversion = 1\ntitle = "T\xe9l\xe9phone"\n')
    with pytest.raises(KnownError, match=r"^phone.toml, line 3: this is not UTF-8 text"):
        load_checklist("phone", tmp_path)
    (tmp_path / "grades.toml").write_bytes(b"\xff\xfe" + "version = 1".encode("utf-16-le"))
    with pytest.raises(KnownError, match=r"^grades.toml, line 1: this is not UTF-8 text"):
        load_grade_scale(tmp_path / "grades.toml")


def test_absurd_nesting_is_a_known_error(tmp_path):
    (tmp_path / "pricing.toml").write_text("x = " + "[" * 5000 + "]" * 5000, encoding="utf-8")
    with pytest.raises(KnownError, match=r"^pricing.toml cannot be read: it is nested far too deep"):
        load_pricing(tmp_path / "pricing.toml")


LINES = """version = 1
# a comment
[[grades]]
key = "a"
[[grades]]
title = "b"
min_battery = { phone = 80 }
[markets."fr-fr"]
multiplier = 1
currency = "EUR"
[[steps]]
id = "s"
zones = [
  { id = "z" },
]
"""


@pytest.mark.parametrize(("where", "line"), [
    (("version",), 1), (("grades", 0, "key"), 4), (("grades", 1, "min_battery", "phone"), 7),
    (("grades", 1, "title"), 6), (("grades", 1, "nothing"), 5), (("markets", "fr-fr", "currency"), 10),
    (("steps", 0, "zones", 1, "id"), 13), (("missing",), None), (("grades", 2, "key"), None),
])
def test_line_of_a_key(where, line):
    assert line_of(LINES, where) == line
