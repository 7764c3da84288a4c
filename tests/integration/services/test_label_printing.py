"""Grade labels through the outbox to a printer: a network printer on a 127.0.0.1 socket gets exactly the
ZPL, once, across a crash and restart of the deliverer; an unreachable printer waits and is retried until it
comes up; a CUPS queue gets the job through `lp -o raw` (a fake lp on PATH)."""

from __future__ import annotations

import os
import stat
import threading
from datetime import UTC, datetime, timedelta

import pytest

from grading_station.domain.labels import LabelFields

from grading_station.store.local import Store

from grading_station.services.delivery import Backoff, Deliverer
from grading_station.services.labels import KIND_LABEL, LabelService

from grading_station.config import Config
from grading_station.errors import InputError
from tests.helpers.clock import Clock
from tests.helpers.label_printer import FakeNetworkPrinter, free_port
from tests.helpers.local_store import grading_record

FIELDS = LabelFields("356938035643809", "IMEI", "iPhone 13 128GB Midnight", "Excellent",
                     ("Battery 93 % · 2026-11-27", "Bench 1"))



@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def printer():
    fake = FakeNetworkPrinter().start()
    yield fake
    fake.stop()


def network_config(address: str) -> Config:
    config = Config(None)
    config.set("labels.printer", "network")
    config.set("labels.address", address)
    return config


TEN_SECONDS = Backoff(initial=10, maximum=60)


class Station:
    """One station's store, label service and deliverer; `restart()` is the process dying and starting again."""

    def __init__(self, paths, config: Config, clock, backoff: Backoff = TEN_SECONDS) -> None:
        self.paths, self.config, self.clock, self.backoff = paths, config, clock, backoff
        self.open()

    def open(self) -> None:
        self.store = Store.open(self.paths, clock=self.clock)
        self.labels = LabelService(self.config, self.store.outbox, lambda key: key.title(), lambda: "Bench 1")
        self.deliverer = Deliverer(self.store.outbox, backoff=self.backoff, clock=self.clock)
        self.deliverer.register(KIND_LABEL, self.labels.handle)

    def restart(self) -> None:
        self.deliverer.stop()
        self.store.close()
        self.open()

    def close(self) -> None:
        self.deliverer.stop()
        self.store.close()


@pytest.fixture
def station_factory(paths, clock):
    made: list[Station] = []

    def make(config: Config, **kwargs) -> Station:
        made.append(Station(paths, config, clock, **kwargs))
        return made[-1]

    yield make
    for station in made:
        station.close()


def test_the_printer_receives_exactly_the_zpl_once(station_factory, printer):
    station = station_factory(network_config(printer.address))
    item_id = station.labels.queue(FIELDS)
    zpl = station.store.outbox.get(item_id).payload["zpl"]
    assert zpl.startswith("^XA\n^CI28\n") and "^FD356938035643809^FS" in zpl
    assert station.deliverer.deliver_due() == 1
    assert printer.received.wait(5)
    assert printer.jobs == [zpl.encode("utf-8")]
    assert station.store.outbox.get(item_id).state == "delivered"
    station.restart()  # a delivered label is never printed again
    assert station.deliverer.deliver_due() == 0
    assert printer.jobs == [zpl.encode("utf-8")]


def test_a_label_claimed_when_the_station_crashed_prints_once_after_the_restart(station_factory, printer):
    station = station_factory(network_config(printer.address))
    item_id = station.labels.queue(FIELDS)
    assert station.store.outbox.mark_delivering(item_id)  # the deliverer took it ... and the process died
    station.restart()  # Store.open puts the interrupted item back in the queue
    assert station.store.outbox.get(item_id).state == "pending"
    station.deliverer.deliver_due()
    station.restart()
    station.deliverer.deliver_due()
    assert printer.received.wait(5)
    assert len(printer.jobs) == 1 and printer.jobs[0] == station.store.outbox.get(item_id).payload["zpl"].encode()


def test_an_unreachable_printer_waits_with_back_off_then_prints_when_it_comes_up(station_factory, clock):
    offline = FakeNetworkPrinter(free_port())  # its port is known, nothing listens there yet
    station = station_factory(network_config(offline.address))
    item_id = station.labels.queue(FIELDS)
    station.deliverer.deliver_due()
    item = station.store.outbox.get(item_id)
    assert item.state == "failing" and not item.permanent  # waits: retried by itself
    assert "cannot be reached" in item.last_error
    assert datetime.fromisoformat(item.next_attempt_at) == clock.now + timedelta(seconds=10)
    clock.now += timedelta(seconds=10)
    station.deliverer.deliver_due()  # still off: the wait doubles
    item = station.store.outbox.get(item_id)
    assert item.attempts == 2 and datetime.fromisoformat(item.next_attempt_at) == clock.now + timedelta(seconds=20)
    offline.start()
    try:
        clock.now += timedelta(seconds=5)
        assert station.deliverer.deliver_due() == 0  # not due yet: nothing is sent early
        clock.now += timedelta(seconds=15)
        station.deliverer.deliver_due()
        assert offline.received.wait(5)
        assert len(offline.jobs) == 1
        assert station.store.outbox.get(item_id).state == "delivered"
    finally:
        offline.stop()


def test_the_deliverer_thread_retries_by_itself_until_the_printer_is_on(station_factory):
    offline = FakeNetworkPrinter(free_port())
    real_clock = lambda: datetime.now(UTC)  # noqa: E731
    station = station_factory(network_config(offline.address), backoff=Backoff(initial=0.05, maximum=0.2))
    station.deliverer.clock = real_clock
    delivered = threading.Event()
    station.deliverer.add_listener(lambda item: item.state == "delivered" and delivered.set())
    station.deliverer.start()
    station.labels.queue(FIELDS)
    assert not delivered.wait(0.3)  # off: it keeps trying
    offline.start()
    try:
        assert delivered.wait(5) and offline.received.wait(5)
        assert len(offline.jobs) == 1
    finally:
        offline.stop()


def test_no_label_is_queued_on_commit_without_a_printer_or_with_auto_print_off(station_factory, printer):
    config = Config(None)
    station = station_factory(config)
    record = grading_record(serial="356938035643809", battery_health=91, tested_at="2026-11-27T09:00:00Z")
    commit_id = station.store.outbox.enqueue("grading", record.to_json())
    assert station.labels.queue_after_commit(commit_id) is None  # no printer set
    config.set("labels.printer", "network")
    config.set("labels.address", printer.address)
    config.set("labels.auto_print", False)
    assert station.labels.queue_after_commit(commit_id) is None
    config.set("labels.auto_print", True)
    item = station.store.outbox.get(station.labels.queue_after_commit(commit_id))
    assert item.kind == KIND_LABEL and item.key == "label:356938035643809"
    assert "Battery 91 % · 2026-11-27" in item.payload["zpl"] and "^FDIMEI 356938035643809^FS" in item.payload["zpl"]


def test_a_serial_too_long_for_the_label_is_refused_before_it_is_queued(station_factory, printer):
    station = station_factory(network_config(printer.address))
    with pytest.raises(InputError, match="too long"):
        station.labels.queue(LabelFields("X" * 40, "S/N", "Phone", "Good"))
    assert station.store.outbox.list_items() == []


# -- CUPS -------------------------------------------------------------------------------------------------
def fake_lp(folder, monkeypatch, exit_code: int = 0, stderr: str = ""):
    """An `lp` on PATH that keeps its arguments and the job it was given."""
    bin_dir = folder / "bin"
    bin_dir.mkdir()
    script = bin_dir / "lp"
    script.write_text(
        "#!/bin/sh\n"
        f'printf "%s\\n" "$@" >> "{folder}/args"\n'
        f'cat >> "{folder}/job"\n'
        f'[ -n "{stderr}" ] && echo "{stderr}" >&2\n'
        f"exit {exit_code}\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    return folder


def cups_config(queue: str = "zebra_bench1") -> Config:
    config = Config(None)
    config.set("labels.printer", "cups")
    config.set("labels.queue", queue)
    return config


@pytest.mark.skipif(os.name == "nt", reason="the fake lp is a shell script")
def test_a_cups_queue_gets_the_raw_zpl_through_lp(station_factory, tmp_path, monkeypatch):
    spool = fake_lp(tmp_path, monkeypatch)
    station = station_factory(cups_config())
    item_id = station.labels.queue(FIELDS)
    station.deliverer.deliver_due()
    assert station.store.outbox.get(item_id).state == "delivered"
    assert (spool / "args").read_text().split() == ["-d", "zebra_bench1", "-o", "raw"]
    assert (spool / "job").read_bytes() == station.store.outbox.get(item_id).payload["zpl"].encode()


@pytest.mark.skipif(os.name == "nt", reason="the fake lp is a shell script")
def test_a_cups_queue_that_does_not_exist_stops_until_retried(station_factory, tmp_path, monkeypatch,
                                                              expected_logs):
    expected_logs.expect("grading_station.outbox", "label.print .* refused: CUPS refused the label")
    fake_lp(tmp_path, monkeypatch, 1, "lp: The printer or class does not exist.")
    station = station_factory(cups_config("nope"))
    item_id = station.labels.queue(FIELDS)
    station.deliverer.deliver_due()
    item = station.store.outbox.get(item_id)
    assert item.state == "failing" and item.permanent and "does not exist" in item.last_error


@pytest.mark.skipif(os.name == "nt", reason="the fake lp is a shell script")
def test_a_stopped_cups_scheduler_is_waited_for(station_factory, tmp_path, monkeypatch):
    fake_lp(tmp_path, monkeypatch, 1, "lp: scheduler is not running")
    station = station_factory(cups_config())
    item_id = station.labels.queue(FIELDS)
    station.deliverer.deliver_due()
    item = station.store.outbox.get(item_id)
    assert item.state == "failing" and not item.permanent and item.next_attempt_at


def test_no_lp_command_is_said_in_words(station_factory, tmp_path, monkeypatch, expected_logs):
    expected_logs.expect("grading_station.outbox", "refused: CUPS is not installed")
    monkeypatch.setenv("PATH", str(tmp_path))
    station = station_factory(cups_config())
    item_id = station.labels.queue(FIELDS)
    station.deliverer.deliver_due()
    assert "CUPS is not installed" in station.store.outbox.get(item_id).last_error
