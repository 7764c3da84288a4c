"""A keyring for bench/bench_startup.py's production start: the secrets come from an environment variable.

The station reads its Odoo password and Back Market token from the OS keyring; the bench has none, so it points
`PYTHON_KEYRING_BACKEND` at `startup_keyring.EnvKeyring` with `GRADING_BENCH_SECRETS` = JSON {"odoo.password": ...}.
"""

from __future__ import annotations

import json
import os

from keyring.backend import KeyringBackend
from keyring.compat import properties

VARIABLE = "GRADING_BENCH_SECRETS"


class EnvKeyring(KeyringBackend):
    """Reads the secrets of `GRADING_BENCH_SECRETS`; writes are kept in memory for this process only."""

    @properties.classproperty
    def priority(cls) -> float:
        return -2  # never chosen on its own: only through PYTHON_KEYRING_BACKEND

    def __init__(self) -> None:
        super().__init__()
        self._items: dict[str, str] = json.loads(os.environ.get(VARIABLE, "{}"))

    def get_password(self, service: str, username: str) -> str | None:
        return self._items.get(username)

    def set_password(self, service: str, username: str, password: str) -> None:
        self._items[username] = password

    def delete_password(self, service: str, username: str) -> None:
        self._items.pop(username, None)
