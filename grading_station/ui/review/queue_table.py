"""One queue as a sortable, filterable table: columns declared once (title, text, sort key), a model over rows."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLineEdit, QTableView, QVBoxLayout, QWidget

from grading_station.i18n import _

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    """A column: its title (N_(), translated when shown), its text for a row, its sort key (default: the text)."""

    title: str
    text: Callable[[Any], str]
    key: Callable[[Any], Any] | None = None
    right: bool = False  # numbers line up on the right


class RowsModel(QAbstractTableModel):
    """Rows of any kind shown through `columns`; replaced whole at each refresh (a queue is read whole)."""

    def __init__(self, columns: Sequence[Column], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.columns = tuple(columns)
        self.rows: list[Any] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index | None = None) -> int:  # noqa: N802 (Qt's name)
        return 0 if parent is not None and parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index | None = None) -> int:  # noqa: N802 (Qt's name)
        return 0 if parent is not None and parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        column, row = self.columns[index.column()], self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return column.text(row)
        if role == SORT_ROLE:
            return (column.key or column.text)(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 (Qt's name)
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(self.columns[section].title)
        return None


class _Filter(QSortFilterProxyModel):
    """Keeps the rows whose text, in any column, holds every word typed (case-insensitive)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.words: list[str] = []
        self.setSortRole(SORT_ROLE)

    def set_text(self, text: str) -> None:
        if hasattr(self, "endFilterChange"):  # Qt 6.10+ (invalidateFilter is deprecated there)
            self.beginFilterChange()
            self.words = text.casefold().split()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.words = text.casefold().split()
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:  # noqa: N802 (Qt's name)
        if not self.words:
            return True
        model = self.sourceModel()
        row = " ".join(str(model.data(model.index(source_row, c))) for c in range(model.columnCount())).casefold()
        return all(word in row for word in self.words)

    def lessThan(self, left: Index, right: Index) -> bool:  # noqa: N802 (Qt's name)
        a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
        try:
            return a < b
        except TypeError:  # mixed kinds in one column: compare as text
            return str(a) < str(b)


class QueueTable(QWidget):
    """A filter field over a table of one queue. Signal `row_did_select(row)` (the row object, or None)."""

    row_did_select = Signal(object)

    def __init__(self, name: str, columns: Sequence[Column], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = RowsModel(columns, self)
        self.proxy = _Filter(self)
        self.proxy.setSourceModel(self.model)
        self.filter = QLineEdit()
        self.filter.setObjectName(f"{name}Filter")
        self.filter.setPlaceholderText(_("Filter: type a serial, model, grade, technician…"))
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.proxy.set_text)
        self.view = QTableView()
        self.view.setObjectName(f"{name}Table")
        self.view.setModel(self.proxy)
        # the queue's own order (oldest hold, highest value...) until the supervisor clicks a header
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.view.setSortingEnabled(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().setVisible(False)
        header = self.view.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self.row_did_select.emit(self.current()))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(self.filter)
        layout.addWidget(self.view, 1)

    def set_rows(self, rows: Sequence[Any], serial_of: Callable[[Any], str]) -> None:
        """Show `rows`, keeping the selected serial selected when it is still there."""
        kept = self.current()
        kept_serial = serial_of(kept) if kept is not None else ""
        self.serial_of = serial_of
        self.model.set_rows(rows)
        if not getattr(self, "_fitted", False) and rows:
            self.view.resizeColumnsToContents()  # once: later refreshes keep the widths the user set
            for col in range(self.model.columnCount()):
                self.view.setColumnWidth(col, min(self.view.columnWidth(col), 210))
            self._fitted = True
        if not (kept_serial and self.select(kept_serial)):
            self.row_did_select.emit(self.current())

    def current(self) -> Any:
        index = self.view.selectionModel().currentIndex()
        if not index.isValid() or not self.view.selectionModel().isRowSelected(index.row(), QModelIndex()):
            return None
        return self.model.rows[self.proxy.mapToSource(index).row()]

    def select(self, serial: str) -> bool:
        """Select the row of `serial` (clearing a filter that hides it); False when the queue does not hold it."""
        source = next((r for r, row in enumerate(self.model.rows) if self.serial_of(row) == serial), None)
        if source is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(source, 0))
        if not index.isValid():
            self.filter.clear()
            index = self.proxy.mapFromSource(self.model.index(source, 0))
        self.view.selectRow(index.row())
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index)
        return True

    def count(self) -> int:
        return len(self.model.rows)
