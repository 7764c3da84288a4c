"""Carries the deliverer's state changes (any thread) to the GUI thread as a Qt signal."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal


class OutboxBridge(QObject):
    """Pass `bridge.notify` as the Deliverer's `on_change`; whoever changes the outbox elsewhere (the bench's
    commit, a manual retry) calls `notify(None)` too.

    Signals:
        outbox_did_change(item): an outbox item changed state (the item as stored, or None when unknown).
            Emitted from the caller's thread; receivers in the GUI thread get it queued.
    """

    outbox_did_change = Signal(object)

    def notify(self, item: Any = None) -> None:
        self.outbox_did_change.emit(item)
