"""The station shell: scans go to the workspace shown, settings apply live, start-up problems and first run are
explained, Ctrl+Q quits, the log file is written without secrets."""

from __future__ import annotations

import os
import stat

import keyring
import keyring.backends.fail
import pytest

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QPushButton

from grading_station import app, cli, i18n, log
from grading_station.config import Config
from grading_station.paths import paths_under
from grading_station.secrets import MemoryKeyring, SecretStore
from grading_station.station import Station

DEMO_UNIT = "353918111045122"  # a demo unit in WH/Stock


def _start(qtbot, core, args) -> Station:
    built = Station(core, args)
    qtbot.add_widget(built.window)
    built.start()
    return built


@pytest.fixture
def connected(demo_station, qtbot):
    qtbot.waitUntil(lambda: "Odoo 18" in demo_station.window.connection_label.text(), timeout=15000)
    return demo_station


def _shown(station: Station) -> str:
    current = station.window.message_bar.current
    return current.text if current is not None and station.window.message_bar.isVisible() else ""


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_a_scan_on_the_listing_reaches_the_listing_and_not_the_bench(connected, qtbot):
    station = connected
    qtbot.waitUntil(lambda: station.listing is not None, timeout=10000)
    station.window.show_workspace("listing")
    qtbot.waitUntil(lambda: any(u.serial == DEMO_UNIT for u in station.listing.units), timeout=10000)
    station.router.submit(DEMO_UNIT, "scanner")
    assert station.listing.selected_serials() == [DEMO_UNIT]  # the listing selected its row
    station.router.submit("356938035643809", "scanner")  # a valid IMEI that is not in stock
    qtbot.waitUntil(lambda: "356938035643809" in _shown(station), timeout=3000)
    assert "not in the Listing" in _shown(station)
    assert DEMO_UNIT not in station.bench.card.serial.text()  # the bench behind never saw either

    station.window.show_workspace("bench")
    station.router.submit(DEMO_UNIT, "scanner")
    qtbot.waitUntil(lambda: DEMO_UNIT in station.bench.card.serial.text(), timeout=10000)


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_station_and_scanner_settings_apply_without_a_restart(connected, qtbot):
    station, config = connected, connected.core.config
    config.set("station.name", "Bench 7")
    config.set("station.technician", "Aïcha")
    config.set("scanner.suffix", "\t")
    config.set("scanner.max_key_interval_ms", 45)
    config.set("outbox.retry_initial_s", 2.5)
    qtbot.waitUntil(lambda: "Bench 7" in station.window.windowTitle(), timeout=3000)
    assert station.core.grading.identity.station == "Bench 7"
    assert station.core.grading.identity.technician == "Aïcha"
    assert station.scan_buffer.suffix == "\t" and station.core.grading.scan_suffix == "\t"
    assert station.scan_buffer.max_interval_ms == 45
    assert station.core.deliverer.backoff.initial == 2.5

    config.set("station.language", "fr")  # read at start-up only: the user is told
    qtbot.waitUntil(lambda: "next time" in _shown(station), timeout=3000)


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_ctrl_q_closes_the_station_window(connected, qtbot):
    window = connected.window
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    with qtbot.wait_signal(window.window_will_close, timeout=3000):
        QTest.keyClick(window.windowHandle(), Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert not window.isVisible()


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_first_run_opens_the_set_up_steps_instead_of_an_address_error(qtbot, tmp_path, expected_logs):
    args = cli.build_parser().parse_args(["--no-err-windows"])
    paths = paths_under(tmp_path / "base").ensure()
    station = _start(qtbot, app.build_core(args, paths), args)
    try:
        assert station.window.current_workspace() == "settings"
        assert station.settings.setup_banner.isVisible()
        assert "Set up this station" in station.settings.setup_banner.title.text()
        assert "is not an Odoo address" not in _shown(station)
    finally:
        station.stop()


@pytest.fixture
def no_keyring():
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    yield
    keyring.set_keyring(previous)


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_without_a_keyring_the_station_starts_and_says_what_is_missing(qtbot, tmp_path, no_keyring, expected_logs):
    expected_logs.require("grading_station.app", "no keyring")
    args = cli.build_parser().parse_args(["--no-err-windows"])
    paths = paths_under(tmp_path / "base").ensure()
    paths.config_file.write_text('[odoo]\nurl = "http://127.0.0.1:9"\ndatabase = "x"\nlogin = "bob"\n',
                                 encoding="utf-8")
    station = _start(qtbot, app.build_core(args, paths), args)
    try:
        qtbot.waitUntil(lambda: "No system keyring" in _shown(station), timeout=5000)
        assert station.window.current_workspace() == "settings"
        assert "GNOME Keyring" in _shown(station)
        odoo = station.settings.page("Odoo")
        qtbot.waitUntil(lambda: "No system keyring" in odoo.result.text(), timeout=3000)
        odoo.secret.setText("s3cret")
        station.settings.save_button.click()  # saving the secret fails with the same words; nothing else breaks
        qtbot.waitUntil(lambda: "No system keyring" in station.settings.status.text(), timeout=3000)
        assert 's3cret' not in paths.config_file.read_text(encoding="utf-8")
    finally:
        station.stop()


def test_an_unreadable_settings_file_is_kept_aside_and_the_station_starts_on_defaults(tmp_path, expected_logs):
    expected_logs.require("grading_station.app", "settings file unreadable")
    paths = paths_under(tmp_path / "base").ensure()
    paths.config_file.write_text("[odoo\nurl = ", encoding="utf-8")
    config = app.load_config(cli.build_parser().parse_args([]), paths)
    kept = [p for p in paths.config_dir.iterdir() if ".damaged-" in p.name]
    assert len(kept) == 1 and kept[0].read_text(encoding="utf-8") == "[odoo\nurl = "
    assert config.get("odoo.url") == "" and "could not be read" in config.problems[0]
    assert str(kept[0]) in config.problems[0]


def test_the_log_file_is_private_rotated_and_masks_secrets(tmp_path):
    import logging

    secrets = SecretStore(MemoryKeyring())
    log.add_log_file(tmp_path / "log", json_lines=True, max_bytes=400, backups=2)
    try:
        secrets.set(app.Secret.ODOO_PASSWORD, "hunter2-very-secret")
        for n in range(30):
            logging.getLogger("grading_station.odoo").info("signing in with hunter2-very-secret (%d)", n)
    finally:
        log.remove_log_file()
    files = sorted((tmp_path / "log").iterdir())
    assert [f.name for f in files] == ["grading-station.log", "grading-station.log.1", "grading-station.log.2"]
    text = "".join(f.read_text(encoding="utf-8") for f in files)
    assert "hunter2" not in text and "••••••" in text and '"name": "grading_station.odoo"' in text
    assert stat.S_IMODE(os.stat(files[0]).st_mode) == 0o600


def test_config_peek_reads_the_language_before_the_station_is_built(tmp_path):
    path = tmp_path / "settings.toml"
    assert Config.peek(path, "station.language") == ""  # no file: follow the system
    path.write_text('[station]\nlanguage = "de"\n', encoding="utf-8")
    assert Config.peek(path, "station.language") == "de"
    path.write_text('[station]\nlanguage = "klingon"\n', encoding="utf-8")
    assert Config.peek(path, "station.language") == ""
    path.write_text("[station\n", encoding="utf-8")
    assert Config.peek(path, "station.language") == ""


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_the_camera_loads_after_the_window_and_brings_its_settings_page(connected, qtbot):
    station = connected
    qtbot.waitUntil(lambda: station.camera is not None, timeout=10000)
    titles = [page.title for page in station.settings.pages]
    assert "Camera" in titles and titles[0] == "Odoo"
    assert station.camera.parentWidget() is not None  # placed under the unit card
    assert station.settings.page_list.count() == len(titles)


@pytest.mark.qt_log_ignore("propagateSizeHints")
@pytest.mark.parametrize("damage", ["random bytes", "locked by another station"])
def test_a_damaged_or_locked_database_gets_the_startup_problem_window_not_the_crash_dialog(
        qtbot, tmp_path, damage, expected_logs):
    import sqlite3

    expected_logs.require("grading_station.app", "cannot start")
    expected_logs.expect("grading_station", "damaged database set aside|database")
    args = cli.build_parser().parse_args(["--no-err-windows"])
    paths = paths_under(tmp_path / "base").ensure()
    holder = None
    if damage == "random bytes":
        paths.database.write_bytes(os.urandom(8192))
    else:
        holder = sqlite3.connect(paths.database)
        holder.execute("CREATE TABLE t (x)")
        holder.execute("BEGIN EXCLUSIVE")
    launcher = app.Launcher(args, paths)
    launcher.launch()
    try:
        window = launcher.problem_window
        assert launcher.station is None and window is not None
        qtbot.add_widget(window)
        text = window.message.text()
        assert ("damaged" in text) if damage == "random bytes" else ("open twice" in text)
        assert window.set_aside_button.isVisibleTo(window) == (damage == "random bytes")
        if damage == "random bytes":
            window.set_aside_button.click()  # kept beside, then a fresh start
            qtbot.waitUntil(lambda: launcher.station is not None, timeout=10000)
            assert any(".damaged-" in p.name for p in paths.data_dir.iterdir())
        else:
            holder.rollback()
            holder.close()
            holder = None
            window.retry_button.click()
            qtbot.waitUntil(lambda: launcher.station is not None, timeout=10000)
        qtbot.add_widget(launcher.station.window)
    finally:
        if holder is not None:
            holder.close()
        launcher.stop()


def test_the_log_file_keeps_tracebacks_apart_in_json_lines(tmp_path, expected_logs):
    import json
    import logging

    expected_logs.require("grading_station.app", "it failed for unit 7")
    log.add_log_file(tmp_path / "log", json_lines=True)
    try:
        try:
            raise ValueError("boom")
        except ValueError:
            logging.getLogger("grading_station.app").exception("it failed for %s", "unit 7")
    finally:
        log.remove_log_file()  # the writer thread has written everything when this returns
    (entry,) = [json.loads(line) for line in (tmp_path / "log" / "grading-station.log").read_text().splitlines()]
    assert entry["message"] == "it failed for unit 7" and "ValueError: boom" in entry["traceback"]


@pytest.mark.qt_log_ignore("propagateSizeHints")
@pytest.mark.parametrize("language", sorted(i18n.LANGUAGES))
def test_every_language_fits_a_1366_wide_screen_and_the_side_bar(qtbot, tmp_path, language):
    """A long translation must not widen the window past a 1366×768 screen, nor be cut on its side-bar button."""
    i18n.install(language)
    args = cli.build_parser().parse_args(["--demo", "--temp-basedir", "--no-err-windows"])
    station = _start(qtbot, app.build_core(args, paths_under(tmp_path / "base").ensure()), args)
    try:
        qtbot.waitUntil(lambda: station.camera is not None and station.listing is not None, timeout=15000)
        assert station.window.minimumSizeHint().width() <= 1366
        for key in station.window.workspace_keys():
            button = station.window.findChild(QPushButton, f"workspace-{key}")
            widest = max(button.fontMetrics().horizontalAdvance(line) for line in button.text().splitlines())
            assert widest <= button.width() - 8, f"{language}: {button.text()!r} is cut on the side bar"
    finally:
        station.stop()
        i18n.install("en")
