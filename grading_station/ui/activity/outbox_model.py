"""The outbox as table rows in the user's words: when, what, and what became of it (see wording.py)."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from grading_station.ui.activity.wording import ItemWords
from grading_station.ui.widgets import theme

from grading_station.i18n import N_, _

COLUMNS = (N_("When"), N_("What"), N_("Status"))
_COLOURS = {"delivered": theme.OK, "delivering": theme.INFO}


def colour_of(row: ItemWords) -> str | None:
    if row.state == "failing":
        return theme.ERROR if row.needs_attention else theme.WARN
    return _COLOURS.get(row.state)


class OutboxModel(QAbstractTableModel):
    """Rows of ItemWords, replaced wholesale by `set_rows` (the outbox is small: a few hundred rows).
    The tooltip of a row is its whole sentence; the technical side is in the panel's details pane."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[ItemWords] = []

    def set_rows(self, rows: list[ItemWords]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _(COLUMNS[section])
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        row = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (row.when, row.subject, row.status)[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.sentence
        if role == Qt.ItemDataRole.ForegroundRole and column == 2 and colour_of(row):
            return QColor(colour_of(row))
        return None
