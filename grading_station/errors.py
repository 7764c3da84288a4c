"""Errors the user sees ("the world failed") as opposed to bugs, which go to the crash dialog."""

from __future__ import annotations

from grading_station.domain.reasons import Reason


class KnownError(Exception):
    """A failure with a message in the user's words (Odoo down, a refusal, bad input, a full disk).

    `user_message` is what the screen shows; `detail` is the technical reason kept for the log and the
    Activity panel; `retryable` tells the outbox whether trying again later can help. The domain passes a
    `Reason` (a code with parameters) instead of a sentence: `reason` keeps it, and `user_message` words it in
    the station's language when read (`str(error)` stays English, for the log).
    """

    def __init__(self, user_message: str | Reason, *, detail: str = "", retryable: bool = False) -> None:
        self.reason = user_message if isinstance(user_message, Reason) else None
        self._message = "" if isinstance(user_message, Reason) else user_message
        super().__init__(self._message or user_message)
        self.detail = detail
        self.retryable = retryable

    @property
    def user_message(self) -> str:
        if self.reason is None:
            return self._message
        from grading_station.wording import describe  # noqa: PLC0415 (wording imports the domain, which imports us)

        return describe(self.reason)

    def __str__(self) -> str:
        if self.reason is None:
            return self._message
        from grading_station.wording import describe_source  # noqa: PLC0415

        return describe_source(self.reason)


class InputError(KnownError):
    """Bad input from a person or a scanner: never retryable, nothing is stored."""


class RemoteUnavailable(KnownError):
    """A remote system could not be reached or timed out; the work waits and is retried."""

    def __init__(self, user_message: str | Reason, *, detail: str = "") -> None:
        super().__init__(user_message, detail=detail, retryable=True)


class RemoteRefused(KnownError):
    """A remote system refused the request (validation, access rights); retrying the same call won't help."""


class RemoteBug(RemoteRefused):
    """A remote system reports a programming error for our request (Odoo's ValueError/TypeError): a bug on one
    side or the other. Not retried by itself; logged once with its traceback and shown until someone retries."""


class StoreBusy(KnownError):
    """The local database is locked by another process or connection; trying again later helps."""

    def __init__(self, user_message: str, *, detail: str = "") -> None:
        super().__init__(user_message, detail=detail, retryable=True)


class DiskFull(KnownError):
    """The disk holding the local database is full."""


class DamagedDatabase(KnownError):
    """The local database file is damaged (corrupt, not a database, unreadable text in it)."""
