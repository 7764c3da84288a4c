import io

import pytest
from PIL import Image

from grading_station.store.photos import PhotoStore

from grading_station.errors import InputError, KnownError


def jpeg(width: int = 400, height: int = 300, orientation: int | None = None, colour=(200, 30, 30)) -> bytes:
    image = Image.new("RGB", (width, height), colour)
    image.paste((20, 20, 220), (0, 0, width // 4, height // 4))  # a blue corner to check the rotation
    buffer = io.BytesIO()
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    exif[0x010F] = "TestCam"  # Make: must not survive the re-encode
    image.save(buffer, "JPEG", quality=95, exif=exif.tobytes())
    return buffer.getvalue()


@pytest.fixture
def photos(tmp_path) -> PhotoStore:
    return PhotoStore(tmp_path / "photos", quality=80, max_side=1000, thumb_side=100)


def test_import_stores_a_jpeg_named_by_its_sha1_with_a_thumbnail(photos):
    ref = photos.import_bytes("front", jpeg(), "front.jpg")
    stored = Image.open(ref.path)
    assert stored.format == "JPEG" and stored.size == (400, 300)
    assert ref.path.endswith(f"{ref.sha1}.jpg") and len(ref.sha1) == 40
    assert (ref.slot, ref.filename) == ("front", f"front-{ref.sha1[:10]}.jpg")
    assert max(Image.open(photos.thumbnail_path(ref.sha1)).size) == 100
    assert photos.read(ref)[:2] == b"\xff\xd8"
    assert "TestCam" not in str(dict(stored.getexif()))


def test_exif_orientation_is_applied(photos):
    ref = photos.import_bytes("back", jpeg(400, 300, orientation=6))  # 6: rotate 90° clockwise to view
    stored = Image.open(ref.path).convert("RGB")
    assert stored.size == (300, 400)
    red, green, blue = stored.getpixel((stored.width - 10, 10))  # the blue corner moved to the top right
    assert blue > 150 and red < 100


def test_large_photos_are_scaled_down_and_other_formats_converted(photos):
    buffer = io.BytesIO()
    Image.new("RGBA", (3000, 1500), (0, 255, 0, 128)).save(buffer, "PNG")
    ref = photos.import_bytes("side_left", buffer.getvalue(), "side.png")
    assert Image.open(ref.path).size == (1000, 500)
    assert Image.open(ref.path).mode == "RGB"


def test_the_same_photo_is_stored_once(photos, tmp_path):
    data = jpeg()
    first = photos.import_bytes("front", data)
    second = photos.import_bytes("defects", data)
    assert first.sha1 == second.sha1 and first.slot != second.slot
    assert len(list((tmp_path / "photos").glob("*.jpg"))) == 1


def test_import_file(photos, tmp_path):
    (tmp_path / "IMG_0001.JPG").write_bytes(jpeg())
    assert photos.import_file("front", tmp_path / "IMG_0001.JPG").slot == "front"
    with pytest.raises(InputError, match=r"IMG_0002.JPG cannot be read"):
        photos.import_file("front", tmp_path / "IMG_0002.JPG")


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (jpeg()[: len(jpeg()) // 2], "front.jpg"),  # truncated mid-scan
        (b"\xff\xd8\xff\xe0" + b"\x00" * 500, "front.jpg"),  # a JPEG header and nothing else
        (b"GIF89a not really", "back.gif"),
        (b"%PDF-1.7 a spec sheet", "spec.pdf"),
        (b"", "empty.jpg"),
    ],
)
def test_unreadable_photos_are_refused_in_plain_words(photos, tmp_path, data, name):
    with pytest.raises(InputError, match=rf"^{name} is (not a readable photo|empty)"):
        photos.import_bytes("front", data, name)
    assert not any((tmp_path / "photos").glob("*.jpg")) if (tmp_path / "photos").exists() else True


def test_a_decompression_bomb_is_refused(tmp_path):
    buffer = io.BytesIO()
    Image.new("1", (2000, 1000)).save(buffer, "PNG")  # a small file, 2 Mpx once decoded
    photos = PhotoStore(tmp_path, max_pixels=1_000_000)
    with pytest.raises(InputError, match=r"bomb.png is far too large"):
        photos.import_bytes("front", buffer.getvalue(), "bomb.png")


def test_a_missing_stored_photo_is_a_known_error(photos):
    ref = photos.import_bytes("front", jpeg())
    import os

    os.remove(ref.path)
    with pytest.raises(KnownError, match=r"The front photo is missing"):
        photos.read(ref)


EPS_LOOP = b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 100 100\n%%EndComments\n{ } loop\n%%EOF\n"


def test_postscript_is_never_handed_to_ghostscript(photos, monkeypatch):
    # An EPS with an endless loop hung the single store thread forever inside Ghostscript.
    from PIL import EpsImagePlugin

    def ghostscript(*args, **kwargs):
        raise AssertionError("Ghostscript was run on a dropped file")

    monkeypatch.setattr(EpsImagePlugin, "Ghostscript", ghostscript)
    with pytest.raises(InputError, match=r"^loop.eps is not a readable photo: this station takes JPEG/PNG/WEBP"):
        photos.import_bytes("front", EPS_LOOP, "loop.eps")


@pytest.mark.parametrize("fmt", ["GIF", "BMP", "TIFF", "PPM", "ICO"])
def test_only_camera_formats_are_taken(photos, fmt):
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), (10, 200, 10)).save(buffer, fmt)
    with pytest.raises(InputError, match=rf"^front.{fmt.lower()} is not a readable photo: this station takes JPEG"):
        photos.import_bytes("front", buffer.getvalue(), f"front.{fmt.lower()}")


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_camera_formats_are_taken(photos, fmt):
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (10, 200, 10)).save(buffer, fmt)
    ref = photos.import_bytes("front", buffer.getvalue(), f"front.{fmt.lower()}")
    assert Image.open(ref.path).size == (640, 480)


def test_a_photo_over_50_megapixels_is_refused_before_decoding(photos):
    buffer = io.BytesIO()
    Image.new("1", (7100, 7100)).save(buffer, "PNG")  # 50.4 Mpx, a few kB on disk
    with pytest.raises(InputError, match=r"^huge.png is far too large for a unit photo \(at most 50 megapixels\)"):
        photos.import_bytes("front", buffer.getvalue(), "huge.png")


def test_a_huge_file_is_refused_before_it_is_read(photos, tmp_path, monkeypatch):
    from grading_station.store import photos as photos_module

    monkeypatch.setattr(photos_module, "MAX_BYTES", 1000)
    (tmp_path / "big.jpg").write_bytes(jpeg(800, 600))
    monkeypatch.setattr(type(tmp_path), "read_bytes", lambda self: pytest.fail("read a file that is too big"))
    with pytest.raises(InputError, match=r"^big.jpg is far too large"):
        photos.import_file("front", tmp_path / "big.jpg")


def test_a_large_jpeg_is_decoded_at_a_reduced_scale(photos, monkeypatch):
    # draft() lets libjpeg decode at 1/2, 1/4 or 1/8 scale: a 48 Mpx photo never exists in memory in full.
    opened = []
    real_open = Image.open

    def spy(*args, **kwargs):
        opened.append(real_open(*args, **kwargs))
        return opened[-1]

    monkeypatch.setattr(Image, "open", spy)
    ref = photos.import_bytes("front", jpeg(8000, 6000, orientation=6), "big.jpg")
    assert opened[0].size == (2000, 1500)  # decoded at 1/4 scale: still at least max_side (1000) wide
    monkeypatch.undo()
    assert Image.open(ref.path).size == (750, 1000)  # upright, scaled to max_side
