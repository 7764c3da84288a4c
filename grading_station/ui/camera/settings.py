"""Camera settings declared once, read into CameraSettings; the Settings → Camera page with a test view."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from grading_station.domain.identifiers import DEFAULT_SERIAL_PATTERNS, compile_serial_patterns

from grading_station.hardware.camera import CameraSettings, OpenCVCamera

from grading_station.ui.camera.controller import CameraController
from grading_station.ui.camera.preview import PreviewView
from grading_station.ui.settings.fields import DeclaredSettingsPage, make_editor
from grading_station.ui.settings.pages import BlockingWork, SettingsContext, register_page

from grading_station.config import Config, declare
from grading_station.errors import InputError
from grading_station.i18n import N_, _

declare("camera.device", str, "0", N_("Camera"),
        N_("Camera index (0 = first camera), a device path such as /dev/video2, or empty for no camera"))
declare("camera.width", int, 1920, N_("Width (px)"), N_("Capture width; photos are taken at this size"),
        minimum=160, maximum=7680)
declare("camera.height", int, 1080, N_("Height (px)"), N_("Capture height"), minimum=120, maximum=4320)
declare("camera.fps", int, 30, N_("Frames per second"), N_("Capture rate asked of the camera"),
        minimum=1, maximum=120)
declare("camera.rotation", str, "0", N_("Rotation"),
        N_("Turn the picture clockwise so labels and photos are upright"), choices=("0", "90", "180", "270"))
declare("camera.prefer", str, "imei", N_("Scan first"),
        N_("When a label shows several codes (IMEI 1, IMEI 2, serial, EAN), which one the camera scans"),
        choices=("imei", "serial"))
declare("camera.confirm_frames", int, 2, N_("Confirm over frames"),
        N_("A value is scanned only after it was read identically in this many frames"), minimum=1, maximum=10)
declare("camera.repeat_s", float, 3.0, N_("Ignore repeats for (s)"),
        N_("The same value is not scanned again while in view and for this long after"),
        minimum=0.0, maximum=60.0)
declare("camera.min_brightness", float, 45.0, N_("Darkest photo"),
        N_("Photos darker than this mean grey level (0-255) get a warning"), minimum=0.0, maximum=255.0)
declare("camera.min_sharpness", float, 40.0, N_("Least sharp photo"),
        N_("Photos with a lower sharpness (variance of the Laplacian) get a blur warning"), minimum=0.0,
        maximum=10000.0)



class _TestView(QObject):
    """Signals:
    test_did_toggle(bool): Settings → Camera started (True) or stopped (False) its test of the camera; the
        camera panel releases the camera meanwhile.
    """

    test_did_toggle = Signal(bool)


TEST_VIEW = _TestView()

CAMERA_KEYS = ("camera.device", "camera.width", "camera.height", "camera.fps", "camera.rotation")


def camera_settings(config: Config) -> CameraSettings:
    get = config.get
    return CameraSettings(get("camera.device"), get("camera.width"), get("camera.height"), get("camera.fps"),
                          int(get("camera.rotation")))


def serial_patterns(config: Config):
    try:
        return compile_serial_patterns(config.get("scanner.serial_patterns")) + DEFAULT_SERIAL_PATTERNS
    except InputError:
        return DEFAULT_SERIAL_PATTERNS


@register_page
class CameraPage(DeclaredSettingsPage):
    """Settings → Camera: device, resolution, decode preference, debounce, photo checks; "Test camera" runs
    the edited (not yet saved) settings and shows the picture and what it reads."""

    order = 35

    def __init__(self, context: SettingsContext) -> None:
        keys = ["camera.device", "camera.width", "camera.height", "camera.fps", "camera.rotation",
                "camera.prefer", "camera.confirm_frames", "camera.repeat_s", "photos.jpeg_quality",
                "camera.min_brightness", "camera.min_sharpness"]
        titles = {"imei": "IMEI", "serial": "Serial number",
                  "0": "0°", "90": "90°", "180": "180°", "270": "270°"}
        super().__init__(context, N_("Camera"), [make_editor(k, choice_titles=titles) for k in keys])
        self.test_button = QPushButton(_("Test camera"))
        self.test_button.setObjectName("cameraTest")
        self.test_button.setCheckable(True)
        self.test_button.toggled.connect(self._toggle_test)
        self.preview = PreviewView()
        self.preview.setMinimumSize(480, 270)
        self.preview.hide()
        self.reads = QLabel("")
        self.reads.setObjectName("cameraTestReads")
        self.reads.setWordWrap(True)
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(self.test_button)
        row.addWidget(self.reads, 1)
        column.addLayout(row)
        column.addWidget(self.preview)
        self.add_row("", box)
        self.controller: CameraController | None = None

    def _edited(self, key: str):
        return self.editors[key].get()

    def _toggle_test(self, on: bool) -> None:
        if not on:
            self.stop_test()
            return
        settings = CameraSettings(self._edited("camera.device"), self._edited("camera.width"),
                                  self._edited("camera.height"), self._edited("camera.fps"),
                                  int(self._edited("camera.rotation")))
        self.controller = CameraController(prefer=self._edited("camera.prefer"), rotation=settings.rotation,
                                           confirm_frames=self._edited("camera.confirm_frames"), parent=self)
        self.controller.preview_did_update.connect(self.preview.show_image)
        self.controller.frame_did_decode.connect(self._show_report)
        self.controller.state_did_change.connect(self._show_state)
        self.preview.show()
        TEST_VIEW.test_did_toggle.emit(True)
        self.controller.start(OpenCVCamera(settings))

    def _show_state(self, state) -> None:
        if state.status != "live":
            self.preview.show_message(state.message)
        self.reads.setText(state.message if state.status != "live" else state.message or "Live: show a code.")

    def _show_report(self, report) -> None:
        self.preview.show_report(report)
        if report.readings:
            found = ", ".join(f"{r.label} {r.value}" for r in report.readings)
            picked = _(" → scans {value}").format(value=report.picked.value) if report.picked else ""
            self.reads.setText(_("Reads: {found}{picked} ({ms} ms)").format(found=found, picked=picked,
                                                                         ms=f"{report.decode_ms:.0f}"))

    def stop_test(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None
            TEST_VIEW.test_did_toggle.emit(False)
        self.preview.hide()
        if self.test_button.isChecked():
            self.test_button.setChecked(False)

    def hideEvent(self, event) -> None:  # noqa: N802 (Qt override): never leave the camera running unseen
        self.stop_test()
        super().hideEvent(event)

    def save(self) -> BlockingWork | None:
        self.stop_test()
        return super().save()
