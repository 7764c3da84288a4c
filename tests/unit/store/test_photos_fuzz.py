"""Fuzzing photo import on a fixed seed: damaged, cut, spliced and disguised files either become a stored JPEG
or an InputError in plain words; nothing else escapes, nothing hangs, nothing is written for a refusal."""

from __future__ import annotations

import io
import random
import time

from PIL import Image

from grading_station.store.photos import PhotoStore

from grading_station.errors import InputError

SEED = 13
CASES = 400


def _seeds() -> list[bytes]:
    out = []
    image = Image.new("RGB", (96, 64), (200, 30, 30))
    image.paste((20, 20, 220), (0, 0, 24, 16))
    exif = Image.Exif()
    exif[0x0112] = 6
    for fmt, options in [("JPEG", {"exif": exif.tobytes()}), ("JPEG", {"progressive": True}), ("PNG", {}),
                         ("WEBP", {}), ("PNG", {"exif": exif.tobytes()})]:
        buffer = io.BytesIO()
        image.save(buffer, fmt, **options)
        out.append(buffer.getvalue())
    palette = io.BytesIO()
    image.convert("P").save(palette, "PNG", transparency=0)
    out.append(palette.getvalue())
    for fmt in ("GIF", "BMP", "TIFF"):  # real images, of formats the station does not take
        buffer = io.BytesIO()
        image.save(buffer, fmt)
        out.append(buffer.getvalue())
    out.append(b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 96 64\n{ } loop\n%%EOF\n")
    return out


def _camera_format(data: bytes) -> bool:
    return data[:3] == b"\xff\xd8\xff" or data[:8] == b"\x89PNG\r\n\x1a\n" or (
        data[:4] == b"RIFF" and data[8:12] == b"WEBP")


HEADERS = [b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"RIFF\x00\x00\x00\x00WEBPVP8 ", b"%!PS-Adobe-3.0 EPSF-3.0\n",
           b"GIF89a", b"II*\x00", b"BM", b"\x00\x00\x00\x18ftypheic"]


def _mutate(rng: random.Random, data: bytes) -> bytes:
    data = bytearray(data)
    for _ in range(rng.randrange(1, 4)):
        what = rng.randrange(6)
        at = rng.randrange(len(data)) if data else 0
        if what == 0:  # flip bytes
            for _ in range(rng.randrange(1, 8)):
                data[rng.randrange(len(data))] = rng.randrange(256)
        elif what == 1:  # cut short
            del data[at:]
        elif what == 2:  # insert junk
            data[at:at] = rng.randbytes(rng.randrange(1, 64))
        elif what == 3:  # another format's magic in front
            data[:4] = rng.choice(HEADERS)
        elif what == 4:  # a huge declared size: PNG IHDR width/height, JPEG SOF dimensions
            if data[:4] == b"\x89PNG" and len(data) > 24:
                data[16:24] = rng.choice([b"\x00\x00\xff\xff\x00\x00\xff\xff", b"\x7f\xff\xff\xff\x00\x00\x00\x01"])
            else:
                data[at:at + 4] = b"\xff\xff\xff\xff"
        else:  # duplicate a chunk
            end = min(len(data), at + rng.randrange(1, 200))
            data[end:end] = data[at:end]
        if not data:
            break
    return bytes(data)


def test_any_file_is_stored_as_a_jpeg_or_refused_in_plain_words(tmp_path, monkeypatch):
    from PIL import EpsImagePlugin

    def ghostscript(*args, **kwargs):
        raise AssertionError("Ghostscript was run on a dropped file")

    monkeypatch.setattr(EpsImagePlugin, "Ghostscript", ghostscript)
    rng = random.Random(SEED)
    seeds = _seeds()
    stored = refused = 0
    slowest = 0.0
    for case in range(CASES):
        store = PhotoStore(tmp_path / f"p{case}", max_side=80, thumb_side=32)
        data = _mutate(rng, rng.choice(seeds))
        started = time.perf_counter()
        try:
            ref = store.import_bytes("front", data, "photo.jpg")
        except InputError as exc:
            refused += 1
            assert exc.user_message.startswith("photo.jpg is "), (case, exc.user_message)
            assert not list((tmp_path / f"p{case}").glob("*.jpg")), case
        else:
            stored += 1
            assert _camera_format(data), case
            with Image.open(ref.path) as again:
                assert again.format == "JPEG" and max(again.size) <= 80, case
        slowest = max(slowest, time.perf_counter() - started)
    assert stored > 20 and refused > 100, (stored, refused)  # both outcomes exercised
    assert slowest < 2.0  # a generous bound for a loaded machine; each case takes milliseconds
