"""User messages: buffered until a sink exists, `replace` supersedes, delivered on the GUI thread."""

from __future__ import annotations

import threading

from grading_station.ui import messages as ui_messages
from grading_station.ui.messages import Level, Message


def test_messages_wait_for_a_sink_and_replace_supersedes():
    ui_messages.set_sink(None)
    ui_messages.error("Odoo is unreachable", replace="odoo")
    ui_messages.info("Saved")
    ui_messages.warning("Odoo answers slowly", replace="odoo")
    assert [m.text for m in ui_messages.pending()] == ["Saved", "Odoo answers slowly"]
    shown: list[Message] = []
    ui_messages.set_sink(shown.append)
    try:
        assert shown == [Message(Level.INFO, "Saved"), Message(Level.WARNING, "Odoo answers slowly", "odoo")]
        assert ui_messages.pending() == []
    finally:
        ui_messages.set_sink(None)


def test_the_fixture_records_by_level(messages):
    ui_messages.error("Photo missing")
    ui_messages.info("Delivered")
    assert messages.errors == ["Photo missing"] and messages.infos == ["Delivered"]
    assert messages.warnings == []


def test_a_message_from_a_worker_thread_reaches_the_sink_on_the_gui_thread(qtbot):
    seen: list[tuple[str, bool]] = []
    gui = threading.current_thread()
    ui_messages.set_sink(lambda m: seen.append((m.text, threading.current_thread() is gui)))
    try:
        worker = threading.Thread(target=lambda: ui_messages.warning("from the deliverer"))
        worker.start()
        worker.join()
        qtbot.wait_until(lambda: bool(seen), timeout=2000)
        assert seen == [("from the deliverer", True)]
    finally:
        ui_messages.set_sink(None)
