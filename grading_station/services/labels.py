"""Grade labels: worded from a grading or a unit, queued in the outbox as "label.print" items (printed exactly
once, waiting while the printer is off), reprinted on request, previewed, and a test label for Settings.

❌ Opening a socket to the printer from the bench's commit: a printer that is off freezes the bench.
✅ `labels.queue(fields)`: the deliverer prints it, retries with back-off, and Activity shows it waiting.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from grading_station.domain.grading import GradingRecord
from grading_station.domain.identifiers import is_valid_imei
from grading_station.domain.labels import SIZES, LabelFields, LabelLayout, LabelSize, lay_out
from grading_station.domain.units import Unit
from grading_station.domain.zpl import to_zpl

from grading_station.hardware.label_printer import CUPS, NETWORK, NONE, LabelPrinter, PrinterSettings, printer_for

from grading_station import log
from grading_station.config import declare
from grading_station.errors import RemoteRefused
from grading_station.i18n import N_, _

KIND_LABEL = "label.print"
TEST_IMEI = "356938035643809"  # Luhn-valid, in no stock: a test label never names a real unit
KEYS = ("labels.printer", "labels.address", "labels.queue", "labels.size", "labels.dpi", "labels.auto_print")

declare("labels.printer", str, NONE, N_("Label printer"),
        N_("Where grade labels are printed: nowhere, a network printer (raw TCP) or a CUPS queue"),
        choices=(NONE, NETWORK, CUPS))
declare("labels.address", str, "", N_("Printer address"),
        N_("Host or host:port of the network label printer (port 9100 when omitted)"))
declare("labels.queue", str, "", N_("CUPS queue"), N_("Name of the CUPS queue of the label printer"))
declare("labels.size", str, "50x25mm", N_("Label size"), N_("The label stock loaded in the printer"),
        choices=tuple(SIZES))
declare("labels.dpi", int, 203, N_("Printer resolution (dpi)"), N_("Dots per inch of the label printer"),
        minimum=150, maximum=600)
declare("labels.auto_print", bool, True, N_("Print on commit"),
        N_("Print the grade label after every commit (when a label printer is set)"))


class Settings(Protocol):
    def get(self, key: str) -> Any: ...


class Queue(Protocol):
    def enqueue(self, kind: str, payload: dict, key: str | None = None, coalesce: bool = False) -> Any: ...

    def get(self, item_id: str) -> Any: ...


def printer_settings(values: Callable[[str], Any]) -> PrinterSettings:
    return PrinterSettings(values("labels.printer"), values("labels.address"), values("labels.queue"))


class LabelService:
    """Everything about grade labels. `grade_title(key)` words a grade; `station()` names this bench (a
    reprint prints where it is reprinted); `printer_factory(settings)` builds the printer (tests inject one).
    Blocking calls (outbox, printer): run them off the GUI thread."""

    def __init__(self, config: Settings, outbox: Queue, grade_title: Callable[[str], str],
                 station: Callable[[], str], wake: Callable[[], None] = lambda: None,
                 printer_factory: Callable[[PrinterSettings], LabelPrinter | None] = printer_for) -> None:
        self.config, self.outbox, self.grade_title = config, outbox, grade_title
        self.station, self.wake, self.printer_factory = station, wake, printer_factory

    # -- wording ---------------------------------------------------------------------------------------
    def fields(self, serial: str, model: str, grade: str, battery: int | None, tested_at: str,
               station: str) -> LabelFields:
        details = [_("Battery {health} %").format(health=battery) if battery is not None else "",
                   str(tested_at or "")[:10]]
        return LabelFields(
            serial=serial,
            id_caption=_("IMEI") if is_valid_imei(serial) else _("S/N"),
            model=model,
            grade=self.grade_title(grade) if grade else _("Not graded"),
            lines=(" · ".join(part for part in details if part), station),
        )

    def fields_of_record(self, record: GradingRecord) -> LabelFields:
        return self.fields(record.serial, record.model_name, record.grade, record.battery_health,
                           record.tested_at, record.station)

    def fields_of_unit(self, unit: Unit) -> LabelFields:
        """A unit in stock as Odoo knows it (its lot properties): the label it was printed with, reprinted."""
        props = unit.properties
        health = props.get("battery_health")
        battery = int(health) if isinstance(health, int | float) and not isinstance(health, bool) else None
        tested = props.get("tested_at") if isinstance(props.get("tested_at"), str) else ""
        return self.fields(unit.serial, unit.model_name, unit.grade or "", battery, tested, self.station())

    def size(self) -> LabelSize:
        return SIZES[self.config.get("labels.size")].at(self.config.get("labels.dpi"))

    def layout(self, fields: LabelFields, size: LabelSize | None = None) -> LabelLayout:
        return lay_out(fields, size or self.size())

    # -- printing through the outbox ------------------------------------------------------------------------
    @property
    def printer_set(self) -> bool:
        return self.config.get("labels.printer") != NONE

    def queue(self, fields: LabelFields) -> str:
        """Queue the label for the deliverer (the ZPL is made now, so what prints is what was asked for);
        InputError when it cannot go on this label size (e.g. a serial too long to scan)."""
        zpl = to_zpl(self.layout(fields))
        payload = {"serial": fields.serial, "model_name": fields.model, "grade": fields.grade, "zpl": zpl}
        # One key per unit: its labels print in order; another unit's label never waits behind it.
        item_id = self.outbox.enqueue(KIND_LABEL, payload, key=f"label:{fields.serial}")
        log.hardware.info("label of %s queued", fields.serial, extra={"event": "label_queued"})
        self.wake()
        return item_id

    def queue_after_commit(self, grading_outbox_id: str) -> str | None:
        """The grade label of a grading just committed, when a printer is set and printing on commit is on."""
        if not (self.printer_set and self.config.get("labels.auto_print")):
            return None
        item = self.outbox.get(grading_outbox_id)
        if item is None:
            return None
        return self.queue(self.fields_of_record(GradingRecord.from_json(item.payload)))

    def handle(self, item: Any) -> dict:
        """Deliverer handler of KIND_LABEL: send the queued ZPL to the printer set now.

        Exactly once: the deliverer marks the item before this call and delivered right after it, so a restart
        never prints a delivered label again; only a crash in the instant between the printer taking the bytes
        and that mark could print it twice (raw TCP and lp give no job id to ask the printer about)."""
        printer = self.printer_factory(printer_settings(self.config.get))
        if printer is None:
            raise RemoteRefused(_("No label printer is set: choose one in Settings → Labels, then retry."))
        printer.send(item.payload["zpl"].encode("utf-8"))
        log.hardware.info("label of %s printed on %s", item.payload.get("serial"), printer.describe(),
                          extra={"event": "label_printed"})
        return {"printer": printer.describe()}

    # -- preview and test ----------------------------------------------------------------------------------
    def preview_png(self, fields: LabelFields, size: LabelSize | None = None, scale: int = 2) -> bytes:
        from grading_station.hardware.label_preview import render_png  # Pillow and zxing: only when asked

        return render_png(self.layout(fields, size), scale)

    def test_fields(self) -> LabelFields:
        """A label with every element (a valid test IMEI, both barcodes) to check the printer and the stock."""
        return LabelFields(TEST_IMEI, _("IMEI"), _("Test label · Grading Station"), _("Grade"),
                           (_("Battery {health} %").format(health=100), self.station()))

    def print_test(self, settings: PrinterSettings, size: LabelSize | None = None) -> str:
        """Print a test label now (not queued: Settings wants to know at once); a sentence saying where."""
        printer = self.printer_factory(settings)
        if printer is None:
            raise RemoteRefused(_("Choose a label printer first."))
        printer.send(to_zpl(self.layout(self.test_fields(), size)).encode("utf-8"))
        return _("A test label was sent to {printer}.").format(printer=printer.describe())
