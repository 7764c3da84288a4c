"""Per-model behaviour hooks the generic ORM calls: defaults, computed fields, checks, business methods."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from grading_station.sim.odoo.orm import Env, Orm

Compute = Callable[["Orm", dict[str, Any]], Any]


@dataclass
class AccessRule:
    """Groups named in Odoo's AccessError when a non-manager user tries `operations` on the model."""

    operations: frozenset[str]
    groups: tuple[str, ...]


class ModelLogic:
    """Behaviour of one model; the base class is a plain stored model ordered by id, named by `name`."""

    model = ""
    order = "id"
    rec_name: str | None = "name"
    not_null: tuple[str, ...] = ()
    access: AccessRule | None = None
    # one2many field → inverse many2one on the comodel
    inverses: dict[str, str] = {}

    def __init__(self) -> None:
        self.computes: dict[str, Compute] = {}
        self.methods: dict[str, Callable[..., Any]] = {}
        self.model_methods: set[str] = set()

    # -- naming ---------------------------------------------------------------------------------------------
    def display_name(self, orm: Orm, rec: dict[str, Any]) -> str:
        if self.rec_name is None:
            return f"{self.model},{rec['id']}"
        value = orm.value(self.model, rec, self.rec_name)
        return value if isinstance(value, str) else (str(value) if value else "")

    # -- lifecycle hooks ------------------------------------------------------------------------------------
    def defaults(self, env: Env, vals: dict[str, Any]) -> dict[str, Any]:
        """Values for fields missing from `vals` (called before insert)."""
        return {}

    def create_instead(self, env: Env, vals: dict[str, Any]) -> int | None:
        """Return an id to answer create() with a record made another way (e.g. variant via its template)."""
        return None

    def before_create(self, env: Env, vals: dict[str, Any]) -> None:
        """Checks and value rewrites before insert (vals are already validated)."""

    def after_create(self, env: Env, rid: int, vals: dict[str, Any]) -> None:
        """Side effects after insert and x2many commands."""

    def check_create_batch(self, env: Env, ids: list[int]) -> None:
        """Constraints checked once the whole batch is inserted (api.constrains)."""

    def before_write(self, env: Env, ids: list[int], vals: dict[str, Any]) -> None:
        """Refusals and rewrites before a write."""

    def after_write(self, env: Env, ids: list[int], vals: dict[str, Any]) -> None:
        """Constraints and side effects after a write."""

    def before_unlink(self, env: Env, ids: list[int]) -> None:
        """Refusals (foreign keys) before records are deleted."""

    def after_unlink(self, env: Env, ids: list[int], recs: list[dict[str, Any]]) -> None:
        """Cascades after records are deleted."""

    def recompute(self, env: Env, ids: set[int]) -> None:
        """Recompute stored computed fields of records marked dirty during the call (flush)."""

    def read_properties(self, orm: Orm, rec: dict[str, Any], field: str) -> list[dict[str, Any]]:
        """The read form of a properties field: the definition dicts, each with its `value`."""
        return []

    def convert_write_value(self, env: Env, field: str, value: Any, rec: dict[str, Any] | None) -> Any:
        """Turn a written value into its stored form (properties, definitions)."""
        return value


@dataclass
class Registry:
    """Model name → logic; models without specific logic get the generic base behaviour."""

    logics: dict[str, ModelLogic] = field(default_factory=dict)

    def add(self, logic: ModelLogic) -> None:
        self.logics[logic.model] = logic

    def get(self, model: str) -> ModelLogic:
        logic = self.logics.get(model)
        if logic is None:
            logic = ModelLogic()
            logic.model = model
            self.logics[model] = logic
        return logic
