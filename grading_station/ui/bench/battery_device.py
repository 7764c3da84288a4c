"""The battery step's conversation with the unit on the cable: reads and the attached-units poll, off the GUI
thread on one device worker (a poll and a read never talk to a device at the same time)."""

from __future__ import annotations

import concurrent.futures
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from grading_station.hardware.battery_reader import BatteryReader

from grading_station.ui.kit.background import run_in_background, show_failure

from grading_station import log
from grading_station.errors import KnownError

POLL_MS = 2000


class DeviceReading(QObject):
    """Reads the battery of the unit being graded (`set_unit`) with `reader`; while `watch(True)` (the battery
    step is shown) it polls the attached units every `poll_ms` and reads by itself when one appears and
    `wants_reading()` says the fields are still empty. Answers about another unit than the current one, or
    arriving once the step is left, are dropped.

    Signals:
        read_did_start(): a read began.
        reading_did_arrive(reading): the DeviceBattery read from the unit.
        read_did_fail(text): why nothing was read, in the technician's words.
    """

    read_did_start = Signal()
    reading_did_arrive = Signal(object)
    read_did_fail = Signal(str)

    def __init__(
        self,
        reader: BatteryReader,
        executor: concurrent.futures.Executor | None,
        wants_reading: Callable[[], bool],
        poll_ms: int = POLL_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.reader, self.executor, self.wants_reading = reader, executor, wants_reading
        self.unit: tuple[str, str] | None = None  # (scanned serial, category)
        self.reading = False  # a read is in flight
        self._polling = False  # a poll is in flight
        self._attached: int | None = None  # units seen by the last poll (None: not polled since watching)
        self._watching = False
        self._poll = QTimer(self)
        self._poll.setInterval(poll_ms)
        self._poll.timeout.connect(self._poll_devices)

    @property
    def can_read(self) -> bool:
        return self.unit is not None and self.reader.can_read(self.unit[1])

    def set_unit(self, serial: str, category: str) -> None:
        if self.unit != (serial, category):
            self.unit = (serial, category)
            self._attached = None
        self.watch(self._watching)

    def watch(self, on: bool) -> None:
        self._watching = on
        if on and self.can_read:
            if not self._poll.isActive():
                self._poll.start()
                QTimer.singleShot(0, self._poll_devices)  # at once, not in 2 s
        else:
            self._poll.stop()
            self._attached = None

    def read(self) -> None:
        if not self.can_read or self.reading:
            return
        self.reading = True
        unit, reader = self.unit, self.reader
        self.read_did_start.emit()
        run_in_background(self, lambda: reader.read(unit[1], unit[0]), success=lambda r: self._read_done(unit, r),
                          failure=lambda exc: self._read_failed(unit, exc), executor=self.executor)

    def _current(self, unit: tuple[str, str]) -> bool:
        return unit == self.unit and self._watching

    def _read_done(self, unit: tuple[str, str], reading) -> None:
        self.reading = False
        if self._current(unit):  # else the technician moved on meanwhile
            self.reading_did_arrive.emit(reading)

    def _read_failed(self, unit: tuple[str, str], exc: BaseException) -> None:
        self.reading = False
        if not isinstance(exc, KnownError):
            show_failure(exc)  # a bug: the crash handler
        elif self._current(unit):
            self.read_did_fail.emit(exc.user_message)

    def _poll_devices(self) -> None:
        if self._polling or self.reading or not self.can_read or not self._watching:
            return
        self._polling = True
        unit, reader = self.unit, self.reader
        run_in_background(self, lambda: reader.attached(unit[1]), success=lambda count: self._polled(unit, count),
                          failure=self._poll_failed, executor=self.executor)

    def _polled(self, unit: tuple[str, str], count: int) -> None:
        self._polling = False
        if not self._current(unit) or not self._poll.isActive():
            return
        before, self._attached = self._attached, count
        if count and not before and self.wants_reading():
            self.read()  # a unit was plugged in (or is on the cable as the step opens): read it

    def _poll_failed(self, exc: BaseException) -> None:
        self._polling = False
        if isinstance(exc, KnownError):
            log.hardware.info("battery device poll failed: %s", exc.detail or exc.user_message)
            return
        self._poll.stop()  # a bug: reported once, not every 2 s
        show_failure(exc)
