#!/usr/bin/env bash
# Build the desktop bundle (dist/grading-station/) and a wheel (dist/*.whl) from a bootstrapped checkout.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/bootstrap.sh
.venv/bin/pip install -q -e ".[packaging]"
.venv/bin/python -m build --wheel --outdir dist .
.venv/bin/pyinstaller --noconfirm --clean --distpath dist --workpath build/pyinstaller packaging/grading-station.spec
echo "bundle: dist/grading-station/grading-station (try: dist/grading-station/grading-station --demo --temp-basedir)"
