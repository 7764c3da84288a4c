"""Users (passwords, API keys, groups), partners, the company and the technical models the recordings read."""

from __future__ import annotations

from typing import Any

from grading_station.sim.odoo.errors import validation_error
from grading_station.sim.odoo.logic import AccessRule, ModelLogic
from grading_station.sim.odoo.models import chatter
from grading_station.sim.odoo.orm import Env, Orm

GROUP_USER = 1
GROUP_SYSTEM = 2
GROUP_STOCK_USER = 39
# Groups Odoo adds by implication when a user is created with base.group_user (as recorded in 08).
_IMPLIED = {GROUP_USER: [14, 41, 19, 54, 7]}


class Users(ModelLogic):
    model = "res.users"
    order = "name, login"
    access = AccessRule(frozenset({"create", "write", "unlink"}), ("Administration/Access Rights",))
    # Fields that live on the partner (res.users inherits res.partner).
    _PARTNER_FIELDS = ("name", "email", "phone", "mobile", "signature_partner", "lang_partner")

    def __init__(self) -> None:
        super().__init__()
        for name in ("name", "email", "phone", "mobile"):
            self.computes[name] = self._partner_value(name)
        self.computes["password"] = lambda orm, rec: ""
        self.computes["new_password"] = lambda orm, rec: ""
        self.computes["share"] = lambda orm, rec: GROUP_USER not in rec.get("groups_id", [])
        self.methods["context_get"] = self.context_get
        self.model_methods.add("context_get")

    @staticmethod
    def _partner_value(name: str):
        def compute(orm: Orm, rec: dict[str, Any]) -> Any:
            partner = orm.record("res.partner", rec.get("partner_id") or 0)
            return partner.get(name, False) if partner else False

        return compute

    def context_get(self, env: Env, ids: list[int]) -> dict[str, Any]:
        rec = env.db.tables[self.model].get(env.uid, {})
        return {"lang": rec.get("lang") or "en_US", "tz": rec.get("tz") or False, "uid": env.uid}

    def before_create(self, env: Env, vals: dict[str, Any]) -> None:
        if any(u.get("login") == vals.get("login") for u in env.db.tables[self.model].values()):
            raise validation_error("You can not have two users with the same login!")
        partner_vals = {k: vals.pop(k) for k in ("name", "email", "phone", "mobile") if k in vals}
        partner_vals.setdefault("name", vals.get("login", ""))
        vals["partner_id"] = env.orm.create(env, "res.partner", [partner_vals])[0]
        vals["_password"] = vals.pop("password", "") or ""
        vals.setdefault("lang", "en_US")
        vals.setdefault("tz", False)
        vals.setdefault("active", True)
        vals.setdefault("company_id", 1)
        vals.setdefault("notification_type", "email")

    def after_create(self, env: Env, rid: int, vals: dict[str, Any]) -> None:
        self._expand_groups(env, rid)
        chatter.log_creation(env, self.model, rid, "<p>User created</p>")
        # The new user's generated avatar is stored as 5 image attachments (1920..128) of its partner.
        for _ in range(5):
            env.db.next_id("ir.attachment")

    def _expand_groups(self, env: Env, rid: int) -> None:
        groups = list(env.db.tables[self.model][rid].get("groups_id", []))
        expanded = []
        for group in groups:
            expanded.append(group)
            expanded.extend(g for g in _IMPLIED.get(group, []) if g not in groups)
        env.db.set(self.model, rid, "groups_id", list(dict.fromkeys(expanded)))

    def before_write(self, env: Env, ids: list[int], vals: dict[str, Any]) -> None:
        partner_vals = {k: vals.pop(k) for k in ("name", "email", "phone", "mobile") if k in vals}
        if "password" in vals:
            password = vals.pop("password")
            for rid in ids:
                env.db.set(self.model, rid, "_password", password)
        if partner_vals:
            partners = [env.db.tables[self.model][i]["partner_id"] for i in ids]
            env.orm.write(env, "res.partner", partners, partner_vals)


class Partner(ModelLogic):
    model = "res.partner"
    order = "complete_name, id desc"

    def __init__(self) -> None:
        super().__init__()
        self.computes["complete_name"] = lambda orm, rec: rec.get("name") or ""
        chatter.install(self)

    def defaults(self, env: Env, vals: dict[str, Any]) -> dict[str, Any]:
        return {"active": True, "type": "contact", "is_company": False, "company_id": False, "lang": "en_US"}

    def after_create(self, env: Env, rid: int, vals: dict[str, Any]) -> None:
        chatter.log_creation(env, self.model, rid, "<p>Contact created</p>")


class Company(ModelLogic):
    model = "res.company"


class Currency(ModelLogic):
    model = "res.currency"


class ConfigParameter(ModelLogic):
    model = "ir.config_parameter"
    order = "key"
    rec_name = "key"


class ModelData(ModelLogic):
    model = "ir.model.data"
    order = "module, model, name"
    rec_name = "name"


class Followers(ModelLogic):
    model = "mail.followers"
    rec_name = None


def register(registry: Any) -> None:
    for cls in (Users, Partner, Company, Currency, ConfigParameter, ModelData, Followers):
        registry.add(cls())
