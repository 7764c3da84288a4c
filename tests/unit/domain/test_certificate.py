"""The certificate's content: what it says of a unit, its integrity code and the text of its QR code."""

from __future__ import annotations

import dataclasses
import hashlib
import json

import pytest

from grading_station.domain.certificate import (
    NOT_APPLICABLE,
    NOTED,
    PASSED,
    certificate_content,
    certificate_filename,
    integrity_code,
    verification_text,
)
from grading_station.domain.checklist_template import StepKind
from grading_station.domain.grading import GradingRecord, PhotoRef
from grading_station.domain.units import Placement

from grading_station.resources import load_checklist, load_grade_scale

SERIAL = "353918111045122"


@pytest.fixture(scope="module")
def phone():
    return load_checklist("phone")


@pytest.fixture(scope="module")
def scale():
    return load_grade_scale()


def record(template, **overrides) -> GradingRecord:
    results = {s.id: "pass" for s in template.steps_of(StepKind.PASS_FAIL)}
    results |= {s.id: "yes" for s in template.steps_of(StepKind.CONFIRM)}
    results |= {"cosmetic.screen": "light", "accessories": "cable"}
    values = dict(
        grading_id="6f1c2a9e-0000-4000-8000-000000000001", serial=SERIAL, template_id=7, variant_id=8,
        model_name="iPhone 13 128GB Midnight", category="phone", grade="excellent", suggested_grade="excellent",
        override_reason="", placement=Placement.STOCK, hold_reason="", battery_health=91, battery_cycles=412,
        technician="Ana", station="Bench 1", tested_at="2026-11-27T10:00:00Z", checklist_id="phone",
        checklist_version=1, results=results,
        photos=(PhotoRef("back", "/p/back.jpg", "1" * 40, "b.jpg"),
                PhotoRef("front", "/p/front.jpg", "2" * 40, "f.jpg")),
    )
    values.update(overrides)
    return GradingRecord(**values)


def test_the_content_names_the_unit_its_grade_and_what_the_grade_means(phone, scale):
    content = certificate_content(record(phone), scale, phone)
    assert (content.model_name, content.serial) == ("iPhone 13 128GB Midnight", SERIAL)
    assert content.grade_title == "Excellent"
    assert content.grade_meaning == "Very light micro-scratches, invisible at arm's length."
    assert (content.battery_health, content.battery_cycles) == (91, 412)
    assert (content.tested_at, content.technician) == ("2026-11-27T10:00:00Z", "Ana")


def test_checks_are_the_tests_and_confirmations_in_checklist_order_with_their_outcome(phone, scale):
    results = record(phone).results | {"parts_genuine": "fail", "google_frp": "na", "data_wipe": "yes"}
    content = certificate_content(record(phone, results=results), scale, phone)
    titles = [c.title for c in content.checks]
    expected = [s.title for s in phone.steps if s.kind in (StepKind.PASS_FAIL, StepKind.CONFIRM)]
    assert titles == expected  # no cosmetic zone, battery or accessory among them
    outcome = {c.title: c.outcome for c in content.checks}
    assert outcome[phone.step("parts_genuine").title] == NOTED
    assert outcome[phone.step("google_frp").title] == NOT_APPLICABLE
    assert outcome[phone.step("data_wipe").title] == PASSED
    assert (content.passed, content.applicable) == (len(expected) - 2, len(expected) - 1)


def test_photos_follow_the_checklist_slots_with_their_titles(phone, scale):
    content = certificate_content(record(phone), scale, phone)
    assert [(p.title, p.path) for p in content.photos] == [("Front", "/p/front.jpg"), ("Back", "/p/back.jpg")]


def test_without_its_checklist_the_checks_and_photos_show_their_ids(phone, scale):
    content = certificate_content(record(phone, results={"power_on": "pass", "cosmetic.back": "light"}), scale)
    assert [(c.title, c.outcome) for c in content.checks] == [("power_on", PASSED)]
    assert {p.title for p in content.photos} == {"front", "back"}


def test_the_warranty_is_the_lots_end_date_else_twelve_months_from_delivery(phone, scale):
    assert certificate_content(record(phone), scale, phone).warranty_end == ""
    assert certificate_content(record(phone), scale, phone).warranty_months == 12
    dated = certificate_content(record(phone), scale, phone, warranty_end="2027-12-01")
    assert dated.warranty_end == "2027-12-01"


def test_the_integrity_code_is_the_start_of_the_test_reports_sha256(phone):
    rec = record(phone)
    # the test report as the grading handler attaches it: `sha256sum` of that file shows the code
    report = json.dumps(rec.to_json(), indent=2, sort_keys=True, ensure_ascii=False).encode("utf-8")
    assert rec.report_bytes() == report
    assert integrity_code(rec) == hashlib.sha256(report).hexdigest()[:12].upper()
    assert integrity_code(dataclasses.replace(rec, grade="good")) != integrity_code(rec)
    assert integrity_code(dataclasses.replace(rec, battery_health=90)) != integrity_code(rec)


def test_the_qr_text_is_the_base_url_with_serial_and_code():
    assert verification_text("https://check.example.com/c/", "SN 1/2", "ABC") == \
        "https://check.example.com/c/SN%201%2F2?code=ABC"
    assert verification_text("https://x.example/v?s={serial}&c={code}", "F2LX", "ABC") == \
        "https://x.example/v?s=F2LX&c=ABC"
    assert verification_text("", "F2LX", "ABC") == "GS-CERT:F2LX:ABC"


def test_the_content_carries_its_code_in_the_qr_text(phone, scale):
    content = certificate_content(record(phone), scale, phone, verify_base_url="https://v.example")
    assert content.verify_text == f"https://v.example/{SERIAL}?code={content.code}"
    assert content.code == integrity_code(record(phone))


def test_the_fingerprint_changes_with_what_the_document_says(phone, scale):
    base = certificate_content(record(phone), scale, phone)
    assert base.fingerprint("fr") == certificate_content(record(phone), scale, phone).fingerprint("fr")
    assert base.fingerprint("fr") != base.fingerprint("de")
    dated = certificate_content(record(phone), scale, phone, warranty_end="2027-12-01")
    assert dated.fingerprint("fr") != base.fingerprint("fr")


def test_one_certificate_name_per_serial():
    assert certificate_filename(SERIAL) == f"certificate-{SERIAL}.pdf"
