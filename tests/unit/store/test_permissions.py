"""The station's own files are for its user only: database (with -wal/-shm), photos, data and log folders."""

from __future__ import annotations

import io
import os
import stat
import sys

import pytest
from PIL import Image

from grading_station.store.local import Store

from grading_station.paths import paths_under

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes; Windows relies on profile ACLs")


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def open_umask():
    """The usual desktop umask (022), which made everything 0644/0755 before."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_an_opened_store_keeps_its_files_private(tmp_path, open_umask):
    paths = paths_under(tmp_path / "base")
    store = Store.open(paths)
    try:
        buffer = io.BytesIO()
        Image.new("RGB", (64, 48), (200, 30, 30)).save(buffer, "JPEG")
        ref = store.photos.import_bytes("front", buffer.getvalue(), "front.jpg")
        database = paths.database
        for suffix in ("", "-wal", "-shm"):  # WAL mode: SQLite copies the database file's mode to both
            assert mode(f"{database}{suffix}") == 0o600, suffix
        assert mode(ref.path) == 0o600
        assert mode(store.photos.thumbnail_path(ref.sha1)) == 0o600
        for folder in (paths.data_dir, paths.config_dir, paths.log_dir, paths.photo_dir,
                       paths.photo_dir / "thumbs"):
            assert mode(folder) == 0o700, folder
    finally:
        store.close()


def test_folders_and_database_left_open_by_an_older_version_are_tightened(tmp_path, open_umask):
    paths = paths_under(tmp_path / "base")
    paths.data_dir.mkdir(parents=True, mode=0o755)
    paths.database.write_bytes(b"")
    os.chmod(paths.database, 0o644)
    Store.open(paths).close()
    assert mode(paths.data_dir) == 0o700
    assert mode(paths.database) == 0o600
