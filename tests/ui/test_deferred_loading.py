"""load_in_turn: the parts of the window built after start-up load one after the other, each built on the GUI
thread; a failed load is shown and the next goes on; nothing more loads once the window is closing."""

from __future__ import annotations

import concurrent.futures
import threading

from grading_station.ui.kit.deferred import load_in_turn

from grading_station.errors import RemoteUnavailable
from tests.helpers.sync import drain


def _recorder(seen: list, name: str):
    """A (load, build) step that notes when it loads (on which thread) and when it is built (on which)."""

    def load() -> str:
        seen.append((f"load {name}", threading.current_thread() is threading.main_thread()))
        return name

    def build(result: str) -> None:
        seen.append((f"build {result}", threading.current_thread() is threading.main_thread()))

    return load, build


def test_each_part_loads_off_the_gui_thread_after_the_previous_one_is_built_on_it(qtbot):
    seen: list = []
    load_in_turn(None, [_recorder(seen, "review"), _recorder(seen, "channel"), _recorder(seen, "camera")])
    qtbot.waitUntil(lambda: len(seen) == 6, timeout=3000)
    on_gui = True
    assert seen == [("load review", not on_gui), ("build review", on_gui), ("load channel", not on_gui),
                    ("build channel", on_gui), ("load camera", not on_gui), ("build camera", on_gui)]


def test_a_failed_load_is_shown_and_the_next_part_still_loads(qtbot, messages):
    seen: list = []

    def unreachable() -> None:
        raise RemoteUnavailable("Back Market cannot be reached.")

    load_in_turn(None, [(unreachable, lambda _r: seen.append("built the failed part?")), _recorder(seen, "camera")])
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=3000)
    assert [step for step, _ in seen] == ["load camera", "build camera"]
    assert messages.errors == ["Back Market cannot be reached."]


def test_nothing_more_loads_once_the_window_is_closing(qtbot):
    seen: list = []
    closing = threading.Event()
    first_load, first_build = _recorder(seen, "review")

    def build_then_close(result: str) -> None:
        first_build(result)
        closing.set()

    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as executor:
        load_in_turn(None, [(first_load, build_then_close), _recorder(seen, "camera")],
                     going_on=lambda: not closing.is_set(), executor=executor)
        qtbot.waitUntil(lambda: closing.is_set(), timeout=3000)
        drain(qtbot, executor)  # a next load would have been queued before this no-op, and run first
    assert [step for step, _ in seen] == ["load review", "build review"]
