"""`python -m grading_station` starts the app."""

from grading_station.cli import main

raise SystemExit(main())
