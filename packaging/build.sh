#!/usr/bin/env bash
# Build the desktop bundle (dist/grading-station/) from a bootstrapped checkout. The app runs from a checkout
# (editable install, see README) or from this bundle; resources/ is not packaged into a wheel.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/bootstrap.sh
.venv/bin/pip install -q -e ".[packaging]"
.venv/bin/pyinstaller --noconfirm --clean --distpath dist --workpath build/pyinstaller packaging/grading-station.spec
echo "bundle: dist/grading-station/grading-station (try: dist/grading-station/grading-station --demo --temp-basedir)"
