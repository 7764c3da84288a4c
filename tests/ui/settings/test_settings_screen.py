"""The Settings screen: pages load from and save to the config, secrets go to the keyring, errors named."""

from __future__ import annotations

import tomllib

import pytest

from grading_station.ui.settings.pages import SettingsContext
from grading_station.ui.settings.screen import SettingsScreen

from grading_station.config import Config
from grading_station.secrets import SERVICE, LogMask, MemoryKeyring, SecretStore


@pytest.fixture
def keyring_backend():
    return MemoryKeyring()


@pytest.fixture
def screen(qtbot, paths, keyring_backend):
    mask = LogMask()
    context = SettingsContext(Config.load(paths.config_file), SecretStore(keyring_backend, mask))
    widget = SettingsScreen(context)
    qtbot.add_widget(widget)
    widget.resize(1366, 768)

    odoo = widget.page("Odoo")
    qtbot.wait_until(lambda: odoo._secrets is not None)  # keyring read done
    yield widget
    mask.uninstall()


def save(qtbot, screen: SettingsScreen) -> None:
    screen.save_button.click()
    qtbot.wait_until(lambda: screen.status.text() not in ("", "Saving…"), timeout=3000)
    assert screen.status.text() == "Settings saved."


def test_pages_are_listed_odoo_first(screen):
    titles = [p.title for p in screen.pages]  # other packages' pages appear too once they are imported
    assert titles[0] == "Odoo" and titles.index("Station") < titles.index("Scanner")
    assert [screen.page_list.item(i).text() for i in range(screen.page_list.count())] == titles


def test_station_and_scanner_values_are_saved_to_the_file(qtbot, screen, paths):
    station = screen.page("Station")
    station.editors["station.name"].widget.setText("Bench 4")
    station.editors["station.technician"].widget.setText("Aïcha")
    scanner = screen.page("Scanner")
    assert scanner.editors["scanner.suffix"].widget.text() == r"\n"  # the default Enter, made visible
    scanner.editors["scanner.suffix"].widget.setText(r"\t")
    scanner.editors["scanner.max_key_interval_ms"].widget.setValue(45)
    scanner.editors["scanner.serial_patterns"].widget.setPlainText("^C02[A-Z0-9]{8}$\n\n  ^F17\\w{9}$ ")
    save(qtbot, screen)

    doc = tomllib.loads(paths.config_file.read_text(encoding="utf-8"))
    assert doc["station"] == {"name": "Bench 4", "technician": "Aïcha"}
    assert doc["scanner"] == {"suffix": "\t", "max_key_interval_ms": 45,
                              "serial_patterns": ["^C02[A-Z0-9]{8}$", "^F17\\w{9}$"]}
    assert screen.status.text() == "Settings saved."


def test_a_bad_serial_pattern_is_named_and_nothing_is_saved(qtbot, screen, paths):
    screen.page("Station").editors["station.name"].widget.setText("Bench 9")
    screen.page("Scanner").editors["scanner.serial_patterns"].widget.setPlainText("^C02[A-Z")
    screen.save_button.click()
    assert "The serial pattern “^C02[A-Z” is not a valid regular expression" in screen.status.text()
    assert screen.stack.currentIndex() == [p.title for p in screen.pages].index("Scanner")
    assert not paths.config_file.exists()


def test_revert_restores_the_saved_values(screen):
    field = screen.page("Station").editors["station.name"].widget
    field.setText("Typo bench")
    screen.revert_button.click()
    assert field.text() == "Bench 1"


def test_the_odoo_secret_goes_to_the_keyring_not_the_file(qtbot, screen, paths, keyring_backend):
    page = screen.page("Odoo")
    page.editors["odoo.url"].widget.setText("http://127.0.0.1:8069")
    page.editors["odoo.login"].widget.setText("station@example.com")
    page.secret.setText("pw-8812-secret")
    page.auth.setCurrentIndex(page.auth.findData("api_key"))
    assert page.form.labelForField(page.secret).text() == "API key"
    assert page.secret.text() == ""  # a separate secret per mode
    page.secret.setText("key-77aa-secret")
    save(qtbot, screen)

    assert keyring_backend.get_password(SERVICE, "odoo.password") == "pw-8812-secret"
    assert keyring_backend.get_password(SERVICE, "odoo.api_key") == "key-77aa-secret"
    text = paths.config_file.read_text(encoding="utf-8")
    assert "secret" not in text and 'auth = "api_key"' in text

    page.auth.setCurrentIndex(page.auth.findData("password"))
    assert page.secret.text() == "pw-8812-secret"


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_keyboard_only_page_switch_tab_order_and_save(qtbot, screen, paths):
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    screen.show()
    screen.activateWindow()
    qtbot.wait_active(screen)
    screen.page_list.setFocus()
    qtbot.keyClick(screen.page_list, Qt.Key.Key_Down)
    assert screen.stack.currentIndex() == 1  # the arrow keys walk the page list

    screen.show_page("Station")
    station = screen.page("Station")
    name, technician = station.editors["station.name"].widget, station.editors["station.technician"].widget
    following = name.nextInFocusChain()  # Tab goes from field to field in reading order
    while not (following.focusPolicy() & Qt.FocusPolicy.TabFocus) or not following.isVisible():
        following = following.nextInFocusChain()
    assert following is technician

    name.selectAll()
    qtbot.keyClicks(name, "Bench 12")
    screen.activateWindow()
    qtbot.wait_active(screen)
    with qtbot.wait_signal(screen.settings_did_save, timeout=3000):
        # at window level, as a real key press, so it passes through Qt's shortcut map
        QTest.keyClick(screen.windowHandle(), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert 'name = "Bench 12"' in paths.config_file.read_text(encoding="utf-8")
