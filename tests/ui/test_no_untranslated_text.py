"""Every word a person reads on the station's screens went through the translation catalogue.

The station runs under a pseudo-language that wraps every translated string in ⟪…⟫; after visiting each
workspace, each Settings page and a unit on the bench, any word left outside the brackets that is not data (a
serial, a model name from Odoo, a location, a figure) is a string the translators never saw.
"""

from __future__ import annotations

import argparse
import gettext
import re
import tomllib

import pytest

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QWidget,
)

from grading_station import app, cli, i18n
from grading_station.paths import RESOURCES, paths_under
from grading_station.station import Station

DEMO_UNIT = "353918111045122"
OPEN, CLOSE = "⟪", "⟫"
# Widgets that show data, not the program's words: Odoo's chatter (in the language Odoo wrote it), carrier names.
DATA_WIDGETS = {"unitHistory", "shipperBox"}


class PseudoTranslations(gettext.NullTranslations):
    """Marks every string that went through the catalogue; placeholders stay usable."""

    def gettext(self, message: str) -> str:
        return f"{OPEN}{message}{CLOSE}" if message else message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)

    def pgettext(self, context: str, message: str) -> str:
        return self.gettext(message)


def _data_words() -> set[str]:
    """Words that come from data, not from the program: the demo catalogue, Odoo's own names, brands."""
    words = {*i18n.LANGUAGES.values(), "Odoo", "Back", "Market", "WH", "Stock", "Hold", "Repair", "Administrator",
             "admin", "demo", "bench",
             "DemoRefurb", "GradingStation", "ops", "example", "http", "https", "localhost", "Bench"}
    catalogue = tomllib.loads((RESOURCES / "demo" / "catalogue.toml").read_text(encoding="utf-8"))
    for value in _strings(catalogue):
        words.update(re.findall(r"[A-Za-z]+", value))
    return words


def _strings(node) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for v in node.values() for s in _strings(v)]
    if isinstance(node, list):
        return [s for v in node for s in _strings(v)]
    return []


def _outside_brackets(text: str) -> str:
    previous = None
    while previous != text:  # innermost first: a translated string may hold a translated parameter
        previous, text = text, re.sub(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}", " ", text)
    return text


def _texts(widget: QWidget) -> list[tuple[str, str]]:
    """(where, text) for what a person reads on this widget."""
    name = f"{type(widget).__name__}#{widget.objectName()}"
    found: list[tuple[str, str]] = []
    if isinstance(widget, QLabel):
        found.append((name, re.sub(r"<[^>]+>", " ", widget.text())))
    elif isinstance(widget, QAbstractButton):
        found.append((name, widget.text()))
    elif isinstance(widget, QLineEdit):
        found.append((name, widget.placeholderText()))
    elif isinstance(widget, QGroupBox):
        found.append((name, widget.title()))
    elif isinstance(widget, QComboBox):
        found.extend((name, widget.itemText(i)) for i in range(widget.count()))
    elif isinstance(widget, QListWidget):
        found.extend((name, widget.item(i).text()) for i in range(widget.count()))
    if isinstance(widget, QAbstractItemView) and widget.model() is not None and not isinstance(widget,
                                                                                                 QListWidget):
        model = widget.model()
        found.extend((name + " header", str(model.headerData(c, Qt.Orientation.Horizontal) or ""))
                     for c in range(model.columnCount(QModelIndex())))
    if widget.toolTip():
        found.append((name + " tooltip", widget.toolTip()))
    return found


def _untranslated(window: QWidget, data: set[str]) -> set[str]:
    problems = set()
    for widget in [window, *window.findChildren(QWidget)]:
        if not widget.isVisibleTo(window) or isinstance(widget, QPlainTextEdit):  # the log tail is for support
            continue
        if widget.objectName() in DATA_WIDGETS:
            continue
        for where, text in _texts(widget):
            if re.match(r"^(/|[A-Za-z]:\\)\S*$", text):  # a file path is data
                continue
            for word in re.findall(r"[A-Za-z][A-Za-z']+", _outside_brackets(text)):
                if word not in data and not re.fullmatch(r"[A-Z0-9]{4,}|F\d+", word):
                    problems.add(f"{where}: {text!r}")
    return problems


@pytest.fixture
def pseudo_station(qtbot, tmp_path):
    i18n.use_translations(PseudoTranslations())
    args: argparse.Namespace = cli.build_parser().parse_args(["--demo", "--temp-basedir", "--no-err-windows"])
    station = Station(app.build_core(args, paths_under(tmp_path / "base").ensure()), args)
    qtbot.add_widget(station.window)
    station.start()
    try:
        qtbot.waitUntil(lambda: "Odoo" in station.window.connection_label.text() and station.camera is not None,
                        timeout=15000)
        yield station
    finally:
        station.stop()
        i18n.install("en")


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_every_screen_reads_only_catalogue_strings(pseudo_station, qtbot):
    station, window, data = pseudo_station, pseudo_station.window, _data_words()
    window.resize(1366, 768)
    problems: set[str] = set()
    bench = station.bench
    station.router.submit(DEMO_UNIT, "scanner")
    qtbot.waitUntil(lambda: DEMO_UNIT in bench.card.serial.text(), timeout=10000)
    problems |= _untranslated(window, data)  # the look-up page
    station.router.submit("356938035643809", "scanner")  # not in stock: the new-intake picker
    qtbot.waitUntil(lambda: bench.pages.currentWidget() is bench.picker, timeout=10000)
    problems |= _untranslated(window, data)
    qtbot.keyClick(bench.picker.query, Qt.Key.Key_Escape)
    station.router.submit(DEMO_UNIT, "scanner")
    qtbot.waitUntil(lambda: bench.pages.currentWidget() is bench.lookup, timeout=10000)
    qtbot.keyClick(bench.lookup, Qt.Key.Key_Return)  # start grading: the checklist
    qtbot.waitUntil(lambda: bench.pages.currentWidget() is bench.checklist, timeout=10000)
    for _step in range(len(bench.checklist.session.steps)):  # every kind of step
        problems |= _untranslated(window, data)
        bench.checklist.move(1)
    bench.show_page(bench.grade)
    problems |= _untranslated(window, data)
    for key in window.workspace_keys():
        window.show_workspace(key)
        qtbot.wait_until(lambda key=key: window.current_workspace() == key)
        problems |= _untranslated(window, data)
    for row in range(station.settings.page_list.count()):
        window.show_workspace("settings")
        station.settings.page_list.setCurrentRow(row)
        problems |= _untranslated(window, data)
    assert not problems, "untranslated on screen:\n" + "\n".join(sorted(problems))
