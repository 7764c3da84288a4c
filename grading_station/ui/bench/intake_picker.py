"""New-intake picker: find the model by name, internal reference or EAN, then say where the unit came from."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from grading_station.domain.gs1 import gtin_check_ok
from grading_station.domain.units import CatalogueModel, IntakeSource

from grading_station.services.bench_models import SOURCE_TITLES

from grading_station.ui.bench.step_editors import DIGITS
from grading_station.ui.bench.theme import set_state
from grading_station.ui.scan_filter import accept_scans

from grading_station.i18n import _, ngettext


class IntakePicker(QWidget):
    """Type to search (Down goes to the results), Enter picks the model, then 1-4 picks the source and starts.
    Scanning the box's barcode (EAN/GTIN) picks the model it belongs to (`take_barcode`).

    Signals:
        search_did_request(text): look models up (debounced by `debounce_ms`; run in the background).
        intake_did_choose(model, source): start grading this new unit.
    """

    search_did_request = Signal(str)
    intake_did_choose = Signal(object, object)

    def __init__(self, debounce_ms: int = 250, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model: CatalogueModel | None = None
        self._barcode = ""  # the scanned EAN being looked up: its one match is picked without Enter
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # takes the 1-4 keys once a model is picked
        self.title = QLabel(_("New unit"))
        self.title.setProperty("role", "title")
        self.title.setWordWrap(True)
        self.query = QLineEdit()
        self.query.setObjectName("modelSearch")
        self.query.setPlaceholderText(_("Model name, internal reference, or scan the box's EAN"))
        accept_scans(self.query)  # a scanned EAN here is a scan (the bench hands it back to take_barcode)
        self.query.textEdited.connect(lambda _: self._debounce.start())
        self.query.returnPressed.connect(self._pick_first_or_search)
        self.results = QListWidget()
        self.results.setObjectName("modelResults")
        self.results.itemActivated.connect(self._pick)
        self.status = QLabel(_("Type at least 2 characters."))
        self.status.setProperty("role", "hint")
        self.status.setWordWrap(True)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(debounce_ms)
        self._debounce.timeout.connect(self._search)
        self.chosen = QLabel("")
        self.chosen.setProperty("role", "subtitle")
        self.chosen.setWordWrap(True)
        self.sources = QButtonGroup(self)
        source_row = QGridLayout()
        for index, source in enumerate(IntakeSource):
            button = QPushButton(f"{_(SOURCE_TITLES[source])}  [{index + 1}]")
            button.setObjectName(f"source_{source.value}")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setEnabled(False)
            self.sources.addButton(button, index)
            source_row.addWidget(button, index // 2, index % 2)
        self.sources.idClicked.connect(self._choose_source)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(QLabel(_("1. Which model is it?")))
        layout.addWidget(self.query)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.status)
        layout.addWidget(QLabel(_("2. Where does it come from?")))
        layout.addWidget(self.chosen)
        layout.addLayout(source_row)

    def start(self, serial: str) -> None:
        self.title.setText(_("New unit {serial}: not in stock yet").format(serial=serial))
        self.model = None
        self._barcode = ""
        self.query.clear()
        self.results.clear()
        self.chosen.setText("")
        self._enable_sources(False)
        self.status.setText(_("Type at least 2 characters."))
        set_state(self.status, "")
        self.query.setFocus(Qt.FocusReason.OtherFocusReason)

    def take_barcode(self, raw: str) -> bool:
        """A scan while the picker is shown: when it is a product barcode (EAN/UPC/GTIN), look the model up by
        it and return True (the bench then does not read it as the unit's serial)."""
        code = raw.strip()
        if not (code.isdigit() and len(code) in (8, 12, 13, 14) and gtin_check_ok(code)):
            return False
        self._barcode = code
        self.query.setText(code)
        self._debounce.stop()
        self._search()
        return True

    def show_results(self, text: str, models: list[CatalogueModel]) -> None:
        if text != self.query.text().strip():
            return  # an older search answered late
        by_code = [m for m in models if text == self._barcode and m.barcode == text]
        self._barcode = ""
        self.results.clear()
        for model in models:
            details = " · ".join(x for x in (model.default_code, model.barcode, model.category) if x)
            item = QListWidgetItem(f"{model.name}\n{details}")
            item.setData(Qt.ItemDataRole.UserRole, model)
            self.results.addItem(item)
        if models:
            self.results.setCurrentRow(0)
            self.status.setText(ngettext("{count} found: ↓ to choose, Enter to pick.",
                                          "{count} found: ↓ to choose, Enter to pick.", len(models)).format(
                count=len(models)))
            set_state(self.status, "")
            if len(by_code) == 1:  # the box's barcode names one model: picked
                self.results.setCurrentRow(models.index(by_code[0]))
                self._pick(self.results.currentItem())
                self.status.setText(_("Picked by its barcode {code}.").format(code=text))
        else:
            self.status.setText(
                _("No managed model matches “{text}”. Check the spelling, or ask a supervisor "
                  "to add the model in Odoo.").format(text=text)
            )
            set_state(self.status, "warn")

    def show_error(self, text: str) -> None:
        self.status.setText(text)
        set_state(self.status, "error")

    def _search(self) -> None:
        text = self.query.text().strip()
        if len(text) >= 2:
            self.status.setText(_("Searching…"))
            set_state(self.status, "info")
            self.search_did_request.emit(text)

    def _pick_first_or_search(self) -> None:
        if self.results.count():
            self._pick(self.results.currentItem() or self.results.item(0))
        else:
            self._debounce.stop()
            self._search()

    def _pick(self, item: QListWidgetItem) -> None:
        self.model = item.data(Qt.ItemDataRole.UserRole)
        self.chosen.setText(_("Model: {model}. Now press 1-4 for the source.").format(model=self.model.name))
        self._enable_sources(True)
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    def _enable_sources(self, enabled: bool) -> None:
        for button in self.sources.buttons():
            button.setEnabled(enabled)

    def _choose_source(self, index: int) -> None:
        if self.model is not None:
            self.intake_did_choose.emit(self.model, list(IntakeSource)[index])

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        index = DIGITS.get(event.key(), 0) - 1
        if self.model is not None and 0 <= index < len(IntakeSource):
            self._choose_source(index)
            return
        if event.key() == Qt.Key.Key_Down and self.query.hasFocus() and self.results.count():
            self.results.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        super().keyPressEvent(event)
