"""The shape of Odoo's answers to the ORM methods the station calls, checked before any mapper reads them."""

from __future__ import annotations


def _ints(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, int) and not isinstance(v, bool) for v in value)


def _records(value: object, fields: object) -> bool:
    """A list of dicts, each with an integer id and every field asked for (Odoo answers False when empty)."""
    if not isinstance(value, list):
        return False
    wanted = [f for f in fields if isinstance(f, str)] if isinstance(fields, list) else []
    return all(
        isinstance(row, dict) and isinstance(row.get("id"), int) and all(f in row for f in wanted)
        for row in value
    )


def _fields(args: list, kwargs: dict, position: int) -> object:
    return kwargs.get("fields", args[position] if len(args) > position else None)


def shape_problem(method: str, args: list, kwargs: dict, answer: object) -> str:
    """Why `answer` cannot be what Odoo's `method` returns ('' when it can). Other methods (action_confirm,
    button_validate...) are not checked: their answers vary, and a body without a result reads as None."""
    if method == "create":
        many = bool(args) and isinstance(args[0], list)
        # one id per record asked for: the mappers pair them up (zip(..., strict=True))
        ok = (_ints(answer) and len(answer) == len(args[0])) if many else (
            isinstance(answer, int) and not isinstance(answer, bool))
        ok = ok or (not many and _ints(answer) and len(answer) == 1)  # Odoo 17+ may answer [id]
        return "" if ok else f"create answered {type(answer).__name__}, not the new record id(s)"
    if method == "search":
        return "" if _ints(answer) else f"search answered {type(answer).__name__}, not a list of ids"
    if method == "search_count":
        ok = isinstance(answer, int) and not isinstance(answer, bool)
        return "" if ok else f"search_count answered {type(answer).__name__}, not a number"
    if method == "search_read":
        return "" if _records(answer, _fields(args, kwargs, 1)) else "search_read answered records of the wrong shape"
    if method == "read":
        return "" if _records(answer, _fields(args, kwargs, 1)) else "read answered records of the wrong shape"
    if method in ("write", "unlink"):
        return "" if isinstance(answer, bool) else f"{method} answered {type(answer).__name__}, not true/false"
    if method == "message_post":
        ok = isinstance(answer, int) and not isinstance(answer, bool)
        return "" if ok else f"message_post answered {type(answer).__name__}, not the message id"
    if method == "read_group":
        ok = isinstance(answer, list) and all(isinstance(row, dict) for row in answer)
        return "" if ok else "read_group answered groups of the wrong shape"
    return ""
