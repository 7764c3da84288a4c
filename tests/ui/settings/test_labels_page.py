"""The Labels settings page: the printer and the label stock are saved; "Print test label" prints with what
the fields show (a printer on 127.0.0.1) and says in words when the printer cannot be reached."""

from __future__ import annotations

import pytest

from grading_station.domain.labels import SIZES

from grading_station.services.labels import LabelService

from grading_station.ui.settings.labels_page import LabelsPage
from grading_station.ui.settings.pages import SettingsContext

from grading_station.config import Config
from grading_station.errors import InputError
from grading_station.secrets import MemoryKeyring, SecretStore
from tests.helpers.label_printer import FakeNetworkPrinter, free_port


class NoOutbox:
    def enqueue(self, *args, **kwargs):
        raise AssertionError("a test label is printed at once, never queued")

    def get(self, item_id):
        return None


@pytest.fixture
def page(qtbot):
    config = Config(None)
    labels = LabelService(config, NoOutbox(), lambda key: key, lambda: "Bench 7")
    context = SettingsContext(config, SecretStore(MemoryKeyring()), services={
        "labels.test": labels.print_test,
        "labels.preview": lambda size: labels.preview_png(labels.test_fields(), size, scale=1),
    })
    widget = LabelsPage(context)
    qtbot.add_widget(widget)
    widget.load()
    return widget


@pytest.fixture
def printer():
    fake = FakeNetworkPrinter().start()
    yield fake
    fake.stop()


def choose_network(page: LabelsPage, address: str) -> None:
    kind = page.editors["labels.printer"].widget
    kind.setCurrentIndex(kind.findData("network"))
    page.editors["labels.address"].widget.setText(address)


def test_the_fields_follow_the_printer_kind(page):
    assert not page.test_button.isEnabled()  # no printer: nothing to test
    assert not page.editors["labels.address"].widget.isEnabled()
    choose_network(page, "")
    assert page.test_button.isEnabled() and page.editors["labels.address"].widget.isEnabled()
    assert not page.editors["labels.queue"].widget.isEnabled()
    kind = page.editors["labels.printer"].widget
    kind.setCurrentIndex(kind.findData("cups"))
    assert page.editors["labels.queue"].widget.isEnabled() and not page.editors["labels.address"].widget.isEnabled()


def test_print_test_label_prints_with_the_fields_shown_before_saving(page, printer, qtbot):
    choose_network(page, printer.address)
    size = page.editors["labels.size"].widget
    size.setCurrentIndex(size.findData("2x1in"))
    page.test_button.click()
    qtbot.waitUntil(lambda: "test label was sent" in page.result.text(), timeout=5000)
    assert printer.address in page.result.text()
    assert printer.received.wait(5)
    zpl = printer.jobs[0].decode("utf-8")
    assert f"^PW{SIZES['2x1in'].width}" in zpl and "Test label" in zpl and "^FDBench 7^FS" in zpl
    qtbot.waitUntil(lambda: not page.picture.pixmap().isNull(), timeout=5000)  # and how it looks
    assert page.picture.pixmap().width() == SIZES["2x1in"].width  # one pixel per dot
    assert page.context.config.get("labels.printer") == "none"  # nothing saved by a test


def test_an_unreachable_printer_is_said_in_words(page, qtbot):
    choose_network(page, f"127.0.0.1:{free_port()}")
    page.test_button.click()
    qtbot.waitUntil(lambda: "cannot be reached" in page.result.text(), timeout=10000)
    assert page.test_button.isEnabled()  # try again once it is on


def test_a_wrong_address_is_refused_on_save_and_on_test(page):
    choose_network(page, "printer:99999")
    with pytest.raises(InputError, match="between 1 and 65535"):
        page.save()
    page.test_button.click()
    assert "between 1 and 65535" in page.result.text()
    choose_network(page, "")
    with pytest.raises(InputError, match="address"):
        page.save()


def test_saved_values_are_in_the_config(page, printer):
    choose_network(page, "[::1]:9101")
    page.editors["labels.dpi"].widget.setValue(300)
    page.editors["labels.auto_print"].widget.setChecked(False)
    page.save()
    config = page.context.config
    assert (config.get("labels.printer"), config.get("labels.address"), config.get("labels.dpi"),
            config.get("labels.auto_print")) == ("network", "[::1]:9101", 300, False)
