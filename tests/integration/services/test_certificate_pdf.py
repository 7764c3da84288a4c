"""The certificate PDF read back with pypdf: its words, its photos, its QR code, in the buyer's language."""

from __future__ import annotations

import dataclasses
import io
import shutil
import subprocess

import pytest
import zxingcpp
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from PIL import Image
from pypdf import PdfReader

from grading_station.domain.certificate import PASSED, CheckLine, certificate_content
from grading_station.domain.checklist_template import StepKind
from grading_station.domain.grading import GradingRecord, PhotoRef
from grading_station.domain.units import Placement

from grading_station.services.certificate_pdf import qr_png, render_certificate, unicode_font

from grading_station import i18n
from grading_station.resources import load_checklist, load_grade_scale

SERIAL = "353918111045122"
SLOTS = ("front", "back", "side_left", "side_right", "screen_on")


@pytest.fixture(scope="module")
def phone():
    return load_checklist("phone")


@pytest.fixture
def photos(tmp_path):
    refs = []
    for number, slot in enumerate(SLOTS):
        path = tmp_path / f"{slot}.jpg"
        Image.new("RGB", (1920, 1080), (40 * number, 120, 90)).save(path, "JPEG")
        refs.append(PhotoRef(slot, str(path), "0" * 40, f"{SERIAL}-{slot}.jpg"))
    return tuple(refs)


def graded(phone, photos, **overrides) -> GradingRecord:
    results = {s.id: "pass" for s in phone.steps_of(StepKind.PASS_FAIL)}
    results |= {s.id: "yes" for s in phone.steps_of(StepKind.CONFIRM)} | {"parts_genuine": "fail"}
    values = dict(
        grading_id="6f1c2a9e-0000-4000-8000-000000000001", serial=SERIAL, template_id=7, variant_id=8,
        model_name="iPhone 13 128GB Midnight", category="phone", grade="excellent", suggested_grade="excellent",
        override_reason="", placement=Placement.STOCK, hold_reason="", battery_health=91, battery_cycles=412,
        technician="Ana", station="Bench 1", tested_at="2026-11-27T10:00:00Z", checklist_id="phone",
        checklist_version=1, results=results, photos=photos,
    )
    values.update(overrides)
    return GradingRecord(**values)


def content_of(phone, photos, warranty_end="", **overrides):
    return certificate_content(graded(phone, photos, **overrides), load_grade_scale(), phone,
                               warranty_end=warranty_end, verify_base_url="https://verify.example.com/u")


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def images_of(pdf: bytes) -> list[Image.Image]:
    return [Image.open(io.BytesIO(image.data)) for page in PdfReader(io.BytesIO(pdf)).pages for image in page.images]


def decoded(image: Image.Image) -> list[str]:
    return [b.text for b in zxingcpp.read_barcodes(image.convert("L"), formats=zxingcpp.BarcodeFormat.QRCode)]


def test_the_pdf_says_model_serial_grade_meaning_battery_tests_and_warranty(phone, photos):
    pdf = render_certificate(content_of(phone, photos), "en")
    assert pdf.startswith(b"%PDF-")
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1  # one page, photos included
    text = text_of(pdf)
    for expected in ("Certificate of refurbishment", "iPhone 13 128GB Midnight", f"Serial number / IMEI: {SERIAL}",
                     "Grade: Excellent", "Very light micro-scratches, invisible at arm's length.",
                     "91 % of its original capacity (412 charge cycles)", "12 months from delivery",
                     "November 27, 2026, by Ana", "Powers on and boots to the home screen",
                     "Factory reset: all data erased"):
        assert expected in text, expected
    checks = len(phone.steps_of(StepKind.PASS_FAIL)) + len(phone.steps_of(StepKind.CONFIRM))
    assert f"{checks - 1} of {checks} passed" in text
    # the one that did not pass is disclosed in full, not only as a mark in the list
    assert "Not passed: No unknown-part warning (screen, battery, camera)" in text


def test_a_warranty_end_on_the_lot_is_written_as_a_date(phone, photos):
    text = text_of(render_certificate(content_of(phone, photos, warranty_end="2027-12-01"), "en"))
    assert "until December 1, 2027" in text and "months from delivery" not in text


def test_the_photos_are_embedded_as_small_jpegs(phone, photos):
    images = images_of(render_certificate(content_of(phone, photos), "en"))
    jpegs = [image for image in images if image.format == "JPEG"]
    assert len(jpegs) == len(SLOTS)
    assert all(max(image.size) <= 720 for image in jpegs)  # 1920×1080 shots, shrunk for the document
    # the first photo is the front (checklist order), whose colour it keeps
    assert jpegs[0].convert("RGB").getpixel((10, 10)) == pytest.approx((0, 120, 90), abs=6)


def test_a_photo_missing_from_this_computer_is_left_out(phone, photos, tmp_path):
    (tmp_path / "back.jpg").unlink()
    images = images_of(render_certificate(content_of(phone, photos), "en"))
    assert len([image for image in images if image.format == "JPEG"]) == len(SLOTS) - 1


def test_the_embedded_qr_code_reads_as_the_verification_address(phone, photos):
    content = content_of(phone, photos)
    pdf = render_certificate(content, "en")
    found = [text for image in images_of(pdf) for text in decoded(image)]
    assert found == [f"https://verify.example.com/u/{SERIAL}?code={content.code}"]
    assert content.code in text_of(pdf).replace("-", "")  # and its code is printed for a person to type


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed")
def test_the_printed_page_qr_code_reads_back(phone, photos, tmp_path):
    content = content_of(phone, photos)
    (tmp_path / "c.pdf").write_bytes(render_certificate(content, "en"))
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-singlefile", str(tmp_path / "c.pdf"), str(tmp_path / "page")],
                   check=True, timeout=60)
    assert decoded(Image.open(tmp_path / "page.png")) == [content.verify_text]


def french(folder):
    catalog = Catalog(locale="fr", domain=i18n.DOMAIN)
    for source, translated in {
        "Certificate of refurbishment": "Certificat de reconditionnement",
        "Battery health": "Santé de la batterie",
        "{months} months from delivery": "{months} mois à compter de la livraison",
        "Very light micro-scratches, invisible at arm's length.":
            "Micro-rayures très légères, invisibles à bout de bras.",
    }.items():
        catalog.add(source, translated)
    (folder / "fr" / "LC_MESSAGES").mkdir(parents=True)
    with (folder / "fr" / "LC_MESSAGES" / f"{i18n.DOMAIN}.mo").open("wb") as handle:
        write_mo(handle, catalog)


def test_a_french_market_gets_a_french_certificate_with_its_accents(phone, photos, tmp_path, monkeypatch):
    french(tmp_path / "translations")
    monkeypatch.setattr(i18n, "TRANSLATIONS", tmp_path / "translations")
    content = content_of(phone, photos, model_name="iPhone 13 Minuit — écran, cœur")
    text = text_of(render_certificate(content, "fr-fr"))
    for expected in ("Certificat de reconditionnement", "Santé de la batterie", "12 mois à compter de la livraison",
                     "Micro-rayures très légères, invisibles à bout de bras.", "27 novembre 2026",
                     "iPhone 13 Minuit — écran, cœur"):
        assert expected in text, expected
    assert i18n._("Certificate of refurbishment") == "Certificate of refurbishment"  # the station stays English


@pytest.mark.skipif(unicode_font() is None, reason="no Unicode TTF font on this computer")
def test_the_unicode_font_is_embedded(phone, photos):
    pdf = render_certificate(content_of(phone, photos), "en")
    fonts = {str(font["/BaseFont"]) for font in _fonts(PdfReader(io.BytesIO(pdf)))}
    assert any(unicode_font()[0].stem.split("-")[0] in name for name in fonts), fonts


def test_without_a_unicode_font_latin_letters_still_show(phone, photos):
    long = "Écran : aucun pixel mort, aucune ligne, aucune tache ni teinte, à pleine luminosité sur fond blanc"
    content = dataclasses.replace(content_of(phone, photos, model_name="Écran très léger, cœur “neuf”"),
                                  checks=(CheckLine(long, PASSED),))
    text = text_of(render_certificate(content, "en", font=None))
    assert 'Écran très léger, coeur "neuf"' in text
    [line] = [line for line in text.splitlines() if "aucun pixel mort" in line]
    assert line.startswith("+ Écran : aucun pixel mort") and line.endswith("...")  # shortened, Latin-1 "..."


def test_the_qr_image_is_a_readable_qr_code():
    assert decoded(Image.open(io.BytesIO(qr_png("GS-CERT:F2LX:ABC")))) == ["GS-CERT:F2LX:ABC"]


def _fonts(reader: PdfReader):
    for page in reader.pages:
        yield from page["/Resources"]["/Font"].values()
