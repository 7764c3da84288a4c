"""PySide6 user interface: main window, one sub-package per workspace, shared widgets, the worker bridge."""
