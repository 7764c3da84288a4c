"""The look-up page's "Certificate [C]": the unit's buyer certificate fetched from Odoo off the GUI thread, written
to a file and handed to the desktop's viewer (injected here); a unit without one says so."""

from __future__ import annotations

from datetime import UTC, datetime

from PIL import Image

from grading_station.domain.grading import PhotoRef

from grading_station.services.certificate import KIND_CERTIFICATE, CertificateFeed, save_certificate
from grading_station.services.delivery import KIND_GRADING, Deliverer, GradingHandler

from grading_station.resources import load_grade_scale
from tests.integration.odoo.helpers import intake

CERTIFIED = "356938035643809"  # taken in by this test, graded into stock with its certificate
UNCERTIFIED = "353918111045122"  # a demo unit in stock, never certified


def certify(bench, tmp_path, templates) -> None:
    """A grading of CERTIFIED delivered by the outbox, certificate included (what the deliverer thread does)."""
    model = next(m for m in bench.gateway.search_models("IP13-128-MID") if m.default_code == "IP13-128-MID")
    Image.new("RGB", (640, 480), (90, 140, 200)).save(tmp_path / "front.jpg", "JPEG")
    photo = PhotoRef("front", str(tmp_path / "front.jpg"), "0" * 40, f"{CERTIFIED}-front.jpg")
    record = intake(model, CERTIFIED, "good", photos=(photo,), checklist_id="phone")
    feed = CertificateFeed(bench.store.outbox, bench.gateway, load_grade_scale(), templates, language=lambda: "fr-fr")
    deliverer = Deliverer(bench.store.outbox, clock=lambda: datetime.now(UTC))
    deliverer.register(KIND_GRADING, feed.after_grading(GradingHandler(bench.gateway)))
    deliverer.register(KIND_CERTIFICATE, feed.handle)
    bench.store.outbox.enqueue(KIND_GRADING, record.to_json())
    assert deliverer.deliver_due() == 2


def test_c_opens_the_units_certificate_from_odoo(make_bench, qtbot, tmp_path, templates):
    bench = make_bench()
    view = bench.view
    certify(bench, tmp_path, templates)
    opened = []
    view.enable_certificates(lambda serial: save_certificate(bench.gateway, serial, tmp_path / "out"),
                             open_document=lambda path: opened.append(path) or True)
    bench.scan(CERTIFIED)
    bench.wait_page(view.lookup)
    assert view.lookup.certificate.isVisibleTo(view) and "[C]" in view.lookup.certificate.text()
    bench.press("C")
    qtbot.waitUntil(lambda: bool(opened), timeout=5000)
    assert opened == [tmp_path / "out" / f"certificate-{CERTIFIED}.pdf"]
    assert opened[0].read_bytes() == bench.gateway.certificate_for(CERTIFIED).data
    assert f"Certificate of {CERTIFIED} opened." in view.scan_bar.status.text()
    assert bench.focused() is view.lookup  # Enter still starts the grading


def test_a_unit_without_a_certificate_says_so_and_opens_nothing(make_bench, qtbot, tmp_path):
    bench = make_bench()
    view = bench.view
    opened = []
    view.enable_certificates(lambda serial: save_certificate(bench.gateway, serial, tmp_path),
                             open_document=lambda path: opened.append(path) or True)
    bench.scan(UNCERTIFIED)
    bench.wait_page(view.lookup)
    view.lookup.certificate.click()
    qtbot.waitUntil(lambda: "no certificate yet" in view.scan_bar.status.text(), timeout=5000)
    assert opened == []


def test_a_viewer_that_does_not_open_it_says_where_the_file_is(make_bench, qtbot, tmp_path, templates):
    bench = make_bench()
    view = bench.view
    certify(bench, tmp_path, templates)
    view.enable_certificates(lambda serial: save_certificate(bench.gateway, serial, tmp_path / "out"),
                             open_document=lambda path: False)
    bench.scan(CERTIFIED)
    bench.wait_page(view.lookup)
    bench.press("C")
    qtbot.waitUntil(lambda: "No program could open" in view.scan_bar.status.text(), timeout=5000)
    assert str(tmp_path / "out" / f"certificate-{CERTIFIED}.pdf") in view.scan_bar.status.text()


def test_without_certificates_the_action_is_not_offered(make_bench):
    bench = make_bench()
    view = bench.view
    bench.scan(UNCERTIFIED)
    bench.wait_page(view.lookup)
    assert not view.lookup.certificate.isVisibleTo(view)
    bench.press("C")  # nothing happens, nothing breaks
    assert view.pages.currentWidget() is view.lookup
