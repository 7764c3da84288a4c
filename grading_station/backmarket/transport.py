"""Sends one Back Market request: headers as the API requires, throttling, and errors mapped to one type."""

from __future__ import annotations

import ssl
import threading
from typing import Any

import httpx

from grading_station.backmarket.errors import BackMarketError, Failure, error_from_response
from grading_station.backmarket.limiter import RateLimiter
from grading_station.backmarket.regions import BackMarketSettings

from grading_station import log

# The edge answered for an origin that had the request (bad gateway, timeouts, Cloudflare 520/524): it may have
# acted. (521-523 mean the origin was never reached.)
_EDGE_TIMEOUTS = (502, 504, 520, 524)
SENSITIVE_PREFIX = "/ws/listings"  # Guide §Traffic limitation: ~20 requests / 10 s on "catalog" endpoints
# Transport errors raised before a request left this machine.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


def make_http(
    settings: BackMarketSettings, timeout: float = 15.0, transport: httpx.BaseTransport | None = None
) -> httpx.Client:
    """The httpx client to inject: base URL of the region, no redirects followed (GOTCHAS 25), and no
    client-wide Content-Type (it would override multipart boundaries, GOTCHAS 20)."""
    return httpx.Client(
        base_url=settings.base_url,
        timeout=timeout,
        follow_redirects=False,
        transport=transport,
        headers={"User-Agent": settings.user_agent},
    )


def _sku_lines_refused(method: str, url: str, response: httpx.Response) -> bool:
    """A 429 from Back Market itself (its V1 JSON `RateLimited` body on a listing write: the hourly SKU-lines
    limit, Guide §Data limitation), not from the edge (Cloudflare answers its own, non-JSON page)."""
    if method != "POST" or not httpx.URL(url).path.startswith("/ws/listings"):
        return False
    try:
        body = response.json()
    except ValueError:
        return False
    return isinstance(body, dict) and isinstance(body.get("error"), dict)


def tls_problem(exc: BaseException) -> str:
    """What TLS refused ("" when the failure is not TLS's): a certificate that does not verify is not a
    network blip, and retrying cannot fix it."""
    seen: BaseException | None = exc
    for _ in range(10):  # httpx wraps httpcore's error, which wraps ssl's
        if seen is None:
            break
        if isinstance(seen, ssl.SSLCertVerificationError):
            return seen.verify_message or seen.reason or "certificate verify failed"
        if isinstance(seen, ssl.SSLError):
            return seen.reason or str(seen)
        seen = seen.__cause__ or seen.__context__
    return "certificate verify failed" if "CERTIFICATE_VERIFY_FAILED" in str(exc) else ""


class Transport:
    """Adds the mandatory headers, waits for the limiter, retries after a 429 pause, maps failures.

    `requests_sent` counts the requests that left (benchmarks read it). Calls to `/ws/listings*` (and
    `catalog=True` ones) also wait for the stricter catalog limiter (< 20 / 10 s). After a 401
    the transport stops sending until `set_token` gives it a new token: an expired token is not retried.
    """

    def __init__(
        self,
        http: httpx.Client,
        token: str,
        settings: BackMarketSettings,
        limiter: RateLimiter,
        catalog_limiter: RateLimiter | None = None,
        throttle_retries: int = 1,
    ) -> None:
        self.http, self.settings = http, settings
        self.limiter = limiter
        self.catalog_limiter = catalog_limiter or RateLimiter(
            limit=18, window=10.0, pause_after_429=limiter.pause_after_429, name="catalog"
        )
        self.throttle_retries = throttle_retries
        self.requests_sent = 0
        self._token = token
        self._auth_error: BackMarketError | None = None
        self._lock = threading.Lock()
        self.setup_problem = ""

    def set_token(self, token: str) -> None:
        self._token, self._auth_error = token, None

    def configure(self, settings: BackMarketSettings, token: str) -> None:
        """New settings or token (saved in Settings): the next call uses them, and a 401 latch is lifted."""
        self.settings, self.setup_problem = settings, ""
        self.http.base_url = settings.base_url
        self.set_token(token)

    def unconfigure(self, problem: str) -> None:
        """The settings are incomplete: every call fails with SETUP (not retried) until `configure`."""
        self.setup_problem = problem

    def headers(self, market: str | None) -> dict[str, str]:
        # The guide's five headers on every call. The token is sent exactly as issued: httpx.BasicAuth would
        # base64 "token:" (GOTCHAS 18). Content-Type is set per request, never on the httpx client, where it
        # would override a multipart boundary (GOTCHAS 20); every call is JSON but the care replies (multipart).
        return {
            "Content-Type": "application/json",
            "Authorization": f"Basic {self._token}",
            "User-Agent": self.settings.user_agent,
            "Accept": "application/json",
            "Accept-Language": (market or self.settings.main_market).lower(),
        }

    def call(
        self,
        operation: str,
        method: str,
        url: str,
        *,
        market: str | None = None,
        params: dict[str, Any] | None = None,
        body: Any = None,
        catalog: bool = False,
        form: dict[str, str] | None = None,
        files: list[tuple[str, tuple[str, bytes, str]]] | None = None,
    ) -> Any:
        """The decoded JSON of a 2xx answer, or BackMarketError. A timeout raises UNREACHABLE with
        `maybe_applied=True` on writes: the caller reads the state back before retrying (no idempotency)."""
        if self.setup_problem:
            raise BackMarketError(Failure.SETUP, message=self.setup_problem, operation=operation)
        if self._auth_error is not None:
            raise self._auth_error
        if not self._token:
            raise BackMarketError(Failure.AUTH, message="no token configured", operation=operation)
        # A catalog-type request counts against its own 20 / 10 s limit AND the edge's overall one. The guide
        # names "catalog" only as an example of a sensitive endpoint: until Back Market says otherwise, every
        # `/ws/listings*` call (reads, single updates, the batch, `next` pages) is counted as one.
        sensitive = catalog or httpx.URL(url).path.startswith(SENSITIVE_PREFIX)
        limiters = (self.catalog_limiter, self.limiter) if sensitive else (self.limiter,)
        params = {k: v for k, v in (params or {}).items() if v is not None}
        for attempt in range(self.throttle_retries + 1):
            for limiter in limiters:
                limiter.acquire()
            with self._lock:
                self.requests_sent += 1
            try:
                if form is not None or files:  # multipart/form-data (care messages): httpx sets the boundary
                    headers = {k: v for k, v in self.headers(market).items() if k != "Content-Type"}
                    response = self.http.request(method, url, params=params or None, data=form, files=files,
                                                 headers=headers)
                else:
                    response = self.http.request(
                        method, url, params=params or None, json=body, headers=self.headers(market)
                    )
            except httpx.TimeoutException as exc:
                error = BackMarketError(
                    Failure.UNREACHABLE, message=f"timed out ({type(exc).__name__})", operation=operation
                )
                error.maybe_applied = method != "GET"
                raise error from exc
            except httpx.TransportError as exc:
                if problem := tls_problem(exc):  # not retried: the outbox stops and shows why
                    log.backmarket.info("%s %s: TLS refused: %s", method, url, problem)
                    raise BackMarketError(Failure.CERTIFICATE, message=problem, operation=operation) from exc
                error = BackMarketError(
                    Failure.UNREACHABLE, message=str(exc) or type(exc).__name__, operation=operation
                )
                # Only a connection never made proves the write was not sent; a dropped answer may hide one.
                error.maybe_applied = method != "GET" and not isinstance(exc, _NOT_SENT)
                raise error from exc
            log.backmarket.debug("%s %s -> %s", method, response.request.url.path, response.status_code)
            if response.status_code == 429 and _sku_lines_refused(method, url, response):
                # Back Market's hourly SKU-lines limit refused this write: the edge is not blocking us, so
                # reads and other calls go on (no pause), and resending now cannot help (no retry).
                error = error_from_response(response, operation)
                log.backmarket.info("%s", error.detail)
                raise BackMarketError(
                    Failure.BUDGET,
                    status=429,
                    message=error.message or "Back Market refused more SKU lines this hour",
                    request_id=error.request_id,
                    operation=operation,
                )
            if response.status_code == 429:
                for limiter in limiters:
                    limiter.throttled()
                if attempt < self.throttle_retries:
                    continue
            if not response.is_success:
                error = error_from_response(response, operation)
                if error.failure is Failure.AUTH:
                    self._auth_error = error
                # The edge gave up waiting for Back Market, which may still have done the write.
                error.maybe_applied = method != "GET" and response.status_code in _EDGE_TIMEOUTS
                log.backmarket.info("%s", error.detail)
                raise error
            try:
                return response.json() if response.content else None
            except ValueError as exc:
                raise BackMarketError(
                    Failure.MALFORMED,
                    status=response.status_code,
                    message=f"invalid JSON: {response.text[:80]!r}",
                    operation=operation,
                    request_id=response.headers.get("x-request-id", ""),
                    cf_ray=response.headers.get("cf-ray", ""),
                ) from exc
        raise AssertionError("unreachable")  # the loop always returns or raises
