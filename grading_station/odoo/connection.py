"""One logged-in odoorpc connection shared by the network workers: lock, RPC count, errors, re-login."""

from __future__ import annotations

import contextlib
import ipaddress
import json
import threading
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass

import odoorpc
import odoorpc.error

from grading_station.odoo.answers import shape_problem
from grading_station.odoo.errors import (
    TRANSPORT_ERRORS,
    OdooMissingRights,
    OdooTooOld,
    OdooUnreachable,
    OdooWrongCredentials,
    OdooWrongDatabase,
    is_missing_database,
    is_session_expired,
    map_rpc_error,
    map_transport_error,
    rpc_text,
    unexpected_answer,
)
from grading_station.odoo.version import OLDEST_SUPPORTED, OdooFlavour

from grading_station import log
from grading_station.errors import InputError
from grading_station.i18n import N_, _
from grading_station.reachability import Reachability


@dataclass(frozen=True)
class OdooSettings:
    """Where and as whom to reach Odoo. With `secret_is_api_key` the secret is an API key, which Odoo's
    external API takes in place of the password (common.login / execute_kw)."""

    url: str
    database: str
    login: str
    secret: str
    secret_is_api_key: bool = False
    timeout: float = 30.0
    allow_insecure_http: bool = False  # plain http:// to another computer, confirmed by the user


def is_insecure_remote(url: str) -> bool:
    """True for a plain http:// address of another computer: the password and the data would cross the
    network unencrypted. http:// to this computer (localhost, 127.x, ::1) is fine. No DNS look-up (GUI-safe)."""
    try:
        parsed = urllib.parse.urlparse(url.strip())
        host = parsed.hostname
    except ValueError:  # "http://[::1": not an address at all, _endpoint says so
        return False
    return parsed.scheme == "http" and bool(host) and not _is_loopback(host)


def _is_loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class RpcMeter:
    """Counts the JSON-RPC requests made by one thread inside a `with connection.metered()` block."""

    def __init__(self) -> None:
        self.calls = 0


class OdooConnection:
    """Thread-safe access to Odoo's external API through odoorpc's `execute_kw` (never `browse`).

    Connects lazily on the first call (a lock serialises logging in; calls then run side by side, one HTTP
    request each); every failure comes out as a KnownError subclass. `rpc_count` is the total number of
    requests sent since construction, `metered()` counts one thread's requests (budgets in tests, benchmarks).
    """

    def __init__(self, settings: OdooSettings) -> None:
        self.settings = settings
        self._lock = threading.RLock()
        self._odoo: odoorpc.ODOO | None = None
        self._flavour: OdooFlavour | None = None
        self._uid: int | None = None
        self._local = threading.local()
        self._count_lock = threading.Lock()
        self.rpc_count = 0
        self.reachability = Reachability()  # the status bar and the "cannot reach Odoo" banner follow it

    # -- counting --------------------------------------------------------------------------------------------
    @contextlib.contextmanager
    def metered(self) -> Iterator[RpcMeter]:
        meters: list[RpcMeter] = self._local.__dict__.setdefault("meters", [])
        meter = RpcMeter()
        meters.append(meter)
        try:
            yield meter
        finally:
            meters.remove(meter)

    def _count(self, n: int = 1) -> None:
        with self._count_lock:
            self.rpc_count += n
        for meter in self._local.__dict__.get("meters", []):
            meter.calls += n

    # -- connecting ------------------------------------------------------------------------------------------
    @property
    def flavour(self) -> OdooFlavour:
        self.ensure_connected()
        assert self._flavour is not None
        return self._flavour

    @property
    def uid(self) -> int:
        self.ensure_connected()
        assert self._uid is not None
        return self._uid

    def ensure_connected(self) -> None:
        self._client()

    def reconfigure(self, settings: OdooSettings) -> None:
        """Use new settings (saved in the Settings screen); the next call signs in with them."""
        with self._lock:
            self.settings = settings
            self._odoo = None
            self._flavour = None
            self._uid = None

    def reconnect(self) -> None:
        with self._lock:
            self._odoo = None
            self._connect()

    def _endpoint(self) -> tuple[str, str, int]:
        if not self.settings.url.strip():  # first run: nothing entered yet (waiting items stay queued)
            raise OdooUnreachable(_("Odoo is not set up yet: open Settings (F4) and enter its address."))
        parsed = urllib.parse.urlparse(self.settings.url.strip())
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise OdooUnreachable(
                _("'{url}' is not an Odoo address; it should look like https://odoo.example.com").format(
                    url=self.settings.url)
            )
        if is_insecure_remote(self.settings.url):
            if not self.settings.allow_insecure_http:
                raise InputError(_(
                    "The Odoo address {url} uses plain http://: the password would cross the network unencrypted. "
                    "Use https://, or, on a network you trust, tick “Allow unencrypted http://” in Settings › Odoo."
                ).format(url=self.settings.url))
            log.odoo.warning("connecting to Odoo at %s over plain http: the password and the data cross the "
                             "network unencrypted (allowed in the settings)", self.settings.url)
        protocol = "jsonrpc+ssl" if parsed.scheme == "https" else "jsonrpc"
        port = parsed.port or (443 if parsed.scheme == "https" else 80)
        return protocol, parsed.hostname, port

    def _connect(self) -> None:
        protocol, host, port = self._endpoint()
        url = self.settings.url
        try:
            self._count()  # the constructor asks /web/webclient/version_info
            odoo = odoorpc.ODOO(host, protocol=protocol, port=port, timeout=self.settings.timeout)
            self._count()
            info = odoo.json("/jsonrpc", {"service": "common", "method": "version", "args": []})["result"]
        except odoorpc.error.RPCError as exc:
            raise OdooUnreachable(
                _("The address {url} does not answer like an Odoo server.").format(url=url), detail=rpc_text(exc)
            ) from exc
        except TRANSPORT_ERRORS as exc:
            error = map_transport_error(exc, url)
            self.reachability.note(False, error.user_message)
            raise error from exc
        self.reachability.note(True)
        flavour = OdooFlavour.from_version_info(info)
        if not flavour.supported:
            raise OdooTooOld(
                _("This Odoo is version {version}; Grading Station needs Odoo {oldest} or newer.").format(
                    version=flavour.major, oldest=OLDEST_SUPPORTED),
                detail=flavour.server_version,
            )
        self._login(odoo)
        self._odoo, self._flavour = odoo, flavour
        try:
            self._check_rights()
        except BaseException:
            self._odoo = None  # not usable until the rights check has passed
            raise
        log.odoo.info(
            "connected to Odoo %s at %s as %s (uid %s)",
            flavour.server_version,
            url,
            self.settings.login,
            self._uid,
        )

    def _login(self, odoo: odoorpc.ODOO) -> None:
        s = self.settings
        secret_word = "API key" if s.secret_is_api_key else "password"
        try:
            self._count()  # common.login, then res.users.context_get when it succeeded
            odoo.login(s.database, s.login, s.secret)
            self._count()
        except odoorpc.error.RPCError as exc:
            if is_missing_database(exc):
                raise OdooWrongDatabase(
                    _("There is no database '{database}' on the Odoo server at {url}.").format(
                        database=s.database, url=s.url), detail=rpc_text(exc)
                ) from exc
            if not exc.info:  # odoorpc's own "Wrong login ID or password": common.login answered false
                raise OdooWrongCredentials(
                    f"Odoo refused the login '{s.login}' with this {secret_word}. "
                    "Check both in the settings.",
                    detail=rpc_text(exc),
                ) from exc
            raise map_rpc_error(exc, "log in") from exc
        except TRANSPORT_ERRORS as exc:
            raise map_transport_error(exc, s.url) from exc
        self._uid = odoo.env.uid

    def _check_rights(self) -> None:
        """Every scan and commit needs Inventory / User: say so at login rather than at the first commit."""
        groups = self.call(
            "ir.model.data",
            "search_read",
            [[["model", "=", "res.groups"], ["module", "=", "stock"], ["name", "=", "group_stock_user"]]],
            {"fields": ["res_id"], "limit": 1},
            what=N_("check the Inventory rights"),
        )
        if not groups:
            self._odoo = None
            raise OdooMissingRights(_("The Inventory app is not installed in this Odoo database."))
        field = self.flavour.user_groups_field
        user = self.call("res.users", "read", [[self._uid], [field]], what=N_("check the Inventory rights"))
        if not user or groups[0]["res_id"] not in (user[0].get(field) or []):
            self._odoo = None
            raise OdooMissingRights(
                _("The Odoo user '{login}' has no Inventory rights. "
                  "Ask an Odoo administrator to give it at least Inventory / User.").format(login=self.settings.login)
            )

    # -- calling ---------------------------------------------------------------------------------------------
    def call(
        self, model: str, method: str, args: list | None = None, kwargs: dict | None = None, *, what: str = ""
    ) -> object:
        """`execute_kw(model, method, args, kwargs)`; `what` names the operation in error messages.

        Calls from several workers run side by side (each is its own HTTP request carrying the credentials);
        only logging in is serialised."""
        what = what or f"run {model}.{method}"
        odoo = self._client()
        try:
            return self._checked(odoo, model, method, args, kwargs, what)
        except odoorpc.error.RPCError as exc:
            if not (is_session_expired(exc) or "AccessDenied" in str(exc.info)):
                raise map_rpc_error(exc, what) from exc
            log.odoo.info("Odoo session expired or credentials refused; logging in again")
        with self._lock:
            if self._odoo is odoo:  # else another worker already logged in again
                self._odoo = None
            odoo = self._client()
        try:
            return self._checked(odoo, model, method, args, kwargs, what)
        except odoorpc.error.RPCError as exc:
            raise map_rpc_error(exc, what) from exc

    def _checked(
        self, odoo: odoorpc.ODOO, model: str, method: str, args: list | None, kwargs: dict | None, what: str
    ) -> object:
        """The answer, once it has the shape `method` answers with: the mappers then never meet a string where
        an id belongs (a TypeError there would stop the item for good, as a bug)."""
        answer = self._execute(odoo, model, method, args, kwargs, what)
        problem = shape_problem(method, args or [], kwargs or {}, answer)
        if problem:
            raise unexpected_answer(what, f"{model}.{method}: {problem}: {answer!r}"[:2000])
        return answer

    def _client(self) -> odoorpc.ODOO:
        with self._lock:
            if self._odoo is None:
                self._connect()
            assert self._odoo is not None
            return self._odoo

    def _execute(
        self, odoo: odoorpc.ODOO, model: str, method: str, args: list | None, kwargs: dict | None,
        what: str = "",
    ) -> object:
        self._count()
        try:
            result = odoo.execute_kw(model, method, args or [], kwargs or {})
        except TRANSPORT_ERRORS as exc:
            # /jsonrpc carries the credentials in every call, so the login survives a dropped connection
            error = map_transport_error(exc, self.settings.url)
            self.reachability.note(False, error.user_message)
            raise error from exc
        except odoorpc.error.RPCError:
            self.reachability.note(True)  # Odoo answered, even if with a refusal
            raise
        except (KeyError, TypeError, AttributeError, IndexError) as exc:
            # odoorpc reads the envelope blindly (`data["error"]["data"]["message"]`, `body.get`): a body of
            # [] or an error without `data` ends here. Arguments JSON cannot carry are our bug, not Odoo's.
            try:
                json.dumps([args, kwargs])
            except (TypeError, ValueError):
                raise exc from None
            raise unexpected_answer(what or f"run {model}.{method}", f"{model}.{method}: {exc!r}") from exc
        self.reachability.note(True)
        return result

    def close(self) -> None:
        with self._lock:
            self._odoo = None
