"""Grade labels at the bench, against the Odoo simulator and a network printer on 127.0.0.1: a commit prints
the unit's label; L on a looked-up unit reprints it and V shows a preview whose barcodes scan as its IMEI."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
import zxingcpp
from PIL import Image

from PySide6.QtCore import QBuffer, QIODevice, Qt

from grading_station.services.delivery import Deliverer
from grading_station.services.labels import KIND_LABEL, LabelService

from grading_station.config import Config
from tests.helpers.label_printer import FakeNetworkPrinter
from tests.helpers.sync import drain

SERIAL = "353918111045122"  # demo unit: iPhone 13 128GB Midnight, graded Excellent, in WH/Stock


@pytest.fixture
def printer():
    fake = FakeNetworkPrinter().start()
    yield fake
    fake.stop()


def label_bench(make_bench, config: Config):
    def labels(store, service):
        return LabelService(config, store.outbox, service.grade_title, lambda: "Bench 1")

    bench = make_bench(labels=labels)
    bench.labels_config = config
    return bench


def printer_config(printer: FakeNetworkPrinter | None) -> Config:
    config = Config(None)
    if printer is not None:
        config.set("labels.printer", "network")
        config.set("labels.address", printer.address)
    return config


def print_labels(bench) -> int:
    """The deliverer's label handler, run once (the app's deliverer thread does this in the background)."""
    deliverer = Deliverer(bench.store.outbox, clock=lambda: datetime.now(UTC))
    deliverer.register(KIND_LABEL, bench.view.flow.labels.labels.handle)
    return deliverer.deliver_due()


def label_items(bench) -> list:
    return [item for item in bench.store.outbox.list_items() if item.kind == KIND_LABEL]


def test_a_commit_prints_the_grade_label(make_bench, printer, tmp_path, qtbot):
    bench = label_bench(make_bench, printer_config(printer))
    view = bench.view
    bench.scan(SERIAL)
    bench.start_grading()
    bench.answer_checklist(tmp_path)
    qtbot.waitUntil(lambda: view.pages.currentWidget() is view.grade, timeout=5000)
    bench.press(Qt.Key.Key_Return)  # commit the suggested grade (Premium)
    qtbot.waitUntil(lambda: view.pages.currentWidget() is view.idle, timeout=5000)
    qtbot.waitUntil(lambda: len(label_items(bench)) == 1, timeout=5000)
    assert print_labels(bench) == 1
    assert printer.received.wait(5)
    [job] = printer.jobs
    zpl = job.decode("utf-8")
    assert zpl.startswith("^XA\n^CI28\n")
    for text in ("^FDiPhone 13 128GB Midnight^FS", "^FDPremium^FS", "^FDBattery 93 % · 2026-11-27^FS",
                 "^FDBench 1^FS", f"^FDIMEI {SERIAL}^FS", f"^BCN,36,N,N,N,A^FH\\^FD{SERIAL}^FS",
                 f"^BXN,4,200^FH\\^FD{SERIAL}^FS"):
        assert text in zpl
    assert print_labels(bench) == 0 and len(printer.jobs) == 1  # printed once


def test_no_label_is_queued_when_auto_print_is_off(make_bench, printer, tmp_path, qtbot):
    config = printer_config(printer)
    config.set("labels.auto_print", False)
    bench = label_bench(make_bench, config)
    view = bench.view
    bench.scan(SERIAL)
    bench.start_grading()
    bench.answer_checklist(tmp_path)
    qtbot.waitUntil(lambda: view.pages.currentWidget() is view.grade, timeout=5000)
    bench.press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.pages.currentWidget() is view.idle, timeout=5000)
    drain(qtbot, bench.pools[0])  # the commit's label job (if any) ran on the store worker before this no-op
    assert label_items(bench) == []


def test_l_reprints_the_label_of_the_looked_up_unit(make_bench, printer, qtbot):
    bench = label_bench(make_bench, printer_config(printer))
    view = bench.view
    bench.scan(SERIAL)
    bench.wait_page(view.lookup)
    assert view.card.reprint.isVisible() and "[L]" in view.card.reprint.text()  # the key is on the card
    assert "L: reprint" in view.lookup.hint.text()
    bench.press("L")
    qtbot.waitUntil(lambda: len(label_items(bench)) == 1, timeout=5000)
    qtbot.waitUntil(lambda: "sent to the printer" in view.scan_bar.status.text(), timeout=5000)
    assert view.pages.currentWidget() is view.lookup  # nothing else started: no grading, no lease
    assert bench.store.drafts.load("Bench 1") is None
    assert print_labels(bench) == 1 and printer.received.wait(5)
    zpl = printer.jobs[0].decode()
    assert "^FDExcellent^FS" in zpl and "^FDiPhone 13 128GB Midnight^FS" in zpl and f"IMEI {SERIAL}" in zpl


@pytest.mark.qt_log_ignore("propagateSizeHints")  # the preview is a top-level dialog
def test_v_previews_the_label_and_its_barcodes_scan(make_bench, printer, qtbot):
    bench = label_bench(make_bench, printer_config(printer))
    view = bench.view
    bench.scan(SERIAL)
    bench.wait_page(view.lookup)
    bench.press("V")
    qtbot.waitUntil(lambda: view.flow.labels.preview_dialog is not None, timeout=5000)
    dialog = view.flow.labels.preview_dialog
    qtbot.add_widget(dialog)
    assert dialog.isVisible()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    dialog.picture.pixmap().save(buffer, "PNG")
    image = Image.open(io.BytesIO(bytes(buffer.data())))
    found = {r.format: r.text for r in zxingcpp.read_barcodes(image)}
    assert found == {zxingcpp.BarcodeFormat.Code128: SERIAL, zxingcpp.BarcodeFormat.DataMatrix: SERIAL}
    assert label_items(bench) == []  # a preview prints nothing
    dialog.close()


def test_l_without_a_printer_says_where_to_set_one(make_bench, qtbot):
    bench = label_bench(make_bench, printer_config(None))
    view = bench.view
    bench.scan(SERIAL)
    bench.wait_page(view.lookup)
    bench.press("L")
    qtbot.waitUntil(lambda: "No label printer is set" in view.scan_bar.status.text(), timeout=5000)
    assert label_items(bench) == []


def test_a_bench_without_labels_offers_no_label_keys(make_bench, qtbot):
    bench = make_bench()
    view = bench.view
    bench.scan(SERIAL)
    bench.wait_page(view.lookup)
    assert not view.card.reprint.isVisible() and "reprint" not in view.lookup.hint.text()
    bench.press("L")  # ignored, nothing breaks
    assert view.pages.currentWidget() is view.lookup
