"""Settings declared once (key, type, default, title, description) and kept as TOML in Paths.config_file.

❌ `config.get("scanner.sufix")` for a key nobody declared: a typo becomes a silent default.
✅ `declare("listing.buffer", int, 1, "Stock buffer", "...")` in the owning module, then `config.get(...)`.
Secrets (passwords, tokens) never go here: see grading_station.secrets.
"""

from __future__ import annotations

import logging
import math
import threading
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomli_w

from grading_station.errors import InputError, KnownError
from grading_station.i18n import N_, _
from grading_station.paths import write_private_text

_log = logging.getLogger("grading_station.config")

_TYPE_WORDS = {str: N_("text"), int: N_("a whole number"), float: N_("a number"), bool: N_("true or false"),
               list: N_("a list of texts")}


@dataclass(frozen=True)
class Setting:
    """One declared setting. `type` is str, int, float, bool or list (a list of str)."""

    key: str  # dotted: "<section>.<name>", stored as [section] name = ... in TOML
    type: type
    default: Any
    title: str
    description: str
    choices: tuple[str, ...] = ()  # allowed values of a str setting; empty = free text
    minimum: float | None = None  # for int/float settings
    maximum: float | None = None

    def _name(self) -> str:
        return _("Setting “{title}” ({key})").format(title=_(self.title), key=self.key)

    def check(self, value: Any) -> Any:
        """The value converted to this setting's type, or InputError saying what is wrong in plain words."""
        if self.type is float and isinstance(value, int) and not isinstance(value, bool):
            try:
                value = float(value)
            except OverflowError:  # an int beyond any float (TOML ints have no size limit in tomllib)
                raise InputError(_("{name} is far too large.").format(name=self._name())) from None
        ok = isinstance(value, self.type) and not (self.type in (int, float) and isinstance(value, bool))
        if ok and self.type is list:
            ok = all(isinstance(item, str) for item in value)
            value = list(value)
        if not ok:
            raise InputError(_("{name} must be {wanted}, not {value}.").format(
                name=self._name(), wanted=_(_TYPE_WORDS[self.type]), value=_shown(value)))
        if self.type is float and not math.isfinite(value):
            # NaN passes every < and > test, and an infinite wait never ends: a delivery would stay "delivering".
            raise InputError(_("{name} must be a real number, not {value}.").format(
                name=self._name(), value=value))
        if self.choices and value not in self.choices:
            allowed = ", ".join(f"“{c}”" for c in self.choices)
            raise InputError(_("{name} must be one of {allowed}, not {value}.").format(
                name=self._name(), allowed=allowed, value=_shown(value)))
        if self.minimum is not None and value < self.minimum:
            raise InputError(_("{name} must be at least {minimum}.").format(
                name=self._name(), minimum=f"{self.minimum:g}"))
        if self.maximum is not None and value > self.maximum:
            raise InputError(_("{name} must be at most {maximum}.").format(
                name=self._name(), maximum=f"{self.maximum:g}"))
        return value


def _shown(value: Any, limit: int = 60) -> str:
    """A value as the file has it, cut short: a 1 MB string must not become a 1 MB message."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _cut(text: str, limit: int = 200) -> str:
    """A parser's reason, its middle cut out when long (it may quote a whole line); keeps "(at line N, …)"."""
    return text if len(text) <= limit else text[: limit - 61] + "…" + text[-60:]


# The deepest nesting a settings file has is [section] name = [list]; far deeper is damage (or an attack), and
# tomllib and tomli_w recurse on it (RecursionError).
_MAX_DEPTH = 16


def _too_deep(doc: dict[str, Any]) -> bool:
    stack: list[tuple[Any, int]] = [(doc, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > _MAX_DEPTH:
            return True
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


_REGISTRY: dict[str, Setting] = {}
_REGISTRY_LOCK = threading.Lock()


def declare(key: str, type: type, default: Any, title: str, description: str, **extra: Any) -> Setting:
    """Declare a setting once per key (re-declaring the same definition is harmless, e.g. on reload)."""
    if "." not in key:
        raise ValueError(f"setting key {key!r} needs a section: 'section.name'")
    setting = Setting(key, type, default, title, description, **extra)
    setting.check(default)  # a bad default is a bug, caught at import time
    with _REGISTRY_LOCK:
        existing = _REGISTRY.get(key)
        if existing is not None and existing != setting:
            raise ValueError(f"setting {key!r} is declared twice with different definitions")
        _REGISTRY[key] = setting
    return setting


def declared(section: str | None = None) -> list[Setting]:
    """All declared settings (of one section), in declaration order."""
    with _REGISTRY_LOCK:
        return [s for s in _REGISTRY.values() if section is None or s.key.split(".", 1)[0] == section]


def setting(key: str) -> Setting:
    try:
        return _REGISTRY[key]
    except KeyError:
        raise KeyError(f"setting {key!r} was never declared (see grading_station.config.declare)") from None


class Config:
    """Typed access to the declared settings backed by one TOML file. Thread-safe.

    `set()` validates and notifies `on_change` listeners with (key, value); `save()` writes the file
    (keys this version does not know are kept as they were). Values in the file with a wrong type fall
    back to their default and are listed in `problems`, in words a person can act on.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.problems: list[str] = []
        self._doc: dict[str, Any] = {}
        self._lock = threading.RLock()
        self._listeners: list[Callable[[str, Any], None]] = []

    @classmethod
    def load(cls, path: Path | None) -> Config:
        """Read the file if it exists. Raises KnownError when it is not valid TOML (nothing is guessed)."""
        config = cls(path)
        if path is not None and path.exists():
            try:
                config._doc = tomllib.loads(path.read_text(encoding="utf-8"))
            except (tomllib.TOMLDecodeError, UnicodeDecodeError, RecursionError) as exc:
                reason = _("it is nested far too deep") if isinstance(exc, RecursionError) else _cut(str(exc))
                raise KnownError(_("The settings file {path} cannot be read: {reason}. Fix or delete it.").format(
                    path=path, reason=reason), detail=repr(exc)) from exc
            except OSError as exc:
                raise KnownError(_("The settings file {path} cannot be opened: {reason}.").format(
                    path=path, reason=exc.strerror or exc), detail=str(exc)) from exc
            if _too_deep(config._doc):
                raise KnownError(_("The settings file {path} cannot be read: it is nested far too deep. "
                                   "Fix or delete it.").format(path=path))
        config._check_file_values()
        return config

    @staticmethod
    def peek(path: Path | None, key: str) -> Any:
        """One setting from the file before the station is built (the language, the log format): its default
        when the file is missing, unreadable or holds a wrong value (Config.load reports those later)."""
        item = setting(key)
        try:
            doc = tomllib.loads(path.read_text(encoding="utf-8")) if path is not None and path.exists() else {}
        except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError, RecursionError):
            return item.default
        probe = Config(path)
        probe._doc = doc
        return probe.get(key)

    def _check_file_values(self) -> None:
        for item in declared():
            raw = self._raw(item.key)
            if raw is None:
                continue
            try:
                item.check(raw)
            except InputError as exc:
                message = f"{exc.user_message} The default ({item.default!r}) is used; file: {self.path}"
                self.problems.append(message)
                _log.warning("%s", message)

    def _raw(self, key: str) -> Any:
        node: Any = self._doc
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                return None
            node = node[part]
        return node

    def get(self, key: str) -> Any:
        item = setting(key)
        with self._lock:
            raw = self._raw(key)
        if raw is None:
            return list(item.default) if item.type is list else item.default
        try:
            return item.check(raw)
        except InputError:
            return list(item.default) if item.type is list else item.default

    def set(self, key: str, value: Any) -> None:
        """Validate and keep `value` (InputError when it is wrong); listeners hear only real changes."""
        item = setting(key)
        value = item.check(value)
        with self._lock:
            raw = self._raw(key)
            # Defaults stay out of the file so a later version can improve them.
            if raw == value or (raw is None and value == item.default):
                return
            node = self._doc
            *sections, name = key.split(".")
            for part in sections:
                node = node.setdefault(part, {})
            node[name] = value
            listeners = list(self._listeners)
        for listener in listeners:
            listener(key, value)

    def on_change(self, listener: Callable[[str, Any], None]) -> None:
        """Call `listener(key, value)` after every change (on the thread that called `set`)."""
        self._listeners.append(listener)

    def save(self) -> None:
        """Write the TOML file atomically (a crash mid-write keeps the old one); KnownError on failure."""
        if self.path is None:
            return
        with self._lock:
            text = tomli_w.dumps(self._doc)
            try:
                write_private_text(self.path, text)  # 0600: it names the Odoo server, login, technician
            except OSError as exc:
                raise KnownError(_("The settings could not be saved to {path}: {reason}.").format(
                    path=self.path, reason=exc.strerror), detail=str(exc)) from exc


def _declare_core() -> None:
    """The settings this package itself needs; other modules declare theirs next to their code."""
    d = declare
    d("odoo.url", str, "", N_("Odoo address"), N_("Web address of the Odoo server, e.g. https://erp.example.com"))
    d("odoo.database", str, "", N_("Odoo database"), N_("Name of the Odoo database to work in"))
    d("odoo.login", str, "", N_("Odoo login"), N_("User name (usually an e-mail) the station signs in with"))
    d("odoo.auth", str, "password", N_("Sign-in with"), N_("Use the account password or an Odoo API key"),
      choices=("password", "api_key"))
    d("odoo.allow_insecure_http", bool, False, N_("Allow unencrypted http://"),
      N_("Only on a network you trust: with http:// to another computer the Odoo password travels in clear"))
    d("odoo.timeout_s", float, 15.0, N_("Odoo timeout (s)"), N_("How long to wait for an Odoo answer"),
      minimum=1, maximum=300)
    d("station.name", str, "Bench 1", N_("Station name"), N_("Shown to other benches when this one grades a unit"))
    d("station.language", str, "", N_("Language"),
      N_("The language of every screen; empty follows the computer's language (takes effect after a restart)"),
      choices=("", "en", "fr", "de", "es", "it"))
    d("station.technician", str, "", N_("Technician"), N_("Who grades here (written on every test report)"))
    d("scanner.prefix", str, "", N_("Scanner prefix"), N_("Characters sent before each code (often none)"))
    d("scanner.suffix", str, "\n", N_("Scanner suffix"), N_("Characters the scanner sends after each code (Enter)"))
    d("scanner.max_key_interval_ms", int, 30, N_("Key interval (ms)"),
      N_("Keys closer together than this come from the scanner, not from a person"), minimum=1, maximum=500)
    d("scanner.serial_patterns", list, [], N_("Serial patterns"),
      N_("Regular expressions of serial numbers accepted besides IMEIs (one per line)"))
    d("logging.json_lines", bool, False, N_("Log file as JSON lines"),
      N_("Write the log file as one JSON object per line (for log collectors); takes effect after a restart"))
    d("photos.jpeg_quality", int, 85, N_("Photo quality"), N_("JPEG quality of stored photos (1-100)"),
      minimum=1, maximum=100)
    # Bounded both ways: a tiny wait hammers a server that is down, a huge one stalls the outbox for good.
    d("outbox.retry_initial_s", float, 5.0, N_("First retry after (s)"),
      N_("Wait before the first retry of a delivery that could not reach Odoo or Back Market"), minimum=1, maximum=600)
    d("outbox.retry_max_s", float, 600.0, N_("Longest retry wait (s)"),
      N_("The wait between retries doubles up to this"), minimum=1, maximum=3600)


_declare_core()
