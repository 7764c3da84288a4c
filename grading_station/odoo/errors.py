"""Odoo failures in the user's words: KnownError subclasses and the mapping from odoorpc/urllib errors."""

from __future__ import annotations

import http.client
import json
import re
import socket
import ssl
import urllib.error

import odoorpc.error

from grading_station.errors import RemoteBug, RemoteRefused, RemoteUnavailable
from grading_station.i18n import _


class OdooUnreachable(RemoteUnavailable):
    """No answer from the Odoo address (refused, unknown host, timeout, server error page)."""


class OdooWrongDatabase(RemoteRefused):
    """The database name in the settings does not exist on that Odoo server."""


class OdooWrongCredentials(RemoteRefused):
    """Odoo refused the login or the password / API key."""


class OdooMissingRights(RemoteRefused):
    """The Odoo user lacks the Inventory rights the station needs."""


class OdooTooOld(RemoteRefused):
    """The Odoo server is older than the oldest version the station supports."""


class OdooUnexpectedAnswer(RemoteUnavailable):
    """Odoo answered, but not in the shape its API has (a proxy's page, a half-written answer, a different
    server): retried, and shown."""


class OdooBug(RemoteBug):
    """Odoo raised a programming error (ValueError, TypeError...) for our request: a bug in the station's
    request or in Odoo's set-up, not something a retry fixes."""


def unexpected_answer(what: str, detail: str) -> OdooUnexpectedAnswer:
    return OdooUnexpectedAnswer(
        _("Odoo answered something unexpected while trying to {what}; it will be tried again.").format(what=_(what)),
        detail=detail,
    )


# Odoo exception classes that mean "Odoo looked at the request and said no" (business refusals).
_REFUSALS = {
    "odoo.exceptions.AccessError",
    "odoo.exceptions.UserError",
    "odoo.exceptions.ValidationError",
    "odoo.exceptions.MissingError",
    "odoo.exceptions.RedirectWarning",
}
# Python's own exceptions raised inside Odoo: the request does not fit (our bug, or a module's). Not
# AttributeError: Odoo raises it for a method a version lacks (read_group in Odoo 19), which callers handle.
_BUGS = ("ValueError", "TypeError", "KeyError", "IndexError")
# Postgres trouble that goes away by itself: retry later.
_TRANSIENT = (
    "psycopg2.OperationalError",
    "psycopg2.errors.SerializationFailure",
    "psycopg2.extensions.TransactionRollbackError",
    "psycopg2.errors.LockNotAvailable",
)

_RECORD_SUFFIX = re.compile(r"\n?\(Record: [^)]*\)?,? ?User: \d+\)\s*$")


def rpc_error_name(exc: odoorpc.error.RPCError) -> str:
    """The dotted class of the server-side exception (`data.name`), '' when odoorpc raised it itself."""
    info = exc.info if isinstance(exc.info, dict) else {}
    data = info.get("data")
    name = data.get("name") if isinstance(data, dict) else None
    return name if isinstance(name, str) else ""


def is_well_formed(exc: odoorpc.error.RPCError) -> bool:
    """An error envelope as Odoo writes it: `data` with the exception's `name` and `message` as text."""
    info = exc.info
    data = info.get("data") if isinstance(info, dict) else None
    return (isinstance(data, dict) and isinstance(data.get("name"), str) and bool(data["name"])
            and isinstance(data.get("message"), str))


def rpc_text(exc: odoorpc.error.RPCError) -> str:
    """The error's message; odoorpc's str() fails when Odoo (or something posing as it) sent a non-text one."""
    message = exc.args[0] if exc.args else ""
    return message if isinstance(message, str) else repr(message)


def is_session_expired(exc: odoorpc.error.RPCError) -> bool:
    info = exc.info if isinstance(exc.info, dict) else {}
    return info.get("code") == 100 or rpc_error_name(exc).endswith("SessionExpiredException")


def clean_message(message: str) -> str:
    """Odoo's own text, tidied for a person: no technical record suffix, no trailing blank lines."""
    text = _RECORD_SUFFIX.sub("", str(message)).strip()
    text = text.replace("\t", "")
    return re.sub(r"\n{3,}", "\n\n", text)


def is_missing_database(exc: odoorpc.error.RPCError) -> bool:
    name = rpc_error_name(exc)
    text = rpc_text(exc)
    return (name.startswith("psycopg2") and "does not exist" in text and "database" in text) or (
        "Database not found" in text
    )


def map_rpc_error(exc: odoorpc.error.RPCError, what: str) -> Exception:
    """The KnownError to raise for an error envelope from Odoo while doing `what` (e.g. "create the lot")."""
    if not is_well_formed(exc):
        return unexpected_answer(what, f"malformed error envelope: {exc.info!r}"[:2000])
    name = rpc_error_name(exc)
    detail = f"{name}: {rpc_text(exc)}"
    if name == "odoo.exceptions.AccessDenied":
        return OdooWrongCredentials(
            "Odoo no longer accepts the station's login (password or API key changed?). "
            "Check the Odoo settings.",
            detail=detail,
        )
    if is_missing_database(exc):
        return OdooWrongDatabase(
            _("The Odoo database in the settings does not exist on that server."), detail=detail
        )
    if name.startswith(_TRANSIENT):
        return RemoteUnavailable(
            _("Odoo's database is busy or unavailable; could not {what}. It will be retried.").format(what=_(what)),
            detail=detail
        )
    if name in _REFUSALS:
        reason = clean_message(rpc_text(exc))
        if name == "odoo.exceptions.MissingError":
            reason = _("A record it needs no longer exists in Odoo (deleted meanwhile?).")
        return RemoteRefused(_("Odoo refused to {what}: {reason}").format(what=_(what), reason=reason), detail=detail)
    if name.rsplit(".", 1)[-1] in _BUGS:  # builtins.ValueError, exceptions.TypeError (older Odoo)...
        debug = exc.info["data"].get("debug")
        return OdooBug(
            _("Odoo could not {what}: it reports a programming error ({error}: {reason}). Retrying will not "
              "help until it is fixed; the details are in the log.").format(
                what=_(what), error=name.rsplit(".", 1)[-1], reason=clean_message(rpc_text(exc))),
            detail=f"{detail}\n{debug}" if isinstance(debug, str) and debug else detail,
        )
    # Other Odoo exceptions: the request does not fit this server (a version mismatch, a module's rule).
    return RemoteRefused(_("Odoo could not {what}: {reason}").format(what=_(what), reason=clean_message(rpc_text(exc))),
                         detail=detail)


def map_transport_error(exc: BaseException, url: str) -> OdooUnreachable:
    """The error to raise when the HTTP exchange itself failed."""
    if isinstance(exc, urllib.error.HTTPError):
        if exc.code >= 500 and exc.code != 501:  # 501: the server does not do POST, so not Odoo
            # the HTTP code stays in `detail` (repr), for the Activity details: the user needs the gist
            text = _("Odoo at {url} is having trouble (a server error); it will be tried again.").format(url=url)
        else:
            text = _("The address {url} does not answer like an Odoo server. Check the URL.").format(url=url)
        return OdooUnreachable(text, detail=repr(exc))
    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, (TimeoutError, socket.timeout)):
        text = f"Odoo at {url} did not answer in time."
    elif isinstance(reason, socket.gaierror):
        text = f"The Odoo server name in {url} is unknown (check the address and the network)."
    elif isinstance(reason, ssl.SSLError):
        text = f"The secure connection to {url} failed ({reason}). Check the address and its certificate."
    elif isinstance(reason, ConnectionRefusedError):
        text = f"Nothing answers at {url}: is Odoo running, and is the address right?"
    elif isinstance(exc, (json.JSONDecodeError, UnicodeDecodeError)):
        text = f"The address {url} does not answer like an Odoo server. Check the Odoo URL."
    elif isinstance(reason, (ConnectionError, http.client.HTTPException, OSError)):
        text = f"The connection to Odoo at {url} was lost."
    else:
        text = f"Odoo at {url} could not be reached."
    return OdooUnreachable(text, detail=repr(exc))


TRANSPORT_ERRORS: tuple[type[BaseException], ...] = (
    urllib.error.URLError,
    OSError,
    http.client.HTTPException,
    json.JSONDecodeError,
    UnicodeDecodeError,
)
