"""The Linux install script: the launcher entry it writes starts the installed program and finds its icon."""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_installed_desktop_entry_points_at_the_program_and_its_icon(tmp_path):
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    program = bundle / "grading-station"
    program.write_text("#!/bin/sh\necho started \"$@\"\n", encoding="utf-8")
    program.chmod(0o755)
    prefix = tmp_path / "prefix"
    env = {**os.environ, "PREFIX": str(prefix), "BUNDLE": str(bundle)}
    subprocess.run(["bash", str(ROOT / "packaging" / "install-linux.sh")], check=True, env=env, cwd=ROOT,
                   capture_output=True)

    entry_path = prefix / "share" / "applications" / "grading-station.desktop"
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # keys are case-sensitive in desktop entries
    entry.read(entry_path, encoding="utf-8")
    desktop = entry["Desktop Entry"]
    exec_path = Path(desktop["Exec"].split()[0])
    assert exec_path.is_absolute() and os.access(exec_path, os.X_OK)
    assert subprocess.run([str(exec_path), "--demo"], capture_output=True, text=True).stdout == "started --demo\n"
    icon = prefix / "share" / "icons" / "hicolor" / "scalable" / "apps" / f"{desktop['Icon']}.svg"
    assert icon.is_file() and "<svg" in icon.read_text(encoding="utf-8")
    assert desktop["Type"] == "Application" and desktop["Name[fr]"]
    if shutil.which("desktop-file-validate"):
        result = subprocess.run(["desktop-file-validate", str(entry_path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr

    # a second run (an update) replaces the program in place
    subprocess.run(["bash", str(ROOT / "packaging" / "install-linux.sh")], check=True, env=env, cwd=ROOT,
                   capture_output=True)
    assert exec_path.resolve().read_text(encoding="utf-8") == program.read_text(encoding="utf-8")
