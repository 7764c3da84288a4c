"""Entry point of the bundled app (PyInstaller runs a script, not a console-script entry point)."""

from grading_station.cli import main

raise SystemExit(main())
