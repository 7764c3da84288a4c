"""The `messages` fixture: records what grading_station.ui.messages would show the user."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from grading_station.ui import messages as ui_messages


@dataclass
class MessageRecorder:
    """Every message posted while the fixture is active, in order."""

    posted: list[ui_messages.Message] = field(default_factory=list)

    def __call__(self, message: ui_messages.Message) -> None:
        self.posted.append(message)

    def texts(self, level: ui_messages.Level | None = None) -> list[str]:
        return [m.text for m in self.posted if m.text and (level is None or m.level == level)]

    def showing(self, replace: str) -> str:
        """The text on screen for a `replace` key now ("" once cleared or never posted)."""
        for message in reversed(self.posted):
            if message.replace == replace:
                return message.text
        return ""

    @property
    def errors(self) -> list[str]:
        return self.texts(ui_messages.Level.ERROR)

    @property
    def warnings(self) -> list[str]:
        return self.texts(ui_messages.Level.WARNING)

    @property
    def infos(self) -> list[str]:
        return self.texts(ui_messages.Level.INFO)


@pytest.fixture
def messages():
    recorder = MessageRecorder()
    ui_messages.set_sink(recorder)
    yield recorder
    ui_messages.set_sink(None)
