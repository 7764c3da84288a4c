"""repair.order basics: a repair on a lot (warranty claims) and its state buttons."""

from __future__ import annotations

from typing import Any

from grading_station.sim.odoo.errors import user_error
from grading_station.sim.odoo.logic import ModelLogic
from grading_station.sim.odoo.models import chatter
from grading_station.sim.odoo.orm import Env

REPAIR_TYPE = 9
# method → (states it may start from, state it ends in)
_TRANSITIONS = {
    "action_validate": (("draft",), "confirmed"),
    "action_repair_start": (("confirmed",), "under_repair"),
    "action_repair_end": (("under_repair",), "done"),
    "action_repair_cancel": (("draft", "confirmed", "under_repair"), "cancel"),
    "action_repair_cancel_draft": (("cancel",), "draft"),
}


class RepairOrder(ModelLogic):
    model = "repair.order"
    order = "priority desc, create_date desc"

    def __init__(self) -> None:
        super().__init__()
        chatter.install(self)
        for method, (sources, target) in _TRANSITIONS.items():
            self.methods[method] = self._transition(sources, target)

    def defaults(self, env: Env, vals: dict[str, Any]) -> dict[str, Any]:
        seq = env.db.next_id("ir.sequence.repair.order")
        return {
            "name": f"WH/RO/{seq:05d}",
            "state": "draft",
            "picking_type_id": REPAIR_TYPE,
            "location_id": 8,
            "company_id": 1,
            "schedule_date": env.now(),
            "product_qty": 1.0,
            "product_uom": 1,
            "priority": "0",
            "user_id": env.uid,
            "under_warranty": False,
        }

    def after_create(self, env: Env, rid: int, vals: dict[str, Any]) -> None:
        chatter.log_creation(env, self.model, rid, "<p>Repair Order created</p>")

    @staticmethod
    def _transition(sources: tuple[str, ...], target: str):
        def run(env: Env, ids: list[int]) -> bool:
            for rid in ids:
                state = env.db.tables["repair.order"][rid]["state"]
                if state not in sources:
                    raise user_error(
                        f"Repair must be in one of the states {', '.join(sources)} (it is {state})."
                    )
                env.db.set("repair.order", rid, "state", target)
            return True

        return run


def register(registry: Any) -> None:
    registry.add(RepairOrder())
