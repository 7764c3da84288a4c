"""Odoo's server-side exceptions as the simulator raises them, rendered into JSON-RPC error envelopes."""

from __future__ import annotations

from typing import Any


class OdooError(Exception):
    """An error Odoo reports in a JSON-RPC envelope: `name` is the dotted Python class, `message` its text."""

    code = 200

    def __init__(self, name: str, message: str, *, debug_line: str | None = None) -> None:
        super().__init__(message)
        self.name = name
        self.message = message
        self._debug_line = debug_line

    def debug(self) -> str:
        """The last traceback line, as Odoo prints it (the recordings trim tracebacks to it)."""
        if self._debug_line is not None:
            line = self._debug_line
        else:
            short = self.name.removeprefix("builtins.")
            text = f"{short}: {self.message}"
            lines = [ln for ln in text.split("\n") if ln.strip()]
            line = lines[-1] if lines else text
        return f"<traceback trimmed> {line}"

    def envelope_error(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": "Odoo Server Error",
            "data": {
                "name": self.name,
                "debug": self.debug(),
                "message": self.message,
                "arguments": [self.message],
                "context": {},
            },
        }


class SessionExpired(OdooError):
    """No valid web session: answered with code 100 and a null id."""

    code = 100

    def __init__(self) -> None:
        super().__init__("odoo.http.SessionExpiredException", "Session expired")

    def envelope_error(self) -> dict[str, Any]:
        err = super().envelope_error()
        err["message"] = "Odoo Session Expired"
        return err


def user_error(message: str) -> OdooError:
    return OdooError("odoo.exceptions.UserError", message)


def validation_error(message: str) -> OdooError:
    return OdooError("odoo.exceptions.ValidationError", message)


def access_error(message: str) -> OdooError:
    return OdooError("odoo.exceptions.AccessError", message)


def access_denied(message: str = "Access Denied") -> OdooError:
    return OdooError("odoo.exceptions.AccessDenied", message)


def missing_error(model: str, ids: list[int], uid: int) -> OdooError:
    recs = ", ".join(str(i) for i in ids) + ("," if len(ids) == 1 else "")
    return OdooError(
        "odoo.exceptions.MissingError",
        f"Record does not exist or has been deleted.\n(Record: {model}({recs}), User: {uid})",
    )


def value_error(message: str) -> OdooError:
    return OdooError("builtins.ValueError", message)


def type_error(message: str) -> OdooError:
    return OdooError("builtins.TypeError", message)


def attribute_error(message: str) -> OdooError:
    return OdooError("builtins.AttributeError", message)


def key_error(key: str) -> OdooError:
    return OdooError("builtins.KeyError", key, debug_line=f"KeyError: {key!r}")


def assertion_error(message: str) -> OdooError:
    return OdooError("builtins.AssertionError", message)


def operational_error(db: str) -> OdooError:
    msg = f'connection to server at "127.0.0.1", port 5433 failed: FATAL:  database "{db}" does not exist\n'
    return OdooError("psycopg2.OperationalError", msg)


def mandatory_field_error(model_desc: str, model: str, field_desc: str, field: str) -> OdooError:
    return validation_error(
        "The operation cannot be completed:\n- Create/update: a mandatory field is not set.\n"
        "- Delete: another model requires the record being deleted. If possible, archive it instead.\n\n"
        f"Model: {model_desc} ({model})\nField: {field_desc} ({field})\n"
    )


def foreign_key_error(model_desc: str, model: str, constraint: str) -> OdooError:
    return validation_error(
        "The operation cannot be completed: another model requires the record being deleted. "
        f"If possible, archive it instead.\n\nModel: {model_desc} ({model})\nConstraint: {constraint}\n"
    )
