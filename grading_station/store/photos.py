"""Photos for checklist slots: checked to be real images, turned upright, re-encoded as JPEG, thumbnailed.

Disk and decoding work: call from a worker thread (any thread; this does not use the SQLite connection).
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from grading_station.domain.grading import PhotoRef

from grading_station.errors import InputError, KnownError
from grading_station.paths import private_dir

MAX_PIXELS = 50_000_000
"""Bigger is a panorama or a decompression bomb, not a unit photo: refused before decoding eats the memory."""


class PhotoStore:
    """Stores photos under `photo_dir` as `<sha1>.jpg` (identical photos are stored once) with a thumbnail in
    `photo_dir/thumbs`. Re-encoding drops EXIF (and so any GPS position) after applying its orientation."""

    def __init__(
        self,
        photo_dir: Path,
        quality: int = 88,
        max_side: int = 2560,
        thumb_side: int = 320,
        max_pixels: int = MAX_PIXELS,
    ) -> None:
        self.photo_dir = photo_dir
        self.max_pixels = max_pixels
        self.quality = quality
        self.max_side = max_side
        self.thumb_side = thumb_side

    def import_file(self, slot: str, path: Path) -> PhotoRef:
        """Import an image file (from the camera folder or a file dialog) for a checklist slot."""
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(f"{path.name} cannot be read: {exc.strerror or exc}.") from exc
        return self.import_bytes(slot, data, path.name)

    def import_bytes(self, slot: str, data: bytes, name: str = "photo") -> PhotoRef:
        """Import image bytes (a camera frame encoded by the caller, a dropped file); InputError if they are
        not a readable photo."""
        image = self._decode(data, name)
        image = ImageOps.exif_transpose(image)
        if image.mode != "RGB":
            image = image.convert("RGB")
        image.thumbnail((self.max_side, self.max_side), Image.Resampling.LANCZOS)
        encoded = self._jpeg(image, self.quality)
        sha1 = hashlib.sha1(encoded).hexdigest()
        target = self.photo_dir / f"{sha1}.jpg"
        if not target.exists():
            self._write(target, encoded)
        thumb = image.copy()
        thumb.thumbnail((self.thumb_side, self.thumb_side), Image.Resampling.LANCZOS)
        thumb_path = self.thumbnail_path(sha1)
        if not thumb_path.exists():
            self._write(thumb_path, self._jpeg(thumb, 80))
        return PhotoRef(slot=slot, path=str(target), sha1=sha1, filename=f"{slot}-{sha1[:10]}.jpg")

    def thumbnail_path(self, sha1: str) -> Path:
        return self.photo_dir / "thumbs" / f"{sha1}.jpg"

    def read(self, ref: PhotoRef) -> bytes:
        """The stored JPEG (for delivery as an attachment); KnownError if the file has gone missing."""
        try:
            return Path(ref.path).read_bytes()
        except OSError as exc:
            raise KnownError(f"The {ref.slot} photo is missing from {ref.path}: take it again.") from exc

    def _decode(self, data: bytes, name: str) -> Image.Image:
        if not data:
            raise InputError(f"{name} is empty: it is not a readable photo.")
        try:
            image = Image.open(io.BytesIO(data))  # reads the header only
            if image.width * image.height > self.max_pixels:
                raise Image.DecompressionBombError(f"{image.width}x{image.height}")
            image.load()  # decodes every pixel: a truncated or corrupt file fails here, not later
        except Image.DecompressionBombError as exc:
            raise InputError(
                f"{name} is far too large for a unit photo: take it again at a normal size."
            ) from exc
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
            raise InputError(f"{name} is not a readable photo: take it again or pick another file.") from exc
        return image

    @staticmethod
    def _jpeg(image: Image.Image, quality: int) -> bytes:
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=quality, optimize=True)
        return buffer.getvalue()

    @staticmethod
    def _write(target: Path, data: bytes) -> None:
        # Write then rename, so a crash never leaves half a photo under its final name.
        try:
            private_dir(target.parent)  # mkstemp makes the file 0600; the folder is this user's only
            fd, temp = tempfile.mkstemp(dir=target.parent, suffix=".part")
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(temp, target)
        except OSError as exc:
            raise KnownError(f"The photo cannot be saved in {target.parent}: {exc.strerror or exc}.") from exc
