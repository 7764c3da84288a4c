"""Errors the user sees ("the world failed") as opposed to bugs, which go to the crash dialog."""

from __future__ import annotations


class KnownError(Exception):
    """A failure with a message in the user's words (Odoo down, a refusal, bad input, a full disk).

    `user_message` is what the screen shows; `detail` is the technical reason kept for the log and the
    Activity panel; `retryable` tells the outbox whether trying again later can help.
    """

    def __init__(self, user_message: str, *, detail: str = "", retryable: bool = False) -> None:
        super().__init__(user_message)
        self.user_message = user_message
        self.detail = detail
        self.retryable = retryable


class InputError(KnownError):
    """Bad input from a person or a scanner: never retryable, nothing is stored."""


class RemoteUnavailable(KnownError):
    """A remote system could not be reached or timed out; the work waits and is retried."""

    def __init__(self, user_message: str, *, detail: str = "") -> None:
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
