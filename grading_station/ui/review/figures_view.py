"""The Figures tab: per operator (with a bar chart of gradings) and per category × grade, exported as CSV."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from grading_station.services.review_figures import Figures, to_csv

from grading_station.ui.kit.background import run_in_background
from grading_station.ui.review.bar_chart import BarChart
from grading_station.ui.review.queue_table import Column, QueueTable
from grading_station.ui.review.sales_view import SalesView

from grading_station.i18n import N_, _
from grading_station.wording import CATEGORIES

FileChooser = Callable[[QWidget, str], str]  # (parent, suggested name) -> path, "" when cancelled


def _choose_file(parent: QWidget, suggested: str) -> str:
    path, _filter = QFileDialog.getSaveFileName(parent, _("Export the figures"), suggested, "CSV (*.csv)")
    return path


def _pct(value: float) -> str:
    return f"{value * 100:.0f} %"


class FiguresView(QWidget):
    """Shows a Figures snapshot; "Export CSV…" writes it off the GUI thread. Signal-free: the panel feeds it."""

    def __init__(self, grade_title: Callable[[str], str], file_chooser: FileChooser = _choose_file,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.figures: Figures | None = None
        self.file_chooser = file_chooser
        self.summary = QLabel("")
        self.summary.setProperty("role", "hint")
        self.summary.setWordWrap(True)
        self.export_button = QPushButton(_("Export CSV…"))
        self.export_button.setObjectName("figuresExport")
        self.export_button.clicked.connect(self.export)
        self.chart = BarChart(_("Units graded, per technician"))
        self.operators = QueueTable("operators", [
            Column(N_("Technician"), lambda r: r.technician),
            Column(N_("Graded"), lambda r: str(r.graded), key=lambda r: r.graded, right=True),
            Column(N_("Per day"), lambda r: f"{r.per_day:.1f}", key=lambda r: r.per_day, right=True),
            Column(N_("Per hour"), lambda r: f"{r.per_hour:.1f}", key=lambda r: r.per_hour, right=True),
            Column(N_("Override rate"), lambda r: _pct(r.override_rate), key=lambda r: r.override_rate, right=True),
            Column(N_("Dispute rate"), lambda r: _pct(r.dispute_rate), key=lambda r: r.dispute_rate, right=True),
        ])
        self.grades = QueueTable("grades", [
            Column(N_("Category"), lambda g: _(CATEGORIES.get(g.category, g.category))),
            Column(N_("Grade"), lambda g: grade_title(g.grade)),
            Column(N_("Units"), lambda g: str(g.units), key=lambda g: g.units, right=True),
            Column(N_("Median days in stock"), lambda g: f"{g.median_age_days:.0f}", key=lambda g: g.median_age_days,
                   right=True),
            Column(N_("Dispute rate"), lambda g: _pct(g.dispute_rate), key=lambda g: g.dispute_rate, right=True),
            Column(N_("Sold"), lambda g: str(g.sold), key=lambda g: g.sold, right=True),
            Column(N_("Median days to listing"),
                   lambda g: "" if g.median_days_to_listing is None else f"{g.median_days_to_listing:.0f}",
                   key=lambda g: -1.0 if g.median_days_to_listing is None else g.median_days_to_listing, right=True),
        ])
        self.sales = SalesView(grade_title)
        header = QHBoxLayout()
        header.addWidget(self.summary, 1)
        header.addWidget(self.export_button)
        tables = QHBoxLayout()
        tables.addWidget(self.operators, 1)
        tables.addWidget(self.grades, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addLayout(header)
        layout.addWidget(self.chart)
        layout.addLayout(tables, 1)
        layout.addWidget(self.sales)

    def show_figures(self, figures: Figures) -> None:
        self.figures = figures
        self.summary.setText(_("Over the {units} units on hand, the {sold} units sold on Back Market in 12 months "
                               "and the {disputes} units of the care folders and returns.").format(
            units=figures.units, sold=figures.sold, disputes=figures.disputes))
        self.chart.set_bars([(r.technician, r.graded) for r in figures.operators])
        self.operators.set_rows(figures.operators, lambda r: r.technician)
        self.grades.set_rows(figures.grades, lambda g: f"{g.category}/{g.grade}")

    def export(self) -> None:
        if self.figures is None:
            return
        path = self.file_chooser(self, "review-figures.csv")
        if not path:
            return
        text = to_csv(self.figures)
        run_in_background(self, lambda: Path(path).write_text(text, encoding="utf-8"),
                          success=lambda _n: self.summary.setText(_("Figures exported to {path}.").format(path=path)))
