"""The server side of Odoo's RPC: /jsonrpc services, web sessions, authentication and the login cooldown."""

from __future__ import annotations

import datetime as dt
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from grading_station.sim.odoo import dispatch, seed
from grading_station.sim.odoo.database import Database
from grading_station.sim.odoo.errors import (
    OdooError,
    SessionExpired,
    access_denied,
    access_error,
    key_error,
    missing_error,
    operational_error,
    type_error,
)
from grading_station.sim.odoo.logic import Registry
from grading_station.sim.odoo.models import base, chatter, picking, product, quant, repair, returns, sale, stock
from grading_station.sim.odoo.orm import Env, Orm

VERSION_INFO = {
    "server_version": "18.0+e-20241005",
    "server_version_info": [18, 0, 0, "final", 0, ""],
    "server_serie": "18.0",
    "protocol_version": 1,
}


def build_registry() -> Registry:
    registry = Registry()
    for module in (base, product, stock, quant, chatter, sale, picking, repair, returns):
        module.register(registry)
    return registry


@dataclass
class Session:
    """A web session (cookie `session_id`); `uid` is None until /web/session/authenticate succeeds."""

    sid: str
    uid: int | None = None
    db: str | None = None


@dataclass
class Faults:
    """Test hooks: injected Odoo errors for the next calls of model.method."""

    pending: dict[tuple[str, str], list[OdooError]] = field(default_factory=dict)

    def take(self, model: str, method: str) -> OdooError | None:
        queue = self.pending.get((model, method))
        return queue.pop(0) if queue else None


class OdooService:
    """One Odoo server with one database; thread-safe (one lock around the ORM)."""

    def __init__(
        self,
        db_name: str = "grading",
        *,
        listed_dbs: tuple[str, ...] = (),
        base_url: str = "",
        clock: Callable[[], dt.datetime] | None = None,
    ) -> None:
        self.db_name = db_name
        self.listed_dbs = (db_name, *listed_dbs)
        self.clock_offset = 0.0
        self._clock = clock or (lambda: dt.datetime.now(dt.UTC).replace(tzinfo=None))
        self.db = Database(db_name)
        seed.populate(self.db, base_url)
        self.orm = Orm(self.db, build_registry(), self.now)
        self.orm.is_manager = self.is_manager
        self.api_keys: dict[str, int] = {secrets.token_hex(20): 2}
        self.sessions: dict[str, Session] = {}
        self.faults = Faults()
        self._failures: dict[str, tuple[int, dt.datetime]] = {}
        self._lock = threading.Lock()

    # -- clock and users ------------------------------------------------------------------------------------
    def now(self) -> dt.datetime:
        return self._clock() + dt.timedelta(seconds=self.clock_offset)

    @property
    def admin_api_key(self) -> str:
        return next(k for k, uid in self.api_keys.items() if uid == 2)

    def is_manager(self, uid: int) -> bool:
        user = self.db.tables["res.users"].get(uid)
        return uid == 1 or bool(user and base.GROUP_SYSTEM in user.get("groups_id", []))

    def _check_password(self, uid: int, password: Any, *, api_key_ok: bool = True) -> bool:
        user = self.db.tables["res.users"].get(uid)
        if not user or not user.get("active", True) or not isinstance(password, str) or not password:
            return False
        # API keys stand in for the password over RPC only (scope "rpc"), never for an interactive web login.
        return password == user.get("_password") or (api_key_ok and self.api_keys.get(password) == uid)

    def _login(self, db: Any, login: Any, password: Any, *, api_key_ok: bool = True) -> int | bool:
        self._check_db(db)
        for uid, user in list(self.db.tables["res.users"].items()):
            if user.get("login") == login and self._check_password(uid, password, api_key_ok=api_key_ok):
                return uid
        return False

    def _check_db(self, db: Any) -> None:
        if db != self.db_name:
            raise operational_error(str(db))

    # -- /jsonrpc -------------------------------------------------------------------------------------------
    def jsonrpc(self, params: dict[str, Any]) -> Any:
        if "service" not in params:
            raise type_error("RPC.jsonrpc() missing 1 required positional argument: 'service'")
        service, method, args = params["service"], params.get("method"), list(params.get("args") or [])
        if service == "common":
            return self._common(method, args)
        if service == "object":
            return self._object(method, args)
        if service == "db":
            if method == "list":
                return list(self.listed_dbs)
            if method == "server_version":
                return VERSION_INFO["server_version"]
            raise OdooError("builtins.Exception", f"Method not found: {method}")
        raise key_error(str(service))

    def _common(self, method: str, args: list[Any]) -> Any:
        if method == "version":
            return dict(VERSION_INFO)
        if method == "login":
            return self._login(*_pad(args, 3, "login", ("db", "login", "password")))
        if method == "authenticate":
            db, login, password, _env = _pad(
                args, 4, "authenticate", ("db", "login", "password", "user_agent_env")
            )
            return self._login(db, login, password)
        raise OdooError("builtins.Exception", f"Method not found: {method}")

    def _object(self, method: str, args: list[Any]) -> Any:
        if method not in ("execute", "execute_kw"):
            raise OdooError("builtins.Exception", f"Method not found: {method}")
        if method == "execute_kw":
            names = ("db", "uid", "passwd", "obj", "method", "args")
            if len(args) < 6:
                missing = names[len(args) :]
                quoted = [f"'{m}'" for m in missing]
                joined = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]
                word = "argument" if len(missing) == 1 else "arguments"
                raise type_error(f"execute_kw() missing {len(missing)} required positional {word}: {joined}")
            db, uid, password, model, name, call_args = args[:6]
            kwargs = dict(args[6]) if len(args) > 6 and args[6] else {}
        else:
            if len(args) < 5:
                raise type_error("execute() missing required positional arguments")
            db, uid, password, model, name = args[:5]
            call_args, kwargs = list(args[5:]), {}
        self._check_db(db)
        if uid not in self.db.tables["res.users"]:
            raise missing_error("res.users", [uid], uid)
        if not self._check_password(uid, password):
            raise access_denied()
        return self.call(uid, model, name, call_args, kwargs)

    def call(self, uid: int, model: str, method: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
        fault = self.faults.take(model, method)
        if fault is not None:
            raise fault
        context = kwargs.pop("context", None) or {}
        env = Env(self.orm, uid, dict(context))
        return dispatch.call(env, model, method, list(args), kwargs)

    # -- web session ----------------------------------------------------------------------------------------
    def new_session(self) -> Session:
        session = Session(secrets.token_urlsafe(30))
        self.sessions[session.sid] = session
        return session

    def session(self, sid: str | None) -> Session | None:
        return self.sessions.get(sid) if sid else None

    def web_authenticate(self, session: Session, params: dict[str, Any], ip: str) -> dict[str, Any]:
        db, login, password = params.get("db"), params.get("login"), params.get("password")
        if db != self.db_name:
            raise access_error("Database not found.")
        with self._lock:
            self._check_cooldown(ip)
            uid = self._login(db, login, password, api_key_ok=False)
            if not uid:
                count, _ = self._failures.get(ip, (0, self.now()))
                self._failures[ip] = (count + 1, self.now())
                raise access_denied()
            self._failures.pop(ip, None)
        session.uid, session.db = int(uid), db
        return self.session_info(session.uid)

    def _check_cooldown(self, ip: str) -> None:
        params = {r["key"]: r["value"] for r in self.db.tables["ir.config_parameter"].values()}
        after = int(params.get("base.login_cooldown_after") or 0)
        duration = int(params.get("base.login_cooldown_duration") or 0)
        count, last = self._failures.get(ip, (0, self.now()))
        if after and count >= after and (self.now() - last).total_seconds() < duration:
            raise access_denied("Too many login failures, please wait a bit before trying again.")

    def session_info(self, uid: int) -> dict[str, Any]:
        info = seed.session_info_template()
        user = self.db.tables["res.users"][uid]
        partner = self.db.tables["res.partner"][user["partner_id"]]
        info.update(
            uid=uid,
            name=partner.get("name"),
            username=user.get("login"),
            partner_id=user["partner_id"],
            partner_display_name=partner.get("name"),
            db=self.db_name,
            is_admin=self.is_manager(uid),
            is_system=self.is_manager(uid),
        )
        info["user_context"] = {
            "lang": user.get("lang") or "en_US",
            "tz": user.get("tz") or False,
            "uid": uid,
        }
        url = next(
            (
                p["value"]
                for p in self.db.tables["ir.config_parameter"].values()
                if p["key"] == "web.base.url"
            ),
            "",
        )
        info["web.base.url"] = url
        return info

    def call_kw(self, session: Session | None, params: dict[str, Any]) -> Any:
        if session is None or session.uid is None:
            raise SessionExpired()
        return self.call(
            session.uid,
            params.get("model", ""),
            params.get("method", ""),
            list(params.get("args") or []),
            dict(params.get("kwargs") or {}),
        )

    def get_session_info(self, session: Session | None) -> dict[str, Any]:
        if session is None or session.uid is None:
            raise SessionExpired()
        return self.session_info(session.uid)

    def destroy(self, session: Session | None) -> None:
        if session is not None:
            self.sessions.pop(session.sid, None)


def _pad(args: list[Any], n: int, name: str, names: tuple[str, ...]) -> list[Any]:
    if len(args) < n:
        missing = names[len(args) :]
        quoted = [f"'{m}'" for m in missing]
        joined = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]
        word = "argument" if len(missing) == 1 else "arguments"
        raise type_error(f"{name}() missing {len(missing)} required positional {word}: {joined}")
    return list(args[:n])
