"""The battery step: health % and charge cycles typed in or read from the unit, checked by the service, refusals
explained."""

from __future__ import annotations

import concurrent.futures

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QHideEvent, QKeyEvent, QShowEvent
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QPushButton, QWidget

from grading_station.domain.battery import MANUAL, MAX_FIELD_LENGTH

from grading_station.hardware.battery_probe import DeviceBattery, Identity
from grading_station.hardware.battery_reader import BatteryReader

from grading_station.services.bench_models import StepView

from grading_station.ui.bench.battery_device import POLL_MS, DeviceReading
from grading_station.ui.bench.step_editors import StepEditor
from grading_station.ui.bench.theme import set_state

from grading_station.i18n import _


class BatteryEditor(StepEditor):
    """Two fields; Enter in "health" moves to "cycles", Enter in "cycles" submits. With a reader attached, R (or
    the button) reads the unit on the cable, and a unit plugged in while the step is shown is read at once; the
    values fill the fields and the technician confirms them with Enter, or types over them (then the reading is
    "manual"). Device I/O runs on `device_executor`, never on the GUI thread.

    Signal `reading_did_submit(health_text, cycles_text, source)`: the raw texts, validated off the GUI thread by
    the grading service; `source` is MANUAL or the device's ("device (adb)") when the texts are the ones read.
    """

    reading_did_submit = Signal(str, str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.health = QLineEdit()
        self.health.setObjectName("batteryHealth")
        self.health.setPlaceholderText(_("e.g. 92"))
        self.health.setMaximumWidth(220)
        self.health.setMaxLength(MAX_FIELD_LENGTH)
        self.cycles = QLineEdit()
        self.cycles.setObjectName("batteryCycles")
        self.cycles.setPlaceholderText(_("e.g. 310"))
        self.cycles.setMaximumWidth(220)
        self.cycles.setMaxLength(MAX_FIELD_LENGTH)
        self.read_button = QPushButton(_("Read from device [R]"))
        self.read_button.setObjectName("batteryRead")
        self.read_button.setToolTip(_("Read health and cycles from the unit on the USB cable (Android, iPhone) or "
                                      "from this laptop"))
        self.read_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the fields keep the focus and the keys
        self.read_button.setMaximumWidth(320)
        self.read_button.clicked.connect(self.read_device)
        self.read_button.hide()
        self.error = QLabel("")
        self.error.setObjectName("batteryError")
        self.error.setWordWrap(True)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setVerticalSpacing(12)
        form.addRow(_("Battery health (%)"), self.health)
        form.addRow(_("Charge cycles"), self.cycles)
        form.addRow("", self.read_button)
        form.addRow(self.error)
        for field in (self.health, self.cycles):
            field.installEventFilter(self)
        self.device: DeviceReading | None = None
        self._unit: tuple[str, str] | None = None  # (scanned serial, category) of the grading shown
        self._filled: tuple[str, str, str] | None = None  # (health, cycles, source) as read from the device

    # -- wiring ------------------------------------------------------------------------------------
    def attach_reader(
        self, reader: BatteryReader, executor: concurrent.futures.Executor | None, poll_ms: int = POLL_MS
    ) -> None:
        if self.device is not None:
            self.device.watch(False)
            self.device.deleteLater()
        self.device = DeviceReading(reader, executor, lambda: not self.health.text().strip(), poll_ms, self)
        self.device.read_did_start.connect(lambda: self._show(_("Reading the battery from the device…"), "info"))
        self.device.reading_did_arrive.connect(self._reading_arrived)
        self.device.read_did_fail.connect(lambda text: self._show(text, "error"))
        if self._unit is not None:
            self.set_unit(*self._unit)

    def set_unit(self, serial: str, category: str) -> None:
        """The grading shown: its scanned serial (the device must prove it is that unit) and its category."""
        self._unit = (serial, category)
        if self.device is not None:
            self.device.set_unit(serial, category)
        self._update_device()

    def stop_polling(self) -> None:
        if self.device is not None:
            self.device.watch(False)
            self.device = None

    @property
    def can_read(self) -> bool:
        """A reader is attached and it can read units of the category shown."""
        return self.device is not None and self.device.can_read

    def _update_device(self) -> None:
        self.read_button.setVisible(self.can_read)
        if self.device is not None:
            self.device.watch(self.isVisible())  # polled only while the battery step is shown

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        self._update_device()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 (Qt override)
        super().hideEvent(event)
        self._update_device()

    # -- the step ----------------------------------------------------------------------------------
    def show_step(self, step: StepView) -> None:
        self.error.setText("")

    def show_values(self, health: int | None, cycles: int | None, source: str = "") -> None:
        self.health.setText("" if health is None else str(health))
        self.cycles.setText("" if cycles is None else str(cycles))
        self._filled = (self.health.text(), self.cycles.text(), source) if source and source != MANUAL else None

    def take_focus(self) -> None:
        field = self.cycles if self.health.text() and not self.cycles.text() else self.health
        field.setFocus(Qt.FocusReason.OtherFocusReason)
        field.selectAll()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        plain = isinstance(event, QKeyEvent) and not event.modifiers() & (
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
        if event.type() == QEvent.Type.KeyPress and plain and self.handle_key(event.key()):
            return True  # R reads: a health or a cycle count has no letter R
        return super().eventFilter(watched, event)

    def handle_key(self, key: int) -> bool:
        if key == Qt.Key.Key_R and self.can_read:
            self.read_device()
            return True
        return False

    def read_device(self) -> None:
        if self.device is not None:
            self.device.read()

    def source(self) -> str:
        """The device's source while the fields hold what it read, else MANUAL (typed, or typed over)."""
        if self._filled and (self.health.text(), self.cycles.text()) == self._filled[:2]:
            return self._filled[2]
        return MANUAL

    def confirm(self) -> bool:
        if self.health.hasFocus() and not self.cycles.text().strip():
            self.cycles.setFocus(Qt.FocusReason.TabFocusReason)
            return False
        self._show(_("Checking…"), "info")
        self.reading_did_submit.emit(self.health.text(), self.cycles.text(), self.source())
        return False  # the panel moves on when the service accepts the reading

    def show_error(self, text: str) -> None:
        self._show(text, "error")
        self.health.setFocus(Qt.FocusReason.OtherFocusReason)
        self.health.selectAll()

    def show_accepted(self, text: str) -> None:
        self._show(text, "ok")

    def _show(self, text: str, state: str) -> None:
        self.error.setText(text)
        set_state(self.error, state)

    def _reading_arrived(self, reading: DeviceBattery) -> None:
        gauge = reading.gauge
        cycles = "" if gauge.cycles is None else str(gauge.cycles)
        if gauge.health is None:
            self._filled = None
            if cycles:
                self.cycles.setText(cycles)
            self._show(_("This device does not report battery health: enter it from the diagnostics app."), "warn")
            self.health.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self.health.setText(str(gauge.health))
        self.cycles.setText(cycles)
        self._filled = (self.health.text(), cycles, reading.source)
        text = _("Read from {device}: {health} % ({basis}){cycles}. Enter saves it.").format(
            device=reading.device, health=gauge.health, basis=gauge.basis or reading.source,
            cycles=_(", {count} cycles").format(count=cycles) if cycles else _(", no cycle count"))
        unproven = reading.identity == Identity.UNPROVEN
        if unproven:
            text += " " + _("The device cannot prove it is {serial}: check that it is before you press Enter.").format(
                serial=self._unit[0])
        self._show(text, "warn" if unproven else "ok")
        self.take_focus()
