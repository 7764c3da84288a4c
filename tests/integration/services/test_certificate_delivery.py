"""Certificates through the outbox: real store and deliverer, the real gateway over HTTP to the Odoo simulator.
A certificate is attached to its lot once, whatever crash or retry comes between."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import io
from datetime import UTC, datetime

import pytest
from PIL import Image
from pypdf import PdfReader

from grading_station.domain.certificate import certificate_filename
from grading_station.domain.grading import PhotoRef
from grading_station.domain.units import Placement

from grading_station.odoo import OdooGateway, OdooSettings
from grading_station.odoo.mappers import properties_dict
from grading_station.store.local import Store

from grading_station.services.certificate import (
    FINGERPRINT_PREFIX,
    KIND_CERTIFICATE,
    CertificateFeed,
    render_pdf,
    save_certificate,
)
from grading_station.services.delivery import KIND_GRADING, Deliverer, GradingHandler

from grading_station import i18n
from grading_station.demo import seed_demo
from grading_station.resources import checklist_categories, load_checklist, load_grade_scale
from tests.integration.odoo.helpers import intake, regrade

SERIAL = "353918111203507"


class Crash(BaseException):
    """The station dies here (not an error the deliverer handles: nothing after it runs)."""


@pytest.fixture(autouse=True)
def source_words(monkeypatch, tmp_path):
    """The certificates here read the source strings whatever the shipped catalogues say (their dates still
    follow the market): these tests are about delivery, test_certificate_pdf.py about the languages."""
    monkeypatch.setattr(i18n, "TRANSLATIONS", tmp_path / "no-catalogues")


@pytest.fixture
def gateway(odoo_sim):
    gw = OdooGateway(OdooSettings(url=odoo_sim.url, database="grading", login="admin", secret="admin", timeout=5.0))
    seed_demo(gw)
    yield gw
    gw.close()


@pytest.fixture
def renders():
    return []


class Station:
    """One station's outbox wired like app.py: the grading handler followed by the certificate."""

    def __init__(self, paths, gateway, renders, crash_after: str = "") -> None:
        self.store = Store.open(paths, clock=lambda: datetime.now(UTC))
        templates = {c: load_checklist(c) for c in checklist_categories()}

        def render(content, language):
            renders.append((content.serial, language))
            return render_pdf(content, language)

        self.feed = CertificateFeed(self.store.outbox, gateway, load_grade_scale(), templates,
                                    language=lambda: "fr-fr", verify_url=lambda: "https://verify.example.com/u",
                                    render=render)
        self.deliverer = Deliverer(self.store.outbox)
        grading = self.feed.after_grading(GradingHandler(gateway))
        handlers = {KIND_GRADING: grading, KIND_CERTIFICATE: self.feed.handle}
        if crash_after:
            handlers[crash_after] = _then_crash(handlers[crash_after])
        for kind, handler in handlers.items():
            self.deliverer.register(kind, handler)

    def items(self, kind: str):
        return [i for i in self.store.outbox.list_items() if i.kind == kind]


def _then_crash(handler):
    def crashing(item):
        handler(item)  # Odoo has it all ...
        raise Crash()  # ... and the station dies before the outbox records it

    return crashing


@pytest.fixture
def station(paths, gateway, renders):
    opened = Station(paths, gateway, renders)
    yield opened
    opened.store.close()


def graded(gateway, tmp_path, serial=SERIAL, placement=Placement.STOCK, **overrides):
    model = next(m for m in gateway.search_models("IP13-128-MID") if m.default_code == "IP13-128-MID")
    path = tmp_path / f"{serial}-front.jpg"
    Image.new("RGB", (800, 600), (200, 60, 60)).save(path, "JPEG")
    photo = PhotoRef("front", str(path), "0" * 40, f"{serial}-front.jpg")
    return intake(model, serial, "good", photos=(photo,), placement=placement, checklist_id="phone", **overrides)


def certificates_on(gateway, lot_id, serial=SERIAL):
    return gateway.connection.call(
        "ir.attachment", "search_read",
        [[["res_model", "=", "stock.lot"], ["res_id", "=", lot_id], ["name", "=", certificate_filename(serial)]]],
        {"fields": ["name", "mimetype", "description", "datas"]},
    )


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_a_unit_graded_into_stock_gets_its_certificate_on_its_lot(station, gateway, tmp_path, renders):
    record = graded(gateway, tmp_path)
    station.store.outbox.enqueue(KIND_GRADING, record.to_json(), key=f"unit:{SERIAL}")
    assert station.deliverer.deliver_due() == 2  # the grading, then the certificate it queued
    [certificate] = station.items(KIND_CERTIFICATE)
    assert certificate.state == "delivered", certificate.last_error
    assert certificate.payload["language"] == "fr-fr"
    lot_id = gateway.find_unit(SERIAL).lot_id
    [attached] = certificates_on(gateway, lot_id)
    assert attached["mimetype"] == "application/pdf" and attached["id"] == certificate.result["attachment_id"]
    assert renders == [(SERIAL, "fr-fr")]

    before = gateway.rpc_count
    found = gateway.certificate_for(SERIAL)
    assert gateway.rpc_count - before <= 2
    assert found.attachment_id == attached["id"] and found.name == f"certificate-{SERIAL}.pdf"
    text = text_of(found.data)
    assert SERIAL in text and "iPhone 13 128GB Midnight" in text and "Grade: Good" in text
    assert "27 novembre 2026" in text  # the French market's date

    # the printed integrity code is the start of the SHA-256 of the test report Odoo keeps with the unit
    [report] = gateway.connection.call(
        "ir.attachment", "search_read",
        [[["res_model", "=", "stock.lot"], ["res_id", "=", lot_id], ["name", "=like", "test-report-%.json"]]],
        {"fields": ["datas"]},
    )
    code = hashlib.sha256(base64.b64decode(report["datas"])).hexdigest()[:12].upper()
    assert certificate.result["code"] == code
    assert "-".join((code[:4], code[4:8], code[8:])) in text


def test_a_held_unit_gets_no_certificate(station, gateway, tmp_path):
    record = graded(gateway, tmp_path, placement=Placement.HOLD, hold_reason="Back photo missing")
    station.store.outbox.enqueue(KIND_GRADING, record.to_json())
    assert station.deliverer.deliver_due() == 1
    assert station.items(KIND_CERTIFICATE) == []


@pytest.mark.parametrize("crash_after", [KIND_CERTIFICATE, KIND_GRADING])
def test_a_crash_before_the_outbox_records_the_delivery_never_attaches_twice(paths, gateway, tmp_path, renders,
                                                                            crash_after):
    record = graded(gateway, tmp_path)
    dying = Station(paths, gateway, renders, crash_after=crash_after)
    dying.store.outbox.enqueue(KIND_GRADING, record.to_json(), key=f"unit:{SERIAL}")
    with pytest.raises(Crash):
        while dying.deliverer.deliver_due():
            pass
    dying.store.close()

    restarted = Station(paths, gateway, renders)  # opening the store re-queues the interrupted delivery
    try:
        while restarted.deliverer.deliver_due():
            pass
        assert {i.state for i in restarted.store.outbox.list_items()} == {"delivered"}
        assert len(certificates_on(gateway, gateway.find_unit(SERIAL).lot_id)) == 1
        assert len(renders) == 1  # the retry found this very certificate on the lot: not even rendered again
    finally:
        restarted.store.close()


def test_a_new_grading_of_the_lot_replaces_its_certificate(station, gateway, tmp_path):
    record = graded(gateway, tmp_path)
    station.store.outbox.enqueue(KIND_GRADING, record.to_json())
    station.deliverer.deliver_due()
    unit = gateway.find_unit(SERIAL)
    model = next(m for m in gateway.search_models("IP13-128-MID") if m.default_code == "IP13-128-MID")
    again = regrade(model, unit, "good", battery_health=84, checklist_id="phone", photos=record.photos)
    station.store.outbox.enqueue(KIND_GRADING, again.to_json())
    assert station.deliverer.deliver_due() == 2
    [attached] = certificates_on(gateway, unit.lot_id)  # the same lot (same grade): one certificate, the new one
    assert attached["description"].startswith(FINGERPRINT_PREFIX)
    assert "84 % of its original capacity" in text_of(gateway.certificate_for(SERIAL).data)


def test_a_certificate_requested_again_after_the_warranty_is_set_shows_its_end(station, gateway, tmp_path):
    record = graded(gateway, tmp_path)
    station.store.outbox.enqueue(KIND_GRADING, record.to_json())
    station.deliverer.deliver_due()
    lot_id = gateway.find_unit(SERIAL).lot_id
    assert "12 months from delivery" in text_of(gateway.certificate_for(SERIAL).data)
    [lot] = gateway.connection.call("stock.lot", "read", [[lot_id], ["lot_properties"]])
    props = properties_dict(lot["lot_properties"]) | {"warranty_end": "2027-12-01"}
    gateway.connection.call("stock.lot", "write", [[lot_id], {"lot_properties": props}])

    station.feed.request(record, lot_id)  # what the picker does once the parcel is out
    assert station.deliverer.deliver_due() == 1
    assert len(certificates_on(gateway, lot_id)) == 1
    assert "until 1 décembre 2027" in text_of(gateway.certificate_for(SERIAL).data)


def test_a_certificate_for_a_lot_gone_is_skipped(station, gateway, tmp_path):
    station.feed.request(graded(gateway, tmp_path), 999999)
    assert station.deliverer.deliver_due() == 1
    [item] = station.items(KIND_CERTIFICATE)
    assert item.state == "delivered" and item.result["skipped"] == "lot gone"


def test_a_unit_without_a_certificate_has_none_to_save(gateway, tmp_path):
    assert gateway.certificate_for("NO-SUCH-SERIAL") is None
    assert gateway.certificate_for("353918111045122") is None  # a demo unit in stock, never certified
    assert save_certificate(gateway, "353918111045122", tmp_path) is None


def test_save_certificate_writes_the_pdf_for_the_parcel(station, gateway, tmp_path):
    record = graded(gateway, tmp_path)
    station.store.outbox.enqueue(KIND_GRADING, record.to_json())
    station.deliverer.deliver_due()
    path = save_certificate(gateway, SERIAL, tmp_path / "out")
    assert path == tmp_path / "out" / f"certificate-{SERIAL}.pdf"
    assert path.read_bytes() == gateway.certificate_for(SERIAL).data


def test_a_certificate_left_over_by_an_interrupted_replacement_is_removed(station, gateway, tmp_path):
    record = graded(gateway, tmp_path)
    station.store.outbox.enqueue(KIND_GRADING, record.to_json())
    station.deliverer.deliver_due()
    lot_id = gateway.find_unit(SERIAL).lot_id
    [current] = certificates_on(gateway, lot_id)
    # an older certificate that a crash left beside (created, not yet unlinked)
    gateway.connection.call("ir.attachment", "create", [{
        "name": certificate_filename(SERIAL), "res_model": "stock.lot", "res_id": lot_id, "datas": current["datas"],
        "description": FINGERPRINT_PREFIX + "0" * 16,
    }])
    station.feed.request(dataclasses.replace(record), lot_id)
    station.deliverer.deliver_due()
    assert [a["id"] for a in certificates_on(gateway, lot_id)] == [current["id"]]


def test_after_a_regrade_to_another_grade_the_picker_gets_the_live_lots_certificate(station, gateway, tmp_path):
    record = graded(gateway, tmp_path)
    station.store.outbox.enqueue(KIND_GRADING, record.to_json())
    station.deliverer.deliver_due()
    old = gateway.find_unit(SERIAL)
    model = next(m for m in gateway.search_models("IP13-128-MID") if m.default_code == "IP13-128-MID")
    again = regrade(model, old, "fair", checklist_id="phone", photos=record.photos)
    station.store.outbox.enqueue(KIND_GRADING, again.to_json())
    assert station.deliverer.deliver_due() == 2
    live = gateway.find_unit(SERIAL)
    assert live.lot_id != old.lot_id
    assert len(certificates_on(gateway, old.lot_id)) == 1  # the emptied lot keeps its own
    found = gateway.certificate_for(SERIAL)
    assert found.attachment_id == certificates_on(gateway, live.lot_id)[0]["id"]
    assert "Grade: Fair" in text_of(found.data)
