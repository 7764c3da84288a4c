"""Chatter (mail.thread): creation messages, followers, message_post, mail.message and ir.attachment."""

from __future__ import annotations

import base64
import binascii
import hashlib
import html
import mimetypes
import re
from typing import Any

from grading_station.sim.odoo.errors import user_error, value_error
from grading_station.sim.odoo.logic import ModelLogic
from grading_station.sim.odoo.orm import Env, Orm

NOTE_SUBTYPE = 2
COMMENT_SUBTYPE = 1
_SUBTYPES = {"mail.mt_note": NOTE_SUBTYPE, "mail.mt_comment": COMMENT_SUBTYPE}
_TAG = re.compile(r"<[^>]+>")


def install(logic: ModelLogic) -> None:
    """Give a model the mail.thread fields and message_post."""
    logic.computes.update(
        message_ids=lambda orm, rec: _message_ids(orm, logic.model, rec["id"]),
        has_message=lambda orm, rec: bool(_message_ids(orm, logic.model, rec["id"])),
        message_attachment_count=lambda orm, rec: len(_attachments(orm, logic.model, rec["id"])),
        message_follower_ids=lambda orm, rec: [f["id"] for f in _followers(orm, logic.model, rec["id"])],
        message_partner_ids=lambda orm, rec: [
            f["partner_id"] for f in _followers(orm, logic.model, rec["id"])
        ],
    )
    logic.methods["message_post"] = lambda env, ids, **kwargs: message_post(env, logic.model, ids, **kwargs)


def _message_ids(orm: Orm, model: str, rid: int) -> list[int]:
    ids = orm.db.lookup("mail.message", "res_id", rid) or set()
    return sorted((i for i in ids if orm.db.tables["mail.message"][i].get("model") == model), reverse=True)


def _attachments(orm: Orm, model: str, rid: int) -> list[dict[str, Any]]:
    return [
        a
        for a in orm.db.tables["ir.attachment"].values()
        if a.get("res_model") == model and a.get("res_id") == rid
    ]


def _followers(orm: Orm, model: str, rid: int) -> list[dict[str, Any]]:
    return [
        f for f in orm.db.tables["mail.followers"].values() if f["res_model"] == model and f["res_id"] == rid
    ]


def user_partner(env: Env) -> int:
    return env.db.tables["res.users"][env.uid]["partner_id"]


def log_creation(env: Env, model: str, rid: int, body: str) -> None:
    """The tracking note Odoo logs when a record is created, and the creator as follower."""
    partner = user_partner(env)
    env.db.insert(
        "mail.followers",
        {"id": env.db.next_id("mail.followers"), "res_model": model, "res_id": rid, "partner_id": partner},
    )
    _insert_message(
        env, model, rid, body, "notification", NOTE_SUBTYPE, [], partner, record_name=False, is_internal=True
    )


def log_tracking(env: Env, model: str, rid: int) -> None:
    """The message carrying tracked-field changes (state) that Odoo logs on confirm/validate."""
    _insert_message(
        env,
        model,
        rid,
        "",
        "notification",
        NOTE_SUBTYPE,
        [],
        user_partner(env),
        record_name=False,
        is_internal=True,
    )


def purge(env: Env, model: str, rid: int) -> None:
    for mid in _message_ids(env.orm, model, rid):
        env.db.delete("mail.message", mid)
    for att in _attachments(env.orm, model, rid):
        env.db.delete("ir.attachment", att["id"])
    for fol in _followers(env.orm, model, rid):
        env.db.delete("mail.followers", fol["id"])


def _insert_message(
    env: Env,
    model: str,
    rid: int,
    body: str,
    message_type: str,
    subtype: int,
    attachment_ids: list[int],
    author: int,
    *,
    record_name: Any,
    is_internal: bool,
) -> int:
    mid = env.db.next_id("mail.message")
    env.db.insert(
        "mail.message",
        {
            "id": mid,
            "body": body,
            "message_type": message_type,
            "subtype_id": subtype,
            "attachment_ids": list(attachment_ids),
            "author_id": author,
            "date": env.now(),
            "model": model,
            "res_id": rid,
            "record_name": record_name,
            "is_internal": is_internal,
            "create_date": env.now(),
            "write_date": env.now(),
            "create_uid": env.uid,
            "write_uid": env.uid,
        },
    )
    return mid


def message_post(
    env: Env,
    model: str,
    ids: list[int],
    *,
    body: str = "",
    subject: Any = None,
    message_type: str = "notification",
    body_is_html: bool = False,
    subtype_xmlid: str | None = None,
    subtype_id: Any = False,
    attachment_ids: list[int] | None = None,
    partner_ids: Any = None,
    author_id: Any = None,
    email_from: Any = None,
    parent_id: Any = False,
    **kwargs: Any,
) -> int:
    if len(ids) != 1:
        raise value_error(
            f"Expected singleton: {model}({', '.join(map(str, ids))}{',' if len(ids) == 1 else ''})"
        )
    rid = ids[0]
    rec = env.db.tables[model].get(rid)
    if rec is None:
        from grading_station.sim.odoo.errors import missing_error

        raise missing_error(model, ids, env.uid)
    author = author_id or user_partner(env)
    partner = env.db.tables["res.partner"].get(author, {})
    if not email_from and not partner.get("email"):
        raise user_error("Unable to send message, please configure the sender's email address.")
    text = body or ""
    if not body_is_html:
        text = "<p>" + html.escape(text, quote=False).replace("\n", "<br>") + "</p>" if text else ""
    subtype = subtype_id or _SUBTYPES.get(subtype_xmlid or "mail.mt_note", NOTE_SUBTYPE)
    return _insert_message(
        env,
        model,
        rid,
        text,
        message_type,
        subtype,
        attachment_ids or [],
        author,
        record_name=env.orm.display_name(model, rec),
        is_internal=False,
    )


class Message(ModelLogic):
    model = "mail.message"
    order = "id desc"
    rec_name = None

    def __init__(self) -> None:
        super().__init__()
        self.computes["preview"] = lambda orm, rec: html.unescape(_TAG.sub("", rec.get("body") or ""))[:190]

    def display_name(self, orm: Orm, rec: dict[str, Any]) -> str:
        return rec.get("record_name") or ""


class Subtype(ModelLogic):
    model = "mail.message.subtype"


def sniff_mimetype(raw: bytes, name: str) -> str:
    signatures = (
        (b"\xff\xd8\xff", "image/jpeg"),
        (b"\x89PNG\r\n\x1a\n", "image/png"),
        (b"%PDF-", "application/pdf"),
        (b"GIF8", "image/gif"),
        (b"PK\x03\x04", "application/zip"),
    )
    for magic, mimetype in signatures:
        if raw.startswith(magic):
            return mimetype
    guessed = mimetypes.guess_type(name or "")[0]
    if guessed:
        return guessed
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return "application/octet-stream"
    return "text/plain"


class Attachment(ModelLogic):
    model = "ir.attachment"
    order = "id desc"
    not_null = ("name",)

    def before_create(self, env: Env, vals: dict[str, Any]) -> None:
        datas = vals.pop("datas", None)
        raw = vals.pop("raw", None)
        if datas:
            try:
                raw = base64.b64decode(datas)
            except (binascii.Error, ValueError) as exc:
                raise value_error(str(exc)) from None
        if isinstance(raw, str):
            raw = raw.encode()
        if raw is not None:
            vals.update(_raw=raw, file_size=len(raw), checksum=hashlib.sha1(raw).hexdigest())
            vals.setdefault("mimetype", sniff_mimetype(raw, vals.get("name", "")))
        vals.setdefault("type", "binary")
        vals.setdefault("public", False)
        vals.setdefault("res_id", 0 if vals.get("res_model") else False)

    def __init__(self) -> None:
        super().__init__()
        self.computes["datas"] = lambda orm, rec: (
            base64.b64encode(rec["_raw"]).decode() if rec.get("_raw") else False
        )
        self.computes["raw"] = self.computes["datas"]


def register(registry: Any) -> None:
    for cls in (Message, Subtype, Attachment):
        registry.add(cls())
