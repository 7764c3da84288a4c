"""The camera panel docked beside the bench: live preview, what the camera reads, photos for the bench."""

from __future__ import annotations

import concurrent.futures
import time
from collections.abc import Callable
from typing import Any

import shiboken6

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QKeySequence, QShortcut
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QLayout, QListWidget, QVBoxLayout, QWidget

from grading_station.hardware.camera import FrameSource, OpenCVCamera
from grading_station.hardware.capture import CameraState
from grading_station.hardware.code_reading import Reading
from grading_station.hardware.decode_loop import FrameReport
from grading_station.hardware.photo import Still, take_still

from grading_station.ui.camera.controller import CameraController
from grading_station.ui.camera.photo_bar import PhotoBar, thumbnail
from grading_station.ui.camera.preview import PreviewView
from grading_station.ui.camera.settings import CAMERA_KEYS, TEST_VIEW, camera_settings, serial_patterns
from grading_station.ui.kit.background import call_in_gui, run_in_background
from grading_station.ui.scan_router import ScanRouter

from grading_station.config import Config
from grading_station.i18n import _

SENT_GRACE_S = 3.0  # how long a photo sent to the bench may take to be stored before F8 may retake its slot
_STATE_COLOURS = {"live": "#2e7d32", "fault": "#c62828", "starting": "#1565c0", "stopped": "#546e7a"}


class CameraPanel(QWidget):
    """Shows the camera, sends confirmed codes to the scan router as source "camera" (the same entry point
    and validation as the handheld scanner), and fills the bench's photo slots.

    `source_factory()` builds the frame source (default: the configured OpenCV camera; --demo passes a
    VirtualCamera); it is called again when the camera settings change. Signals:
        scan_did_send(value, kind): a confirmed value went to the scan router.
        photo_did_capture(slot, jpeg, filename): a photo for `slot` was taken and accepted: store it in
            the open grading (BenchView.fill_photo_slot).
    """

    scan_did_send = Signal(str, str)
    photo_did_capture = Signal(str, bytes, str)

    def __init__(self, config: Config, router: ScanRouter,
                 source_factory: Callable[[], FrameSource | None] | None = None, *,
                 photo_executor: concurrent.futures.Executor | None = None, retry_s: float = 1.0,
                 autostart: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cameraPanel")
        self.config, self.router = config, router
        self._factory = source_factory or self._configured_source
        self._photo_executor = photo_executor or concurrent.futures.ThreadPoolExecutor(1, "camera-photo")
        self._retry_s = retry_s
        self.awaiting_slot = ""
        # F8 pressed again before the bench has moved on to the next slot would take the same slot again and
        # silently replace the photo just taken (issue 11: "one press in five gave nothing"). A photo being
        # made (`_busy_slot`) or sent and not yet stored (`_sent_slot`) makes F8 say so instead.
        self._busy_slot = ""
        self._sent_slot = ""
        self._sent_at = 0.0
        self._press_refused = False
        self.controller: CameraController | None = None
        self._reads_shown: tuple = ()

        self.preview = PreviewView()
        self.status = QLabel(_("Camera off"))
        self.status.setObjectName("cameraStatus")
        self.status.setWordWrap(True)
        self.scanning = QCheckBox(_("Scan codes"))
        self.scanning.setChecked(True)
        self.scanning.toggled.connect(self._toggle_scanning)
        self.scanning.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.reads = QListWidget()
        self.reads.setObjectName("cameraReads")
        self.reads.setMaximumHeight(52)
        self.reads.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.reads.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.last_scan = QLabel("")
        self.last_scan.setObjectName("cameraLastScan")
        self.photos = PhotoBar()
        self.photos.take_did_request.connect(lambda: self.take_photo())
        self.photos.retake_did_request.connect(lambda: self.take_photo(self.photos.last_slot))
        self.photos.accept_did_request.connect(self._accept_still)
        QShortcut(QKeySequence("F8"), self, activated=self.take_photo,
                  context=Qt.ShortcutContext.WindowShortcut)

        top = QHBoxLayout()
        top.addWidget(self.status, 1)
        top.addWidget(self.scanning)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        # Changing texts must not push new minimum sizes onto the window the panel is docked in.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        layout.addLayout(top)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.last_scan)
        layout.addWidget(self.reads)
        layout.addWidget(self.photos)
        config.on_change(self._config_changed)
        TEST_VIEW.test_did_toggle.connect(self._test_view_toggled)
        if autostart:
            self.start()

    def set_compact(self, compact: bool) -> None:
        """Beside the bench on a small screen: the confirmed value already shows in the bench's scan bar, and
        what is in view on the preview's overlay, so those lines go; the photo strip gets a smaller thumbnail
        (the bench's tile shows the photo large). Keeps Take/Retake inside the panel after a photo."""
        self.last_scan.setVisible(not compact)
        self.reads.setVisible(not compact)
        self.photos.set_compact(compact)

    # -- camera lifecycle ------------------------------------------------------------------------------------
    def _configured_source(self) -> FrameSource | None:
        settings = camera_settings(self.config)
        return OpenCVCamera(settings) if settings.device.strip() else None

    def start(self) -> None:
        """(Re)start the camera from the current settings."""
        self.stop()
        source = self._factory()
        if source is None:
            self._show_state(CameraState("stopped", "No camera set up (Settings → Camera)."))
            return
        c = self.config
        self.controller = CameraController(
            prefer=c.get("camera.prefer"), confirm_frames=c.get("camera.confirm_frames"),
            repeat_s=c.get("camera.repeat_s"), rotation=int(c.get("camera.rotation")),
            retry_s=self._retry_s, patterns=serial_patterns(c), parent=self)
        self.controller.preview_did_update.connect(self.preview.show_image)
        self.controller.frame_did_decode.connect(self._show_report)
        self.controller.value_did_confirm.connect(self._send_scan)
        self.controller.state_did_change.connect(self._show_state)
        self.controller.start(source)
        self.controller.set_scanning(self.scanning.isChecked())

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller.deleteLater()
            self.controller = None

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self.stop()
        super().closeEvent(event)

    def _config_changed(self, key: str, _value: object) -> None:
        # Any thread may change the config; a panel already deleted (the config outlives it) ignores it.
        call_in_gui(lambda: self._setting_changed(key) if shiboken6.isValid(self) else None)

    def _setting_changed(self, key: str) -> None:
        if self.controller is None and key not in CAMERA_KEYS:
            return
        if key in CAMERA_KEYS + ("camera.confirm_frames", "camera.repeat_s", "scanner.serial_patterns"):
            self.start()
        elif key == "camera.prefer" and self.controller is not None:
            self.controller.set_prefer(self.config.get("camera.prefer"))

    def _test_view_toggled(self, testing: bool) -> None:
        # One program cannot hold the camera twice: the panel lets go while Settings → Camera tests it.
        if testing:
            self.stop()
            self._show_state(CameraState("stopped", "Camera paused while Settings → Camera tests it."))
        else:
            self.start()

    def _toggle_scanning(self, on: bool) -> None:
        if self.controller is not None:
            self.controller.set_scanning(on)

    def _show_state(self, state: CameraState) -> None:
        texts = {"live": _("Camera live"), "starting": _("Starting camera…"), "stopped": _("Camera off")}
        text = state.message if state.status == "fault" else texts.get(state.status, state.status)
        if state.status == "stopped" and state.message:
            text = state.message
        if state.status == "live" and state.message:
            text = _("Camera live. {note}").format(note=state.message)
        self.status.setText(text)
        self.status.setStyleSheet(f"color: {_STATE_COLOURS.get(state.status, '#263238')}; font-weight: 600;")
        self.status.setProperty("state", state.status)
        if state.status != "live":
            self.preview.show_message(state.message or text)
            self.preview.show_report(None)
            self.reads.clear()  # nothing is in view of a camera that is gone
            self._reads_shown = ()

    # -- scanning --------------------------------------------------------------------------------------------
    def _show_report(self, report: FrameReport) -> None:
        self.preview.show_report(report)
        if not report.readings:
            return
        shown = tuple((r, r == report.picked) for r in report.readings)
        if shown == self._reads_shown:  # the same label in view: leave the list alone (no relayout per frame)
            return
        self._reads_shown = shown
        self.reads.clear()
        for reading, picked in shown:
            mark = "▶ " if picked else "   "
            self.reads.addItem(f"{mark}{reading.label}: {reading.value}  ({reading.format})")

    def _send_scan(self, reading: Reading) -> None:
        self.last_scan.setText(_("Scanned {label} {value}").format(label=_(reading.label), value=reading.value))
        self.router.submit(reading.value, "camera")
        self.scan_did_send.emit(reading.value, reading.kind)

    # -- photos ----------------------------------------------------------------------------------------------
    def set_awaiting_slot(self, slot: str, title: str = "") -> None:
        """The bench's slot waiting for a photo ("" when none): connect awaiting_photo_slot_did_change."""
        self.awaiting_slot = slot
        if slot != self._sent_slot:
            self._sent_slot = ""  # the bench stored it and moved on
        self.photos.show_awaiting(slot, title)
        if self._press_refused and slot and not self._sent_slot and not self._busy_slot:
            self._press_refused = False  # the press that was turned away gets its answer: now it works
            self.photos.show_problem(
                _("Saved. Ready for the next photo ({title}): press F8.").format(title=self.photos.title_of(slot))
            )

    def take_photo(self, slot: str | None = None) -> None:
        """Take a full-resolution photo for `slot` (default: the awaiting one); checked off the GUI thread.
        Every call ends in a photo or a message saying why not."""
        retake = slot is not None
        slot = slot or self.awaiting_slot
        if not slot:
            self.photos.show_problem(_("No photo is waiting: open the photo step of the checklist first."))
            return
        # A bench that refused the photo keeps the same slot: after SENT_GRACE_S, F8 takes it again.
        sent_recently = slot == self._sent_slot and time.monotonic() - self._sent_at < SENT_GRACE_S
        saving = self._busy_slot or (sent_recently and not retake)
        if saving:
            self._press_refused = True
            self.photos.show_problem(
                _("Still saving the photo {title}: press F8 again once the bench shows it.").format(
                    title=self.photos.title_of(self._busy_slot or slot))
            )
            return
        frame = self.controller.latest_frame() if self.controller is not None else None
        if frame is None:
            self.photos.show_problem("The camera is not live: no photo can be taken.")
            return
        c = self.config
        quality, dark, blur = (c.get("photos.jpeg_quality"), c.get("camera.min_brightness"),
                               c.get("camera.min_sharpness"))
        self.photos.show_busy(slot)
        self._busy_slot = slot

        def encode() -> tuple[Still, QImage]:
            still = take_still(frame, quality, dark, blur)
            return still, thumbnail(still.jpeg)

        run_in_background(self, encode, lambda done: self._still_ready(slot, *done), self._still_failed,
                          executor=self._photo_executor)

    def _still_ready(self, slot: str, still: Still, thumb: QImage) -> None:
        self._busy_slot = ""
        self.photos.show_still(slot, still, thumb)
        if not still.quality.warnings:
            self._accept_still()

    def _still_failed(self, exc: BaseException) -> None:
        self._busy_slot = ""
        self.photos.show_problem(getattr(exc, "user_message", str(exc)))

    def _accept_still(self) -> None:
        slot, still = self.photos.pending_slot, self.photos.pending
        if still is None:
            return
        self.photos.show_accepted(slot)
        self._sent_slot = slot if slot == self.awaiting_slot else ""
        self._sent_at = time.monotonic()
        self.photo_did_capture.emit(slot, still.jpeg, f"{slot}.jpg")

    def describe(self) -> dict[str, Any]:
        """State for tests and the Activity panel."""
        c = self.controller
        return {"state": c.state.status if c else "stopped",
                "frames": c.capture.frames_captured if c and c.capture else 0,
                "decoded": c.decode.frames_decoded if c and c.decode else 0}
