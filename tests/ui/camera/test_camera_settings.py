"""Settings → Camera: the declared settings round-trip, the page sits in the Settings screen, and its test
view shows what the camera does (here: a device that cannot be opened)."""

from __future__ import annotations

import pytest

from grading_station.ui.camera.settings import CameraPage, camera_settings
from grading_station.ui.settings.pages import SettingsContext
from grading_station.ui.settings.screen import SettingsScreen

from grading_station.config import Config
from grading_station.secrets import LogMask, MemoryKeyring, SecretStore


@pytest.fixture
def context(paths):
    return SettingsContext(Config.load(paths.config_file), SecretStore(MemoryKeyring(), LogMask()))


def test_camera_page_saves_the_camera_settings(qtbot, context, paths):
    page = CameraPage(context)
    qtbot.add_widget(page)
    page.load()
    assert page.editors["camera.device"].get() == "0" and page.editors["camera.prefer"].get() == "imei"
    page.editors["camera.device"].set("/dev/video2")
    page.editors["camera.width"].set(1280)
    page.editors["camera.height"].set(720)
    page.editors["camera.rotation"].set("90")
    page.editors["camera.prefer"].set("serial")
    page.editors["camera.repeat_s"].set(5.0)
    assert page.save() is None
    context.config.save()
    settings = camera_settings(Config.load(paths.config_file))
    assert (settings.device, settings.width, settings.height) == ("/dev/video2", 1280, 720)
    assert settings.rotation == 90
    assert Config.load(paths.config_file).get("camera.prefer") == "serial"


def test_camera_page_is_in_the_settings_screen(qtbot, context):
    screen = SettingsScreen(context)
    qtbot.add_widget(screen)
    assert isinstance(screen.page("Camera"), CameraPage)


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_test_view_shows_what_the_camera_does(qtbot, context, expected_logs):
    expected_logs.expect("grading_station.hardware", "in use by another program")
    page = CameraPage(context)
    qtbot.add_widget(page)
    page.load()
    page.editors["camera.device"].set("/dev/null")  # exists, but is no camera: reported as busy
    page.show()
    page.test_button.click()
    qtbot.waitUntil(lambda: "in use by another program" in page.reads.text(), timeout=5000)
    assert page.preview.isVisible()
    page.test_button.click()
    assert page.controller is None and not page.preview.isVisible()


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_panel_lets_go_of_the_camera_while_settings_tests_it(qtbot, context, camera_config, virtual_camera,
                                                             expected_logs):
    from grading_station.ui.camera import CameraPanel
    from grading_station.ui.scan_router import ScanRouter

    expected_logs.expect("grading_station.hardware", "in use by another program")
    panel = CameraPanel(camera_config, ScanRouter(), lambda: virtual_camera, retry_s=0.05)
    qtbot.add_widget(panel)
    qtbot.waitUntil(lambda: panel.status.text() == "Camera live", timeout=5000)
    page = CameraPage(context)
    qtbot.add_widget(page)
    page.load()
    page.editors["camera.device"].set("/dev/null")
    page.test_button.click()
    assert panel.controller is None and "paused" in panel.status.text()
    page.stop_test()
    qtbot.waitUntil(lambda: panel.status.text() == "Camera live", timeout=5000)
    panel.stop()
