"""Checking a photo for the bench (a real, decodable image) and making its thumbnail, off the GUI thread."""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

from grading_station.errors import InputError

MAX_PHOTO_BYTES = 40 * 1024 * 1024
"""Larger than any phone or bench-camera still; a bigger file is a video or a mistake."""
THUMBNAIL_SIZE = (320, 220)


@dataclass(frozen=True)
class CheckedPhoto:
    """A decodable image: its format ("JPEG", "PNG"...), size and a small PNG thumbnail for the screen."""

    format: str
    width: int
    height: int
    thumbnail_png: bytes

    @property
    def extension(self) -> str:
        return {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp", "BMP": ".bmp"}.get(self.format, ".img")


def check_photo(data: bytes, name: str) -> CheckedPhoto:
    """Refuse empty, over-large, non-image or corrupt (e.g. truncated JPEG) data; InputError says which."""
    if not data:
        raise InputError(f"“{name}” is empty: choose another photo.")
    if len(data) > MAX_PHOTO_BYTES:
        raise InputError(
            f"“{name}” is {len(data) // (1024 * 1024)} MB: a photo must be under "
            f"{MAX_PHOTO_BYTES // (1024 * 1024)} MB."
        )
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()  # structure and checksums (PNG CRCs)
        with Image.open(io.BytesIO(data)) as image:
            image.load()  # a full decode catches truncated or garbled JPEG data that verify() lets through
            fmt = image.format or ""
            width, height = image.size
            thumb = image.convert("RGB")
            thumb.thumbnail(THUMBNAIL_SIZE)
            out = io.BytesIO()
            thumb.save(out, "PNG")
    except UnidentifiedImageError as exc:
        raise InputError(f"“{name}” is not an image (JPEG or PNG expected): choose a photo file.") from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise InputError(
            f"“{name}” is damaged and cannot be read ({exc}): take or copy the photo again."
        ) from exc
    if fmt not in ("JPEG", "PNG", "WEBP", "BMP"):
        raise InputError(f"“{name}” is a {fmt or 'unknown'} image: use JPEG or PNG.")
    if min(width, height) < 200:
        raise InputError(f"“{name}” is only {width}×{height} pixels: too small to show the unit's condition.")
    return CheckedPhoto(fmt, width, height, out.getvalue())
