"""The camera workspace panel (live scanning, photos) and its Settings page (registered on import)."""

from grading_station.ui.camera import settings  # noqa: F401  (declares camera.* and registers the page)
from grading_station.ui.camera.panel import CameraPanel

__all__ = ["CameraPanel"]
