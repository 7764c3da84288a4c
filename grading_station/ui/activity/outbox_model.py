"""The outbox as table rows: what, unit, state (with the reason when failing), attempts, next retry."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from grading_station.ui.widgets import theme

# What each kind of outbox command means to a person; unknown kinds show their raw name.
KIND_TITLES = {
    "grading": "Grading → Odoo",
    "bm.listing": "Listing → Back Market",
    "bm.stock": "Stock → Back Market",
    "bm.shipment": "Shipment → Back Market",
}
STATE_TITLES = {"pending": "Waiting", "delivering": "Sending…", "delivered": "Delivered",
                "failing": "Failing"}
_STATE_COLOURS = {"failing": theme.ERROR, "delivered": theme.OK, "delivering": theme.INFO}
COLUMNS = ("What", "Unit / serial", "State", "Attempts", "Next retry")


@dataclass(frozen=True)
class OutboxRow:
    """One outbox item as the panel shows it (a snapshot taken off the GUI thread)."""

    item_id: Any
    what: str
    unit: str
    state: str
    reason: str
    attempts: int
    next_retry: str

    @property
    def retryable(self) -> bool:
        return self.state == "failing"


def row_of(item: Any, tz: dt.tzinfo | None = None) -> OutboxRow:
    """The row of a store.outbox.OutboxItem; times are shown in `tz` (the computer's zone by default)."""
    payload = item.payload if isinstance(item.payload, dict) else {}
    record = payload.get("record") if isinstance(payload.get("record"), dict) else {}
    unit = record.get("serial") or payload.get("serial") or payload.get("sku") or ""
    model = record.get("model_name") or payload.get("model_name") or ""
    if model and unit:
        unit = f"{unit} · {model}"
    next_retry = ""
    if item.state == "failing":
        if item.permanent or not item.next_attempt_at:
            next_retry = "by hand (Retry)"
        else:
            next_retry = dt.datetime.fromisoformat(item.next_attempt_at).astimezone(tz).strftime("%H:%M:%S")
    return OutboxRow(item.id, KIND_TITLES.get(item.kind, item.kind), unit or "—", item.state,
                     item.last_error or "", item.attempts, next_retry)


class OutboxModel(QAbstractTableModel):
    """Rows of OutboxRow, replaced wholesale by `set_rows` (the outbox is small: a few hundred rows)."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[OutboxRow] = []

    def set_rows(self, rows: list[OutboxRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        row = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            state = STATE_TITLES.get(row.state, row.state)
            if row.reason and row.state == "failing":
                state = f"{state}: {row.reason}"
            return (row.what, row.unit, state, str(row.attempts), row.next_retry)[column]
        if role == Qt.ItemDataRole.ToolTipRole and column == 2 and row.reason:
            return row.reason
        if role == Qt.ItemDataRole.ForegroundRole and column == 2 and row.state in _STATE_COLOURS:
            return QColor(_STATE_COLOURS[row.state])
        return None
