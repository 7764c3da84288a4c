"""The pick list: open orders, earliest dispatch first, late ones marked; ↑/↓ choose the order to pick."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from grading_station.domain.picking import PickOrder

from grading_station.ui.widgets import theme

from grading_station.i18n import N_, _

_COLUMNS = (N_("Dispatch by"), N_("Order"), N_("Model and grade"), N_("Market"), N_("Units"), N_("State"))


def state_words(order: PickOrder) -> str:
    if order.shipped:
        return _("shipping")
    if order.picked:
        return _("to ship")
    return _("to pick")


class OrderTable(QTableWidget):
    """One row per open order. Signals: `order_did_select(order_id)` when the current row changes (0: none);
    `order_did_confirm(order_id)` on Enter (the picker goes on to scan its unit)."""

    order_did_select = Signal(int)
    order_did_confirm = Signal(int)

    def __init__(self) -> None:
        super().__init__(0, len(_COLUMNS))
        self.setObjectName("orderTable")
        self.setHorizontalHeaderLabels([_(c) for c in _COLUMNS])
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().setVisible(False)
        header = self.horizontalHeader()
        # Fitted once per refill (_fit): ResizeToContents re-measures every row at each cell set (250 ms for 50)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.orders: list[PickOrder] = []
        self.currentCellChanged.connect(lambda row, *_: self.order_did_select.emit(self._id_at(row)))

    def _id_at(self, row: int) -> int:
        return self.orders[row].order_id if 0 <= row < len(self.orders) else 0

    def show_orders(self, orders: list[PickOrder], now: datetime) -> None:
        """Refill, keeping the selected order selected when it is still listed."""
        selected = self.selected_id()
        self.setUpdatesEnabled(False)
        self.blockSignals(True)
        self.orders = list(orders)
        self.setRowCount(len(self.orders))
        for row, order in enumerate(self.orders):
            late = order.late(now)
            dispatch = order.expected_dispatch[:16].replace("T", " ") or "—"
            models = ", ".join(f"{ln.needed} × {ln.quantity}" if ln.quantity > 1 else ln.needed for ln in order.lines)
            units = sum(len(ln.picked) for ln in order.lines), sum(ln.quantity for ln in order.lines)
            values = (_("{date} — late").format(date=dispatch) if late else dispatch, str(order.order_id), models,
                      order.market, f"{units[0]}/{units[1]}", state_words(order))
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                if late and column == 0:
                    item.setForeground(QColor(theme.ERROR))
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.setItem(row, column, item)
        for column in (0, 1, 3, 4, 5):
            self.resizeColumnToContents(column)
        self.blockSignals(False)
        self.setUpdatesEnabled(True)
        rows = [r for r, o in enumerate(self.orders) if o.order_id == selected]
        self.selectRow(rows[0] if rows else 0) if self.orders else self.order_did_select.emit(0)
        if rows:
            self.order_did_select.emit(selected)

    def selected_id(self) -> int:
        return self._id_at(self.currentRow())

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt)
        # Enter on the list goes on to the order (the scan field); arrows stay the table's
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.order_did_confirm.emit(self.selected_id())
            return
        super().keyPressEvent(event)
