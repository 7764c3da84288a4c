#!/usr/bin/env bash
# Install the bundle built by packaging/build.sh for the current user (or under PREFIX): the program in
# PREFIX/lib/grading-station, a `grading-station` command in PREFIX/bin, the launcher entry and its icon where
# desktops look for them. Idempotent; `PREFIX=/usr/local sudo -E bash packaging/install-linux.sh` installs for all.
set -euo pipefail
cd "$(dirname "$0")/.."
PREFIX=${PREFIX:-$HOME/.local}
BUNDLE=${BUNDLE:-dist/grading-station}
[ -x "$BUNDLE/grading-station" ] || { echo "no bundle at $BUNDLE: run packaging/build.sh first" >&2; exit 1; }

install -d "$PREFIX/lib" "$PREFIX/bin" "$PREFIX/share/applications" "$PREFIX/share/icons/hicolor/scalable/apps"
rm -rf "$PREFIX/lib/grading-station"
cp -a "$BUNDLE" "$PREFIX/lib/grading-station"
ln -sfn "$PREFIX/lib/grading-station/grading-station" "$PREFIX/bin/grading-station"
install -m 0644 resources/icons/grading-station.svg "$PREFIX/share/icons/hicolor/scalable/apps/grading-station.svg"
# Exec with the absolute path: a desktop session's PATH often lacks ~/.local/bin.
sed "s|^Exec=grading-station|Exec=$PREFIX/bin/grading-station|" packaging/grading-station.desktop \
  > "$PREFIX/share/applications/grading-station.desktop"
chmod 0644 "$PREFIX/share/applications/grading-station.desktop"
command -v update-desktop-database >/dev/null && update-desktop-database -q "$PREFIX/share/applications" || true
echo "installed: $PREFIX/bin/grading-station (launcher: $PREFIX/share/applications/grading-station.desktop)"
