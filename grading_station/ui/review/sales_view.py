"""Sales figures of the last 12 months (commission per grade, fulfilment speed, CO₂ avoided), the payout CSV
reconciliation (mismatches listed) and the EU sustainability report (CSV + PDF)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, Qt
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPainter, QPdfWriter
from PySide6.QtWidgets import QFileDialog, QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from grading_station.domain.sales_figures import return_rates

from grading_station.services.review_sales import SalesFigures, SalesService, mismatches_csv, sustainability_csv

from grading_station.ui.kit.background import run_in_background, show_failure
from grading_station.ui.review.queue_table import Column, QueueTable
from grading_station.ui.widgets import theme

from grading_station.errors import KnownError
from grading_station.i18n import N_, _

_PROBLEMS = {"not_paid": N_("not in the payout"), "unknown_order": N_("paid, but not sold in this period"),
             "amount_differs": N_("amount differs")}
Chooser = Callable[[QWidget, str, bool], str]  # (parent, suggested name, save?) -> path or ""


def _choose(parent: QWidget, suggested: str, save: bool) -> str:
    if save:
        return QFileDialog.getSaveFileName(parent, _("Save the report"), suggested, "CSV (*.csv)")[0]
    return QFileDialog.getOpenFileName(parent, _("Payout CSV from the Back Office"), "", "CSV (*.csv *.txt)")[0]


def write_pdf(path: Path, figures: SalesFigures) -> None:
    """The sustainability report as a one-page A4 PDF (QPdfWriter: no extra dependency)."""
    writer = QPdfWriter(str(path))
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     QMarginsF(18, 18, 18, 18), QPageLayout.Unit.Millimeter))
    writer.setTitle("Sustainability report")
    painter = QPainter(writer)
    width = writer.width()
    line = writer.resolution() // 4
    y = 0

    def text(value: str, size: int = 10, bold: bool = False) -> None:
        nonlocal y
        font = QFont("Sans Serif", size)
        font.setBold(bold)
        painter.setFont(font)
        rect = painter.boundingRect(QRectF(0, y, width, 10 * line), Qt.TextFlag.TextWordWrap, value)
        painter.drawText(rect, Qt.TextFlag.TextWordWrap, value)
        y += int(rect.height()) + line // 3

    text(_("Sustainability report"), 18, True)
    text(_("Period: {start} to {end}").format(start=figures.since.isoformat(), end=figures.until.isoformat()))
    text(_("Refurbished units sold, and the CO₂ avoided compared with new devices:"), 11, True)
    for row in figures.co2:
        text(_("{category}: {units} units, {kg:.1f} kg CO₂e avoided").format(category=row.category, units=row.units,
                                                                            kg=row.kg))
    total = sum(r.kg for r in figures.co2)
    text(_("Total: {units} units, {kg:.1f} kg CO₂e avoided").format(units=sum(r.units for r in figures.co2),
                                                                   kg=total), 11, True)
    text(_("Sources"), 11, True)
    for row in figures.co2:
        text(f"{row.category}: {row.source}", 8)
    painter.end()


class SalesView(QWidget):
    """Read on request (many Back Market pages): "Read sales", then the payout import and the report."""

    def __init__(self, grade_title: Callable[[str], str], chooser: Chooser = _choose,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sales: SalesService | None = None
        self.returned: Callable[[], list[tuple[str, str]]] = lambda: []  # (category, grade) of disputed units
        self.figures: SalesFigures | None = None
        self.chooser, self.clock = chooser, clock
        self.read_button = QPushButton(_("Read sales (12 months)"))
        self.read_button.setObjectName("salesRead")
        self.read_button.clicked.connect(self.read)
        self.payout_button = QPushButton(_("Import payout CSV…"))
        self.payout_button.setObjectName("salesPayout")
        self.payout_button.clicked.connect(self.import_payout)
        self.report_button = QPushButton(_("Sustainability report…"))
        self.report_button.setObjectName("salesReport")
        self.report_button.clicked.connect(self.report)
        self.summary = QLabel(_("Sales figures come from Back Market: press “Read sales”."))
        self.summary.setObjectName("salesSummary")
        self.summary.setWordWrap(True)
        self.mismatches = QueueTable("mismatches", [
            Column(N_("Order"), lambda m: str(m.order_id), key=lambda m: m.order_id),
            Column(N_("Problem"), lambda m: _(_PROBLEMS[m.kind])),
            Column(N_("Expected"), lambda m: "" if m.expected is None else str(m.expected), right=True),
            Column(N_("Paid"), lambda m: "" if m.paid is None else str(m.paid), right=True),
        ])
        self.mismatches.setVisible(False)
        buttons = QGridLayout()  # two a row: the Figures tab must fit beside the unit's side at 1366 px
        for number, button in enumerate((self.read_button, self.payout_button, self.report_button)):
            buttons.addWidget(button, number // 2, number % 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.summary)
        layout.addWidget(self.mismatches, 1)
        self.grade_title = grade_title
        self._enable()

    def set_sales(self, sales: SalesService) -> None:
        self.sales = sales
        self._enable()

    def _enable(self) -> None:
        self.read_button.setEnabled(self.sales is not None)
        self.payout_button.setEnabled(self.figures is not None)
        self.report_button.setEnabled(self.figures is not None)

    def read(self) -> None:
        until = self.clock().date()
        since = until - timedelta(days=365)
        self.read_button.setEnabled(False)
        self.summary.setText(_("Reading the sales from Back Market…"))
        run_in_background(self, lambda: self.sales.read(since, until), success=self._show, failure=self._failed)

    def _show(self, figures: SalesFigures) -> None:
        self.figures = figures
        self._enable()
        rates = [r for r in return_rates(figures.lines, self.returned()) if r.sold]
        returns = ", ".join(_("{category} {grade} {rate:.0f} %").format(
            category=r.category, grade=self.grade_title(r.grade), rate=r.rate * 100) for r in rates[:8])
        commission = ", ".join(_("{grade} {rate:.1f} %").format(grade=self.grade_title(c.grade),
                                                                 rate=c.fee_rate * 100) for c in figures.commission)
        f = figures.fulfilment
        self.summary.setText(_(
            "{sales} units sold from {start} to {end}. Shipped by the promised date: {on_time:.0f} % (paid → "
            "shipped in {hours:.0f} h, median). Commission per grade: {commission}. Return rate: {returns}. CO₂ "
            "avoided: {kg:.0f} kg."
        ).format(sales=len(figures.lines), start=figures.since.isoformat(), end=figures.until.isoformat(),
                 on_time=f.on_time_rate * 100, hours=f.median_hours, commission=commission or "—",
                 returns=returns or "—", kg=sum(r.kg for r in figures.co2)))
        theme.set_state(self.summary, "")

    def _failed(self, exc: BaseException) -> None:
        self._enable()
        if isinstance(exc, OSError):
            exc = KnownError(_("The file cannot be read or written: {reason}").format(reason=exc.strerror or exc))
        if not isinstance(exc, KnownError):
            show_failure(exc)
            return
        self.summary.setText(exc.user_message)
        theme.set_state(self.summary, "error")

    def import_payout(self) -> None:
        path = self.chooser(self, "", False)
        if not path or self.figures is None:
            return
        figures = self.figures
        run_in_background(self, lambda: self.sales.reconcile_payout(Path(path).read_bytes(), figures),
                          success=self._reconciled, failure=self._failed)

    def _reconciled(self, mismatches: list) -> None:
        self.mismatches.set_rows(mismatches, lambda m: str(m.order_id))
        self.mismatches.setVisible(True)
        self.last_mismatches_csv = mismatches_csv(mismatches)
        self.summary.setText(_("Payout checked: {count} mismatch(es) listed below.").format(count=len(mismatches))
                             if mismatches else _("Payout checked: every order is paid as expected."))
        theme.set_state(self.summary, "warn" if mismatches else "ok")

    def report(self) -> None:
        if self.figures is None:
            return
        path = self.chooser(self, f"sustainability-{self.figures.since}-{self.figures.until}.csv", True)
        if not path:
            return
        figures, csv_path = self.figures, Path(path)
        pdf_path = csv_path.with_suffix(".pdf")

        def write() -> None:  # painting on a QPdfWriter is allowed off the GUI thread (like on a QImage)
            csv_path.write_text(sustainability_csv(figures), encoding="utf-8")
            write_pdf(pdf_path, figures)

        run_in_background(self, write, success=lambda _r: self._saved(csv_path, pdf_path), failure=self._failed)

    def _saved(self, csv_path: Path, pdf_path: Path) -> None:
        self.summary.setText(_("Report saved: {csv} and {pdf}.").format(csv=csv_path, pdf=pdf_path))
        theme.set_state(self.summary, "ok")
