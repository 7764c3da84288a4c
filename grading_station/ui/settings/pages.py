"""What a Settings page is, what it gets to work with, and the registry the Settings screen iterates."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtWidgets import QWidget

from grading_station.config import Config
from grading_station.secrets import SecretStore

BlockingWork = Callable[[], None]


@dataclass
class SettingsContext:
    """Collaborators pages need, built by app.py. `services` holds extras other pages want, by name
    (e.g. "odoo.connect": the function that signs in to Odoo, "odoo.provision": Prepare Odoo)."""

    config: Config
    secrets: SecretStore
    services: dict[str, Any] = field(default_factory=dict)


class SettingsPage(QWidget):
    """One page of the Settings screen.

    `load()` fills the fields from the config (cheap, GUI thread). `save()` validates the fields and sets the
    config (raising InputError naming the wrong field); it returns blocking work (keyring writes) for the
    screen to run off the GUI thread, or None.
    """

    title = ""
    order = 100  # position in the page list, lowest first (Odoo 10, Station 20, Scanner 30)

    def __init__(self, context: SettingsContext) -> None:
        super().__init__()
        self.context = context

    def load(self) -> None:
        raise NotImplementedError

    def save(self) -> BlockingWork | None:
        raise NotImplementedError


PageFactory = Callable[[SettingsContext], SettingsPage]

# The Settings screen shows one page per factory, sorted by `order`. Other packages append theirs at import
# time (`register_page(CameraPage)`) instead of editing the screen.
PAGES: list[PageFactory] = []


def ordered_pages() -> list[PageFactory]:
    return sorted(PAGES, key=lambda factory: getattr(factory, "order", 100))


def register_page(factory: PageFactory) -> PageFactory:
    """Add a page factory (usable as a class decorator); registering the same factory twice is harmless."""
    if factory not in PAGES:
        PAGES.append(factory)
    return factory
