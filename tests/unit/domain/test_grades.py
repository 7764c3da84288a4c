import pytest

from grading_station.domain.battery import BatteryReading
from grading_station.domain.checklist import FAIL, NO, ChecklistSession
from grading_station.domain.grades import GradeScale, suggest_grade, validate_override
from grading_station.domain.units import Placement

from grading_station.errors import InputError, KnownError
from grading_station.wording import describe_source
from tests.helpers.local_store import answered_session


def worded(reasons):
    return [describe_source(reason) for reason in reasons]


def test_shipped_scale(grade_scale):
    assert [g.key for g in grade_scale.grades] == ["premium", "excellent", "good", "fair", "repair", "parts"]
    assert [g.backmarket for g in grade_scale.sellable] == ["PREMIUM", "EXCELLENT", "GOOD", "FAIR"]
    assert grade_scale.repair.key == "repair"
    assert grade_scale.grade("parts").placement == Placement.REPAIR
    assert grade_scale.by_backmarket("GOOD").key == "good"
    premium, good = grade_scale.grade("premium"), grade_scale.grade("good")
    assert premium.min_battery_for("phone") == 90 and premium.min_battery_for("laptop") == 90
    assert good.min_battery_for("phone") == 80 and good.min_battery_for("tablet") == 85
    assert good.worst_condition_for("screen") == "light" and good.worst_condition_for("back") == "visible"
    assert [c.key for c in grade_scale.conditions] == ["flawless", "light", "visible", "heavy", "cracked"]


# (category, battery, {zone: condition}, expected grade, expected reasons)
CASES = [
    ("phone", (95, 100), {}, "premium", ["meets every Premium criterion"]),
    ("phone", (90, None), {}, "premium", ["meets every Premium criterion"]),
    ("phone", (84, 300), {}, "excellent", ["battery 84 % < 90 % for Premium"]),
    ("phone", (80, 300), {}, "excellent", ["battery 80 % < 90 % for Premium"]),
    ("phone", (79, 300), {}, "repair",
     ["battery 79 % < 80 %, the minimum to sell a phone: replace the battery → Repair"]),
    ("laptop", (84, 300), {}, "repair",
     ["battery 84 % < 85 %, the minimum to sell a laptop: replace the battery → Repair"]),
    ("tablet", (86, 300), {}, "excellent", ["battery 86 % < 90 % for Premium"]),
    ("phone", (95, 10), {"back": "light"}, "excellent",
     ["back: light micro-scratches → Excellent at best"]),
    ("phone", (95, 10), {"back": "visible"}, "good", ["back: visible scratches → Good at best"]),
    ("phone", (95, 10), {"back": "heavy"}, "fair", ["back: deep scratches, dents → Fair at best"]),
    ("phone", (95, 10), {"screen": "visible"}, "fair", ["screen: visible scratches → Fair at best"]),
    ("phone", (95, 10), {"screen": "heavy"}, "repair",
     ["screen: deep scratches, dents: not sellable → Repair"]),
    ("phone", (95, 10), {"back": "cracked"}, "repair", ["back: cracks → Repair"]),
    ("phone", (84, 10), {"frame": "heavy", "camera_lens": "light"}, "fair",
     ["battery 84 % < 90 % for Premium", "frame and sides: deep scratches, dents → Fair at best",
      "camera lenses: light micro-scratches → Excellent at best"]),
    ("laptop", (91, 200), {"deck": "visible", "lid": "light"}, "good",
     ["lid (top cover): light micro-scratches → Excellent at best",
      "keyboard deck and palm rest: visible scratches → Good at best"]),
]  # fmt: skip


@pytest.mark.parametrize(("category", "battery", "conditions", "grade", "reasons"), CASES)
def test_suggested_grade_and_reasons(grade_scale, category, battery, conditions, grade, reasons):
    from grading_station.resources import load_checklist

    template = load_checklist(category)
    session = answered_session(template, battery=BatteryReading(*battery))
    for zone, condition in conditions.items():
        session = session.with_cosmetic(zone, condition)
    suggestion = suggest_grade(template, session, grade_scale)
    assert (suggestion.grade, worded(suggestion.reasons)) == (grade, reasons)
    assert suggestion.complete and worded(suggestion.hold_reasons) == []


def test_a_failed_functional_test_means_repair(grade_scale, phone_checklist):
    session = answered_session(phone_checklist).answer("camera_rear", FAIL).answer("earpiece", FAIL)
    suggestion = suggest_grade(phone_checklist, session, grade_scale)
    assert suggestion.grade == "repair"
    assert worded(suggestion.reasons) == [
        "Rear cameras: photo and video on every lens, focus, flash: failed → Repair",
        "Earpiece: clear during a test call: failed → Repair",
    ]


def test_a_failure_that_needs_no_repair_rules_out_premium(grade_scale, phone_checklist):
    session = answered_session(phone_checklist).answer("parts_genuine", FAIL)
    suggestion = suggest_grade(phone_checklist, session, grade_scale)
    assert suggestion.grade == "excellent"
    assert worded(suggestion.reasons) == [
        "No unknown-part warning (screen, battery, camera): failed → Excellent at best"
    ]


def test_a_failure_that_needs_no_repair_is_only_noted_when_every_grade_allows_it(phone_checklist):
    data = {
        "conditions": [{"key": "flawless", "title": "Flawless"}],
        "grades": [
            {"key": "a", "title": "A", "worst_condition": "flawless"},
            {"key": "r", "title": "R", "sellable": False},
        ],
    }  # fmt: skip
    session = answered_session(phone_checklist).answer("liquid_indicator", FAIL)
    suggestion = suggest_grade(phone_checklist, session, GradeScale.from_dict(data))
    assert suggestion.grade == "a"
    assert worded(suggestion.reasons) == [
        "meets every A criterion",
        "Liquid contact indicator not triggered: failed (noted, no repair needed)",
    ]


def test_an_account_lock_is_a_hold_reason_not_a_grade(grade_scale, phone_checklist):
    session = answered_session(phone_checklist).answer("find_my", NO)
    suggestion = suggest_grade(phone_checklist, session, grade_scale)
    assert suggestion.grade == "premium"
    assert worded(suggestion.hold_reasons) == ["Find My (Activation Lock) is still on"]


def test_a_suggestion_mid_checklist_says_it_is_not_final(grade_scale, phone_checklist):
    session = ChecklistSession(phone_checklist).with_cosmetic("back", "visible")
    suggestion = suggest_grade(phone_checklist, session, grade_scale)
    assert suggestion.grade == "good" and not suggestion.complete
    assert describe_source(suggestion.reasons[0]) == "back: visible scratches → Good at best"
    assert describe_source(suggestion.reasons[1]).startswith("not final: not done: Powers on")


def test_cycle_limits_when_a_scale_sets_them(phone_checklist):
    data = {
        "conditions": [{"key": "ok", "title": "OK"}],
        "grades": [
            {
                "key": "a",
                "title": "A",
                "min_battery": 80,
                "max_cycles": {"phone": 500},
                "worst_condition": "ok",
            },
            {"key": "b", "title": "B", "min_battery": 80, "worst_condition": "ok"},
            {"key": "r", "title": "R", "sellable": False},
        ],
    }
    scale = GradeScale.from_dict(data)
    template = phone_checklist
    session = answered_session(template, battery=BatteryReading(95, 720), condition="ok")
    suggestion = suggest_grade(template, session, scale)
    assert (suggestion.grade, worded(suggestion.reasons)) == ("b", ["battery 720 cycles > 500 for A"])


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"conditions": [], "grades": [{"key": "a", "title": "A"}]}, r"non-sellable"),
        ({"conditions": [{"key": "ok", "title": "OK"}],
          "grades": [{"key": "a", "title": "A", "worst_condition": "shiny"},
                     {"key": "r", "title": "R", "sellable": False}]},
         r"unknown condition 'shiny'"),
        ({"conditions": [{"key": "ok", "title": "OK"}],
          "grades": [{"key": "a", "title": "A", "worst_condition": "ok"},
                     {"key": "a", "title": "R", "sellable": False}]},
         r"two grades share a key"),
    ],
)  # fmt: skip
def test_scale_errors(data, message):
    with pytest.raises(KnownError, match=message):
        GradeScale.from_dict(data)


# (suggested, chosen, reason given, reason kept)
OVERRIDES = [
    ("good", "good", "", ""),
    ("good", "fair", "  chip on the   camera ring ", "chip on the camera ring"),
    ("good", "premium", "customer return, re-polished", "customer return, re-polished"),
    ("premium", "parts", "logic board water damage", "logic board water damage"),
    ("repair", "parts", "board beyond repair", "board beyond repair"),
]

# (suggested, chosen, reason given, error)
REFUSED_OVERRIDES = [
    ("good", "fair", "", r"^You chose Fair instead of the suggested Good: say why"),
    ("good", "fair", "   ", r"say why"),
    ("good", "fair", "meh", r"'meh' is too short"),
    ("repair", "good", "camera is fine really", r"sends this unit to Repair: it cannot be graded Good"),
    ("good", "mint", "looks mint", r"no grade 'mint'"),
]


@pytest.mark.parametrize(("suggested", "chosen", "reason", "kept"), OVERRIDES)
def test_validate_override(grade_scale, suggested, chosen, reason, kept):
    assert validate_override(grade_scale, suggested, chosen, reason) == kept


@pytest.mark.parametrize(("suggested", "chosen", "reason", "error"), REFUSED_OVERRIDES)
def test_override_refused(grade_scale, suggested, chosen, reason, error):
    with pytest.raises(InputError, match=error):
        validate_override(grade_scale, suggested, chosen, reason)


def test_a_scale_with_unordered_criteria_never_suggests_a_grade_that_fails_one(phone_checklist):
    data = {
        "conditions": [{"key": "ok", "title": "OK"}, {"key": "worn", "title": "Worn"}],
        "grades": [
            {"key": "a", "title": "A", "min_battery": 90, "worst_condition": "worn"},
            {
                "key": "b",
                "title": "B",
                "min_battery": 80,
                "worst_condition": "ok",
            },  # stricter on looks than A
            {"key": "r", "title": "R", "sellable": False},
        ],
    }
    session = answered_session(phone_checklist, battery=BatteryReading(85), condition="worn")
    suggestion = suggest_grade(phone_checklist, session, GradeScale.from_dict(data))
    assert suggestion.grade == "r"
    assert worded(suggestion.reasons) == ["battery 85 % < 90 % for A → R"]
