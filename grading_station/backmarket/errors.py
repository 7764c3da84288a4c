"""One error type for every failure of a Back Market call, parsed from any of its error generations."""

from __future__ import annotations

import json
from enum import StrEnum

import httpx

from grading_station.errors import KnownError
from grading_station.i18n import N_, _


class Failure(StrEnum):
    """Why a call failed; decides what the user is told and whether the outbox retries."""

    AUTH = "auth"  # 401: token missing, wrong or expired; retrying cannot help until someone fixes it
    BOT_CHALLENGE = "bot_challenge"  # 403 from Cloudflare's WAF; not a credentials problem
    FORBIDDEN = "forbidden"  # 403 from Back Market itself (not a merchant, channel disabled)
    NOT_FOUND = "not_found"
    INVALID = "invalid"  # 400/422: Back Market refused the data
    THROTTLED = "throttled"  # 429
    SERVER = "server"  # 5xx
    UNREACHABLE = "unreachable"  # connection refused, DNS, timeout before an answer
    MALFORMED = "malformed"  # an answer we cannot read (bad JSON, unexpected shape, redirect)
    SETUP = (
        "setup"  # the settings (company, e-mail, markets, token) are incomplete: a person must fill them in
    )
    BUDGET = "budget"  # the hourly budget of SKU lines is spent (ours, or Back Market said so): wait
    CERTIFICATE = "certificate"  # TLS verification failed: not a network blip, retrying blindly cannot help


_RETRYABLE = {
    Failure.BUDGET,
    Failure.BOT_CHALLENGE,
    Failure.THROTTLED,
    Failure.SERVER,
    Failure.UNREACHABLE,
    Failure.MALFORMED,
}

_USER_TEXT = {  # marked here, translated when an error is raised
    Failure.AUTH: N_(
        "Back Market refused the API token (missing, wrong or expired). Create a new token in the "
        "Back Office (Options > Integrations) and enter it in the settings."
    ),
    Failure.BOT_CHALLENGE: N_(
        "Back Market's firewall blocked the request (bot protection). It is retried; if "
        "it persists, send the cf-ray code below to your Back Market contact."
    ),
    Failure.FORBIDDEN: N_("Back Market does not allow this operation for your account"),
    Failure.NOT_FOUND: N_("Back Market does not know this item"),
    Failure.INVALID: N_("Back Market refused the data"),
    Failure.THROTTLED: N_("Back Market asked us to slow down; the update waits and is retried."),
    Failure.SERVER: N_("Back Market is having problems; the update waits and is retried."),
    Failure.UNREACHABLE: N_("Back Market cannot be reached; the update waits and is retried."),
    Failure.MALFORMED: N_("Back Market answered something unexpected ({what}); the update waits and is retried."),
    Failure.CERTIFICATE: N_(
        "Back Market's server certificate could not be verified ({what}), so nothing was sent: the "
        "connection may not be Back Market's. Check this computer's date and time and any proxy or "
        "antivirus that inspects HTTPS, then press Retry."
    ),
    Failure.SETUP: N_("Back Market is not set up (Settings → Back Market)"),
    Failure.BUDGET: N_("The hourly Back Market listing budget (2,000 lines) is used up; the update waits"),
}


class BackMarketError(KnownError):
    """A failed Back Market call: `failure` says why, `status`/`code`/`message` what the server said,
    `request_id` and `cf_ray` identify the request for Back Market's support."""

    def __init__(
        self,
        failure: Failure,
        *,
        status: int | None = None,
        code: str = "",
        message: str = "",
        request_id: str = "",
        cf_ray: str = "",
        operation: str = "",
    ) -> None:
        text = _(_USER_TEXT[failure])
        if failure in (Failure.MALFORMED, Failure.CERTIFICATE):
            text = text.format(what=message or _("no details"))
        elif message and failure in (
            Failure.FORBIDDEN,
            Failure.NOT_FOUND,
            Failure.INVALID,
            Failure.BUDGET,
            Failure.SETUP,
        ):
            text = f"{text}: {message}"
        if cf_ray and failure is Failure.BOT_CHALLENGE:
            text = f"{text} (cf-ray {cf_ray})"
        ids = ", ".join(
            x
            for x in (f"requestId {request_id}" if request_id else "", f"cf-ray {cf_ray}" if cf_ray else "")
            if x
        )
        detail = f"{operation}: HTTP {status} {code} {message}".strip() + (f" [{ids}]" if ids else "")
        super().__init__(text, detail=detail, retryable=failure in _RETRYABLE)
        self.failure = failure
        self.status = status
        self.code = code
        self.message = message
        self.request_id = request_id
        self.cf_ray = cf_ray
        self.operation = operation
        self.maybe_applied = False  # a write timed out: it may have been applied, read back before retrying


def _first_error(items: object) -> dict:
    if isinstance(items, list) and items and isinstance(items[0], dict):
        return items[0]
    return {}


def parse_error_body(text: str) -> tuple[str, str, str, bool]:
    """(code, message, request_id, is_bot_challenge) from a body of any documented error shape.

    Order from API-NOTES §3: bare JSON string, `errors` list (V2, and the bot challenge), `error` + `status`
    (V3), `error` (V1), `type`/`title` (RFC 7807 Problem), then the raw text (e.g. Cloudflare's HTML page)."""
    try:
        body = json.loads(text) if text.strip() else None
    except ValueError:
        return "", text.strip()[:300], "", False
    if isinstance(body, str):
        return "", body, "", False
    if not isinstance(body, dict):
        return "", text.strip()[:300], "", False
    request_id = str(body.get("requestId") or "")
    if (
        isinstance(body.get("errors"), list)
        and not isinstance(body.get("error"), dict)
        and "title" not in body
    ):
        first = _first_error(body["errors"])
        code = str(first.get("code") or "")
        bot = code == "bot-need-challenge" or "challengePath" in first
        return code, str(first.get("message") or ""), request_id, bot
    if isinstance(body.get("error"), dict):
        err = body["error"]
        message = str(err.get("message") or body.get("title") or "")
        details = _field_details(body)  # OrderIdValidationError / V3 validation errors carry the field too
        return str(err.get("code") or ""), f"{message} ({details})" if details else message, request_id, False
    if "title" in body or "type" in body:
        message = str(body.get("detail") or body.get("title") or "")
        extra = _first_error(body.get("errors"))
        if extra:
            message = (
                f"{message} ({extra.get('target') or ''}: {extra.get('detail') or extra.get('title') or ''})"
            )
        return str(body.get("type") or ""), message, request_id, False
    if details := _field_details(body):
        return "", details, request_id, False
    return "", text.strip()[:300], request_id, False


def _field_details(body: dict) -> str:
    """`data.fields` ({field: [problems]}) and `errors[]` ({field, message}) as "field: problem; ..."."""
    parts = []
    fields = body.get("data", {}).get("fields") if isinstance(body.get("data"), dict) else None
    if isinstance(fields, dict):
        parts += [f"{k}: {', '.join(map(str, v)) if isinstance(v, list) else v}" for k, v in fields.items()]
    for item in body.get("errors") if isinstance(body.get("errors"), list) else ():
        field = isinstance(item, dict) and (item.get("field") or item.get("target"))
        if field:
            parts.append(f"{field}: {item.get('message') or item.get('detail') or ''}")
    return "; ".join(parts)


def error_from_response(response: httpx.Response, operation: str) -> BackMarketError:
    """The BackMarketError for a non-2xx answer."""
    status = response.status_code
    code, message, request_id, bot = parse_error_body(response.text)
    cf_ray = response.headers.get("cf-ray", "")
    is_html = "text/html" in response.headers.get("content-type", "")
    if status == 401:
        failure = Failure.AUTH
    elif status == 403:
        # Cloudflare's WAF answers 403 with an HTML page or a bot-need-challenge list: not bad credentials.
        failure = Failure.BOT_CHALLENGE if bot or is_html else Failure.FORBIDDEN
    elif status == 404:
        failure = Failure.NOT_FOUND
    elif status == 429:
        failure = Failure.THROTTLED
    elif status >= 500:
        failure = Failure.SERVER
    elif 300 <= status < 400:
        failure, message = (
            Failure.MALFORMED,
            f"unexpected redirect to {response.headers.get('location', '?')}",
        )
    else:
        failure = Failure.INVALID
    if is_html and not bot:
        message = message if failure is Failure.MALFORMED else ""
    return BackMarketError(
        failure,
        status=status,
        code=code,
        message=message,
        request_id=request_id,
        cf_ray=cf_ray,
        operation=operation,
    )
