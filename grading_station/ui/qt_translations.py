"""Qt's own strings (standard buttons, context menus, file dialogs) in the station's language."""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

_installed: list[QTranslator] = []  # kept alive: Qt does not own installed translators


def install_qt_translations(app: QApplication, language: str) -> bool:
    """Load qtbase_<language>.qm shipped with PySide6; English needs none. True when one was loaded."""
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    QLocale.setDefault(QLocale(language))
    if language == "en":
        return False
    translator = QTranslator(app)
    path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load(f"qtbase_{language}", path):
        return False
    app.installTranslator(translator)
    _installed.append(translator)
    return True
