import pytest

from grading_station.domain.battery import BatteryReading
from grading_station.domain.checklist import (
    FAIL,
    NA,
    NO,
    PASS,
    YES,
    ChecklistError,
    ChecklistSession,
    ChecklistTemplate,
    StepKind,
)
from grading_station.domain.grading import PhotoRef

from grading_station.errors import InputError
from grading_station.wording import describe_source
from tests.helpers.local_store import answered_session


def worded(reasons):
    return [describe_source(reason) for reason in reasons]

MINI = {
    "id": "mini",
    "version": 2,
    "category": "phone",
    "title": "Mini",
    "steps": [
        {"id": "screen", "title": "Screen", "kind": "pass_fail", "section": "Display"},
        {"id": "nfc", "title": "NFC", "kind": "pass_fail", "allow_na": True, "section": "Radio"},
        {"id": "genuine", "title": "Genuine parts", "kind": "pass_fail", "repair_on_fail": False},
        {"id": "battery", "title": "Battery", "kind": "battery"},
        {
            "id": "cosmetic", "title": "Cosmetic", "kind": "cosmetic",
            "zones": [{"id": "screen", "title": "Screen"}, {"id": "back", "title": "Back"}],
        },
        {
            "id": "photos", "title": "Photos", "kind": "photos",
            "slots": [
                {"id": "front", "title": "Front"},
                {"id": "defects", "title": "Defects", "required": False},
            ],
        },
        {
            "id": "accessories", "title": "Accessories", "kind": "choice", "multiple": True,
            "options": [{"id": "cable", "title": "Cable"}, {"id": "box", "title": "Box"}],
        },
        {
            "id": "find_my", "title": "Find My off", "kind": "confirm", "allow_na": True,
            "hold_if_not_confirmed": True, "hold_reason": "Find My is still on",
        },
        {"id": "remark", "title": "Remark", "kind": "choice", "required": False,
         "options": [{"id": "a", "title": "A"}]},
    ],
}  # fmt: skip


@pytest.fixture
def mini() -> ChecklistTemplate:
    return ChecklistTemplate.from_dict(MINI)


def photo(slot: str) -> PhotoRef:
    return PhotoRef(slot, f"/p/{slot}.jpg", "a" * 40, f"{slot}.jpg")


def test_template_parses(mini):
    assert mini.ref == "mini@2"
    assert mini.sections == ("Display", "Radio", "")
    assert [z.id for z in mini.step("cosmetic").zones] == ["screen", "back"]
    assert [s.required for s in mini.step("photos").slots] == [True, False]
    assert mini.step("genuine").repair_on_fail is False
    assert mini.step("screen").repair_on_fail is True
    assert [s.id for s in mini.steps_of(StepKind.CONFIRM)] == ["find_my"]
    with pytest.raises(KeyError):
        mini.step("nope")


def bad(**changes) -> dict:
    data = {**MINI, "steps": [dict(s) for s in MINI["steps"]]}
    for key, value in changes.items():
        if key.startswith("step0_"):
            data["steps"][0][key[6:]] = value
        else:
            data[key] = value
    return data


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({k: v for k, v in MINI.items() if k != "version"}, r": version is missing"),
        (bad(version=0), r"version must be a whole number"),
        (bad(steps=[]), r"has no steps"),
        (bad(step0_kind="slider"), r"step 'screen' has kind 'slider'; use one of pass_fail"),
        (bad(step0_colour="red"), r"steps\[1\]\.colour is not a known setting here"),
        (bad(step0_id=""), r"step id '' must be lower-case letters"),
        (bad(step0_id="Screen.Test"), r"step id 'Screen.Test' must be lower-case letters"),
        (
            bad(
                steps=[{"id": "c", "title": "C", "kind": "choice", "options": [{"id": "a b", "title": "AB"}]}]
            ),
            r"option id 'a b'",
        ),
        (bad(steps=[MINI["steps"][0], MINI["steps"][0]]), r"two steps are called 'screen'"),
        (bad(steps=[{"id": "c", "title": "C", "kind": "cosmetic"}]), r"needs zones"),
        (
            bad(steps=[{"id": "c", "title": "C", "kind": "confirm", "hold_if_not_confirmed": True}]),
            r"needs a hold_reason",
        ),
    ],
)
def test_template_errors_name_the_problem(data, message):
    with pytest.raises(ChecklistError, match=message):
        ChecklistTemplate.from_dict(data, source="mini.toml")


def test_answers_are_checked_against_the_step(mini):
    session = ChecklistSession(mini)
    assert session.answer("nfc", NA).answers["nfc"] == NA
    cases = [
        ("screen", NA, r"'Screen' cannot be skipped"),
        ("screen", "maybe", r"answer pass, fail or not applicable"),
        ("find_my", "perhaps", r"answer yes or no"),
        ("accessories", ["charger"], r"has no option 'charger'"),
        ("remark", ["a", "a2"], r"pick one option"),
        ("battery", "87", r"not answered with a value"),
    ]
    for step_id, value, message in cases:
        with pytest.raises(InputError, match=message):
            session.answer(step_id, value)


def test_sessions_are_immutable_values(mini):
    empty = ChecklistSession(mini)
    answered = empty.answer("screen", PASS)
    assert "screen" not in empty.answers and answered.answers["screen"] == PASS
    with pytest.raises(TypeError):
        answered.answers["screen"] = FAIL  # type: ignore[index]


def test_multiple_choice_keeps_template_order_and_allows_none(mini):
    session = ChecklistSession(mini)
    assert session.answer("accessories", ["box", "cable"]).answers["accessories"] == "cable,box"
    assert session.answer("accessories", "box,cable").answers["accessories"] == "cable,box"
    nothing = session.answer("accessories", [])
    assert nothing.answers["accessories"] == "" and nothing.is_answered("accessories")


def test_navigation_and_progress(mini):
    session = ChecklistSession(mini)
    assert session.next_unanswered().id == "screen"
    session = session.answer("screen", PASS).answer("genuine", PASS)
    assert session.next_unanswered().id == "nfc"
    assert session.next_unanswered(after="genuine").id == "battery"
    assert session.next_unanswered(after="remark").id == "nfc"  # wraps round
    assert session.progress().answered == 2 and session.progress().total == 9
    assert session.progress().required_open == 6


def test_step_completeness_per_kind(mini):
    session = ChecklistSession(mini)
    assert not session.with_cosmetic("screen", "light").is_answered("cosmetic")
    assert session.with_cosmetic("screen", "light").with_cosmetic("back", "flawless").is_answered("cosmetic")
    assert not session.with_photo(photo("defects")).is_answered("photos")  # the optional slot is not enough
    assert session.with_photo(photo("front")).is_answered("photos")
    assert session.with_battery(BatteryReading(90)).is_answered("battery")


def test_missing_items_in_plain_words(mini):
    session = ChecklistSession(mini).answer("screen", PASS).with_cosmetic("back", "light")
    assert worded(session.missing()) == [
        "not done: NFC",
        "not done: Genuine parts",
        "battery reading not entered",
        "cosmetic inspection not done for: screen",
        "photo missing: front",
        "not done: Accessories",
        "not confirmed: Find My off",
    ]


def test_failures_split_into_repair_and_noted(mini):
    session = ChecklistSession(mini).answer("screen", FAIL).answer("genuine", FAIL)
    assert [s.id for s in session.failed_steps()] == ["screen", "genuine"]
    assert worded(session.repair_reasons()) == ["Screen: failed"]


def test_hold_reasons_put_account_locks_first(mini):
    session = answered_session(mini).answer("find_my", NO).without_photo("front")
    assert worded(session.hold_reasons()) == ["Find My is still on", "photo missing: front"]
    assert worded(answered_session(mini).hold_reasons()) == []
    assert worded(answered_session(mini).answer("find_my", YES).hold_reasons()) == []


def test_cleared_removes_everything_of_a_step(mini):
    session = answered_session(mini)
    assert not session.cleared("cosmetic").cosmetic
    assert not session.cleared("photos").photos
    assert session.cleared("battery").battery is None
    assert "screen" not in session.cleared("screen").answers


def test_unknown_zone_or_slot_is_a_bug(mini):
    with pytest.raises(KeyError):
        ChecklistSession(mini).with_cosmetic("keyboard", "light")
    with pytest.raises(KeyError):
        ChecklistSession(mini).with_photo(photo("lid"))
    with pytest.raises(InputError):
        ChecklistSession(mini).with_cosmetic("back", "")


def test_notes(mini):
    session = ChecklistSession(mini).with_note("screen", "  faint line at the top  ")
    assert session.notes == {"screen": "faint line at the top"}
    assert session.with_note("screen", " ").notes == {}


def test_results_are_flat_strings(mini):
    results = answered_session(mini, battery=BatteryReading(88, 412), condition="light").results()
    assert results["screen"] == PASS
    assert results["battery"] == "88 %, 412 cycles"
    assert results["cosmetic.back"] == "light"
    assert results["accessories"] == ""


def test_json_round_trip_and_template_changes(mini):
    session = answered_session(mini).with_note("screen", "ok").with_photo(photo("defects"))
    assert ChecklistSession.from_json(session.to_json(), mini) == session
    # A draft saved against an older checklist keeps what still exists and drops the rest.
    data = session.to_json()
    data["answers"]["removed_step"] = PASS
    data["cosmetic"]["removed_zone"] = "light"
    data["photos"]["removed_slot"] = data["photos"]["front"]
    assert ChecklistSession.from_json(data, mini) == session


@pytest.mark.parametrize("category", ["phone", "tablet", "laptop"])
def test_a_fully_answered_shipped_checklist_is_complete(category):
    from grading_station.resources import load_checklist

    session = answered_session(load_checklist(category))
    assert worded(session.missing()) == [] and worded(session.hold_reasons()) == []
    assert session.next_unanswered() is None
    assert session.progress().fraction == 1.0


def test_the_reading_source_survives_the_draft_and_an_older_draft_reads_as_manual(mini):
    session = ChecklistSession(mini).with_battery(BatteryReading(88, 412, source="device (adb)"))
    assert ChecklistSession.from_json(session.to_json(), mini).battery.source == "device (adb)"
    older = session.to_json()
    del older["battery"]["source"]  # a draft saved before the source was kept
    assert ChecklistSession.from_json(older, mini).battery == BatteryReading(88, 412, source="manual")
