import tomllib

import pytest

from grading_station.domain.checklist import StepKind

from grading_station.errors import KnownError
from grading_station.paths import RESOURCES
from grading_station.resources import checklist_categories, load_checklist, load_grade_scale


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
