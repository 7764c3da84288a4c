"""Every on-disk location the app uses, from one place; `--temp-basedir` redirects them all."""

from __future__ import annotations

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
            folder.mkdir(parents=True, exist_ok=True)
        return self


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
