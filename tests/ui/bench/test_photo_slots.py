"""Photo tiles: the file dialog opens where the last photo came from; the thumbnail fills its tile."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from PySide6.QtWidgets import QFileDialog

from grading_station.ui.bench import photo_slots
from grading_station.ui.bench.photo_slots import LastFolder, PhotoSlot, choose_image_file


def test_the_file_dialog_opens_in_the_folder_of_the_last_photo(monkeypatch, tmp_path):
    opened_in = []
    answers = iter([str(tmp_path / "card" / "front.jpg"), "", ""])

    def dialog(_parent, _title, folder, _filter):
        opened_in.append(folder)
        return next(answers), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(dialog))
    folder = LastFolder(tmp_path)
    assert choose_image_file(None, "Photo", folder) == str(tmp_path / "card" / "front.jpg")
    assert choose_image_file(None, "Photo", folder) == ""  # cancelled: the folder stays
    choose_image_file(None, "Photo", folder)
    assert opened_in == [str(tmp_path), str(tmp_path / "card"), str(tmp_path / "card")]


def test_the_default_chooser_remembers_across_tiles():
    assert isinstance(photo_slots.LAST_FOLDER, LastFolder)


@pytest.mark.qt_log_ignore("does not support propagateSizeHints")
def test_the_thumbnail_is_as_large_as_the_tile_allows(qtbot):
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (40, 120, 200)).save(out, "PNG")
    tile = PhotoSlot("front", "Front", 1, lambda *_: "")
    qtbot.add_widget(tile)
    tile.resize(420, 320)
    tile.show()
    qtbot.waitExposed(tile)
    tile.show_photo(out.getvalue(), "front.jpg")
    assert tile.thumb.pixmap().width() > 200  # was a fixed 160 × 100 in any tile
    tile.resize(200, 160)
    qtbot.waitUntil(lambda: tile.thumb.pixmap().width() <= 200)
