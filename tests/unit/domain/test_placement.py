import pytest

from grading_station.domain.checklist import NO
from grading_station.domain.placement import decide_placement
from grading_station.domain.units import Placement

from grading_station.wording import describe_all_source
from tests.helpers.local_store import answered_session


def complete(template):
    return answered_session(template)


def locked(template):
    return answered_session(template).answer("find_my", NO)


def locked_twice(template):
    return answered_session(template).answer("google_frp", NO).answer("mdm", NO)


def no_photos(template):
    return answered_session(template, photos=False)


def no_wipe_confirmation(template):
    return answered_session(template).cleared("data_wipe")


# (session builder, grade chosen, expected placement and hold reason as the lot stores it: English, "; "-joined)
CASES = [
    (complete, "premium", (Placement.STOCK, "")),
    (complete, "fair", (Placement.STOCK, "")),
    (complete, "repair", (Placement.REPAIR, "")),
    (complete, "parts", (Placement.REPAIR, "")),
    (locked, "premium", (Placement.HOLD, "Find My (Activation Lock) is still on")),
    (locked, "repair", (Placement.HOLD, "Find My (Activation Lock) is still on")),
    (locked_twice, "good", (
        Placement.HOLD,
        "a Google account is still on the phone (Factory Reset Protection); "
        "the phone is enrolled in a company's device management (MDM)",
    )),
    (no_photos, "good", (
        Placement.HOLD, "photos missing: front, back, left side, right side, screen on"
    )),
    (no_photos, "repair", (Placement.REPAIR, "")),  # the repair bench needs no photos
    (no_wipe_confirmation, "excellent", (
        Placement.HOLD, "not confirmed: Factory reset: all data erased"
    )),
]  # fmt: skip


@pytest.mark.parametrize(("build", "grade", "expected"), CASES)
def test_decide_placement(grade_scale, phone_checklist, build, grade, expected):
    decision = decide_placement(build(phone_checklist), grade, grade_scale)
    assert (decision.placement, describe_all_source(decision.hold_reasons)) == expected
