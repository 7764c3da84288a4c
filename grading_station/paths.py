"""Every on-disk location the app uses, from one place; `--temp-basedir` redirects them all."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "grading-station"

# resources/ sits beside the package in a checkout (editable install) and in the PyInstaller bundle.
RESOURCES = Path(__file__).resolve().parent.parent / "resources"


@dataclass(frozen=True)
class Paths:
    """Directories for config, data (SQLite, photos) and logs."""

    config_dir: Path
    data_dir: Path
    log_dir: Path

    @property
    def config_file(self) -> Path:
        return self.config_dir / "settings.toml"

    @property
    def database(self) -> Path:
        return self.data_dir / "station.sqlite3"

    @property
    def photo_dir(self) -> Path:
        return self.data_dir / "photos"

    def ensure(self) -> Paths:
        for folder in (self.config_dir, self.data_dir, self.log_dir, self.photo_dir):
            private_dir(folder)
        return self


# Serials, technician names, photos and Odoo addresses are nobody else's business on a shared computer:
# everything the app creates is for this user only (POSIX modes; on Windows the profile's ACLs do this).
PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


def private_dir(path: Path) -> Path:
    """Create `path` (and missing parents) as a directory only this user can enter (0700); an existing one
    made by an older version is tightened. Parents that existed before (~/.config) are left alone."""
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR_MODE)
    os.chmod(path, PRIVATE_DIR_MODE)
    return path


def private_file(path: Path) -> Path:
    """Create `path` empty if it is missing, readable and writable by this user only (0600); tighten it if it
    exists. Call before handing the path to SQLite: its -wal and -shm files copy the database file's mode."""
    private_dir(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE_MODE)
    os.close(fd)
    os.chmod(path, PRIVATE_FILE_MODE)
    return path


def write_private_text(path: Path, text: str) -> None:
    """Replace `path` atomically with `text` (UTF-8) as a private file: a crash mid-write keeps the old one."""
    tmp = path.with_name(path.name + ".tmp")
    private_file(tmp)
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, path)


def standard_paths() -> Paths:
    return Paths(
        config_dir=Path(platformdirs.user_config_dir(APP_NAME)),
        data_dir=Path(platformdirs.user_data_dir(APP_NAME)),
        log_dir=Path(platformdirs.user_log_dir(APP_NAME)),
    )


def paths_under(base: Path) -> Paths:
    return Paths(config_dir=base / "config", data_dir=base / "data", log_dir=base / "log")


class TempBaseDir:
    """A throw-away base directory, removed on close (`--temp-basedir`)."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="grading-station-"))
        self.paths = paths_under(self.root).ensure()

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)
