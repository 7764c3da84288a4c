#!/usr/bin/env bash
# Prepare a fresh machine: system libraries (zbar for barcode decoding, Qt's xcb/EGL runtime) and a .venv with
# the app and its test dependencies. Idempotent: a second run only checks.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
known_libs=$(ldconfig -p)
for lib in libzbar.so.0 libEGL.so.1 libxkbcommon.so.0 libxkbcommon-x11.so.0 libfontconfig.so.1 libdbus-1.so.3 \
           libGL.so.1 libxcb-cursor.so.0 libxcb-icccm.so.4 libxcb-keysyms.so.1 libxcb-shape.so.0; do
  grep -qF "$lib" <<<"$known_libs" || need_apt+=("$lib")
done
# The buyer certificate embeds DejaVu Sans (accented letters); its tests render pages with poppler's pdftoppm.
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need_apt+=("fonts-dejavu-core")
command -v pdftoppm >/dev/null || need_apt+=("poppler-utils")
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends libzbar0 libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 \
      libfontconfig1 libdbus-1-3 fonts-dejavu-core libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 \
      libxcb-image0 libxcb-render-util0 libxcb-randr0 libxcb-xinerama0 poppler-utils >/dev/null
  else
    echo "missing system libraries (${need_apt[*]}): install libzbar0 libegl1 libgl1 libxkbcommon0 libfontconfig1" >&2
  fi
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
if ! .venv/bin/python -c "import grading_station, pytestqt, openapi_core" 2>/dev/null \
   || [ pyproject.toml -nt .venv/.installed ]; then
  .venv/bin/pip install -q --upgrade pip
  .venv/bin/pip install -q -e '.[test]'
  touch .venv/.installed
fi
