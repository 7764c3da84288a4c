"""Passwords and tokens in the OS keyring (never in files or logs), and a log mask for their values.

❌ `config.set("odoo.password", pw)`: the password lands in settings.toml.
✅ `secret_store.set(Secret.ODOO_PASSWORD, pw)`: it goes to the keyring and every log record masks it.
"""

from __future__ import annotations

import logging
import threading
from enum import StrEnum

import keyring
import keyring.errors
from keyring.backend import KeyringBackend
from keyring.compat import properties

from grading_station.errors import KnownError
from grading_station.i18n import _

SERVICE = "grading-station"
MASK_TEXT = "••••••"
_MIN_MASKED_LENGTH = 3  # shorter values would blot out ordinary words in the log


class Secret(StrEnum):
    """The keyring user name under which each secret is kept (service "grading-station")."""

    ODOO_PASSWORD = "odoo.password"
    ODOO_API_KEY = "odoo.api_key"
    BACKMARKET_TOKEN = "backmarket.token"


class LogMask:
    """Replaces known secret values in every log record, whichever logger or handler it goes to.

    It hooks the log record factory (not a handler filter) so records of any logger, and handlers added
    later (a file log, the Activity tail), never see the clear value.
    """

    def __init__(self) -> None:
        self._values: set[str] = set()
        self._lock = threading.Lock()
        self._previous_factory = None

    def add(self, value: str) -> None:
        if value and len(value) >= _MIN_MASKED_LENGTH:
            with self._lock:
                self._values.add(value)

    def mask(self, text: str) -> str:
        with self._lock:
            values = sorted(self._values, key=len, reverse=True)  # longest first: a value may contain another
        for value in values:
            if value in text:
                text = text.replace(value, MASK_TEXT)
        return text

    def install(self) -> None:
        if self._previous_factory is not None:
            return
        previous = logging.getLogRecordFactory()
        self._previous_factory = previous

        def factory(*args, **kwargs) -> logging.LogRecord:
            record = previous(*args, **kwargs)
            self._scrub(record)
            return record

        logging.setLogRecordFactory(factory)

    def uninstall(self) -> None:
        if self._previous_factory is not None:
            logging.setLogRecordFactory(self._previous_factory)
            self._previous_factory = None

    def _scrub(self, record: logging.LogRecord) -> None:
        if not self._values:
            return
        try:
            message = record.getMessage()
        except Exception:  # bad format arguments: the handler reports them; a log call must never raise here
            return
        masked = self.mask(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and record.exc_info[1] is not None:
            # Formatters reuse exc_text when set: pre-format the traceback with secrets masked.
            text = logging.Formatter().formatException(record.exc_info)
            masked_exc = self.mask(text)
            if masked_exc != text:
                record.exc_text = masked_exc
                record.exc_info = None


MASK = LogMask()


class SecretStore:
    """Reads and writes the secrets in a keyring backend (the OS keyring by default).

    Every value read or written is added to the log mask. A missing secret reads as "".
    Keyring failures (locked, no backend) raise KnownError in the user's words.
    """

    def __init__(self, backend: KeyringBackend | None = None, mask: LogMask = MASK) -> None:
        self._backend = backend
        self._mask = mask
        mask.install()

    @property
    def backend(self) -> KeyringBackend:
        return self._backend if self._backend is not None else keyring.get_keyring()

    def get(self, secret: Secret) -> str:
        try:
            value = self.backend.get_password(SERVICE, str(secret)) or ""
        except keyring.errors.KeyringError as exc:
            raise _unavailable(exc) from exc
        self._mask.add(value)
        return value

    def set(self, secret: Secret, value: str) -> None:
        """Store `value`; an empty value removes the secret."""
        if not value:
            self.delete(secret)
            return
        self._mask.add(value)
        try:
            self.backend.set_password(SERVICE, str(secret), value)
        except keyring.errors.KeyringError as exc:
            raise _unavailable(exc) from exc

    def delete(self, secret: Secret) -> None:
        try:
            self.backend.delete_password(SERVICE, str(secret))
        except keyring.errors.PasswordDeleteError:
            pass  # nothing stored: already in the wanted state
        except keyring.errors.KeyringError as exc:
            raise _unavailable(exc) from exc


class KeyringUnavailable(KnownError):
    """No usable OS keyring: secrets can be neither read nor saved (everything else works)."""


def _unavailable(exc: Exception) -> KeyringUnavailable:
    detail = f"{type(exc).__name__}: {exc}"
    if isinstance(exc, keyring.errors.NoKeyringError):
        return KeyringUnavailable(_(
            "No system keyring is running on this computer, so the Odoo password and the Back Market token "
            "cannot be kept. Install and start one (GNOME Keyring, KWallet or KeePassXC with its Secret "
            "Service), then restart Grading Station."), detail=detail)
    return KeyringUnavailable(_("The system keyring (where passwords are kept) is locked or not answering. "
                                "Unlock it, then try again."), detail=detail)


class MemoryKeyring(KeyringBackend):
    """A keyring kept in memory for tests and `--demo --temp-basedir` (secrets vanish on exit).

    Its negative priority keeps keyring from ever picking it on its own; pass it to SecretStore explicitly.
    """

    @properties.classproperty
    def priority(cls) -> float:
        return -2

    def __init__(self) -> None:
        super().__init__()
        self._items: dict[tuple[str, str], str] = {}
        self._lock = threading.Lock()

    def get_password(self, service: str, username: str) -> str | None:
        with self._lock:
            return self._items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        with self._lock:
            self._items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        with self._lock:
            if self._items.pop((service, username), None) is None:
                raise keyring.errors.PasswordDeleteError(f"no secret {username!r} for {service!r}")
