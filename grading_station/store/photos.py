"""Photos for checklist slots: checked to be real images, turned upright, re-encoded as JPEG, thumbnailed.

Disk and decoding work: call from a worker thread (any thread; this does not use the SQLite connection).
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from grading_station.domain.grading import PhotoRef

from grading_station.errors import InputError, KnownError
from grading_station.i18n import _
from grading_station.paths import private_dir

if TYPE_CHECKING:  # Pillow is imported with the first photo (_decode), not on the start-up path
    from PIL import Image

MAX_PIXELS = 50_000_000
"""Bigger is a panorama or a decompression bomb, not a unit photo: refused before decoding eats the memory."""
MAX_BYTES = 64 * 1024 * 1024
"""A unit photo is a few MB; a larger file is refused before it is read into memory."""

# Only formats whose decoders are plain, bounded C code. Never "whatever Pillow can open": EPS runs Ghostscript
# (a PostScript loop hangs the thread forever), and the rarely used plugins are where the parser bugs live.
# MPO (a camera's multi-picture JPEG) is opened by the JPEG plugin.
_FORMATS: tuple[str, ...] = ("JPEG", "PNG", "WEBP")
try:  # HEIC from iPhones, only when a decoder is installed
    import pillow_heif  # type: ignore[import-not-found]

    pillow_heif.register_heif_opener()
    _FORMATS += ("HEIF",)
except ImportError:
    pass
_FORMAT_WORDS = "/".join("HEIC" if f == "HEIF" else f for f in _FORMATS)


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
            if path.stat().st_size > MAX_BYTES:  # before reading it all into memory
                raise InputError(_too_large(path.name))
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(_("{name} cannot be read: {reason}.").format(
                name=path.name, reason=exc.strerror or exc)) from exc
        return self.import_bytes(slot, data, path.name)

    def import_bytes(self, slot: str, data: bytes, name: str = "photo") -> PhotoRef:
        """Import image bytes (a camera frame encoded by the caller, a dropped file); InputError if they are
        not a readable photo."""
        from PIL import Image

        image = self._decode(data, name)
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
            raise KnownError(_("The {slot} photo is missing from {path}: take it again.").format(
                slot=ref.slot, path=ref.path)) from exc

    def _decode(self, data: bytes, name: str) -> Image.Image:
        """The photo upright, in RGB, decoded at about `max_side` per side at most: JPEG decodes straight at
        1/2, 1/4 or 1/8 scale (draft), the others are first reduced by a whole factor (a cheap box filter), so
        the fine resize after this works on little."""
        from PIL import Image, ImageOps, UnidentifiedImageError

        if not data:
            raise InputError(_("{name} is empty: it is not a readable photo.").format(name=name))
        if len(data) > MAX_BYTES:
            raise InputError(_too_large(name))
        try:
            image = Image.open(io.BytesIO(data), formats=_FORMATS)  # reads the header only
            if image.width * image.height > self.max_pixels:
                raise Image.DecompressionBombError(f"{image.width}x{image.height}")
            image.draft("RGB", (self.max_side, self.max_side))  # JPEG only; a no-op for the others
            image.load()  # decodes every pixel: a truncated or corrupt file fails here, not later
            if image.mode != "RGB":
                image = image.convert("RGB")
            factor = max(image.width, image.height) // self.max_side
            if factor >= 2:
                image = image.reduce(factor)  # keeps EXIF (info), so the orientation below still applies
            image = ImageOps.exif_transpose(image)
        except Image.DecompressionBombError as exc:
            raise InputError(_too_large(name), detail=str(exc)) from exc
        except UnidentifiedImageError as exc:
            raise InputError(_("{name} is not a readable photo: this station takes {formats} files only. Take it "
                               "again or pick another file.").format(name=name, formats=_FORMAT_WORDS),
                             detail=str(exc)) from exc
        except (OSError, SyntaxError, ValueError, EOFError, MemoryError) as exc:
            raise InputError(_("{name} is not a readable photo: the file is damaged or cut short. Take it again "
                               "or pick another file.").format(name=name), detail=str(exc)) from exc
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
            raise KnownError(_("The photo cannot be saved in {folder}: {reason}.").format(
                folder=target.parent, reason=exc.strerror or exc)) from exc


def _too_large(name: str) -> str:
    return _("{name} is far too large for a unit photo (at most {megapixels} megapixels): take it again at a "
             "normal size.").format(name=name, megapixels=MAX_PIXELS // 1_000_000)
