"""Property domains the Review queues send (stock.quant, `lot_id.lot_properties.<name>`): `=` and `!=` on a
selection, `<=` on a date or datetime, `= False`. The transcripts record `lot_properties.<name>` on stock.lot with
`=` (selection, boolean), `>=` (integer), `ilike` and an unknown name (04 steps 9–13, 08 step 28); the forms below
are not recorded: the simulator follows the SQL of Odoo's Properties.condition_to_sql. Stored values are JSON:
`=`/`!=` compare them as JSON (`!=` is NULL, so no match, where the name is not stored), `= False` matches a
stored false, a name not stored and no properties at all, and a string comparison runs on the text of the value
(`->>`: a stored false is the text 'false', after every date). A path through a many2one matches the records whose
related record matches (Odoo searches the comodel)."""

from __future__ import annotations

import httpx
import pytest

from grading_station.sim.odoo import OdooSimulator
from tests.contract.test_odoo_sim_behaviour import _grade_template, rpc

_DEFINITION = [
    {"name": "grade", "string": "Grade", "type": "selection", "selection": [["good", "Good"], ["fair", "Fair"]]},
    {"name": "suggested_grade", "string": "Suggested", "type": "selection",
     "selection": [["good", "Good"], ["fair", "Fair"]]},
    {"name": "intake_date", "string": "Intake", "type": "date"},
    {"name": "tested_at", "string": "Tested", "type": "datetime"},
]
LOTS = {  # name -> the properties written (None: none at all)
    "FULL": {"grade": "good", "suggested_grade": "fair", "intake_date": "2026-03-01",
             "tested_at": "2026-03-01 10:00:00"},
    "FALSE": {"grade": "good", "suggested_grade": False, "intake_date": False, "tested_at": False},
    "PARTIAL": {"grade": "fair"},  # the other names are not stored
    "NONE": None,
}


@pytest.fixture
def lots(odoo_sim: OdooSimulator) -> dict[str, int]:
    with httpx.Client(timeout=10) as client:
        _grade_template(odoo_sim, client, ["Good", "Fair"])
        rpc(odoo_sim, client, "product.product", "write", [2], {"lot_properties_definition": _DEFINITION})
        ids = {}
        for name, props in LOTS.items():
            vals = {"name": name, "product_id": 2, **({"lot_properties": props} if props is not None else {})}
            ids[name] = rpc(odoo_sim, client, "stock.lot", "create", vals)
        rpc(odoo_sim, client, "stock.quant", "create",
            [{"product_id": 2, "location_id": 8, "lot_id": i, "inventory_quantity_auto_apply": 1}
             for i in ids.values()], context={"inventory_mode": True})
    return ids


@pytest.mark.parametrize(("leaf", "matched"), [
    (["suggested_grade", "=", "fair"], {"FULL"}),
    (["grade", "!=", "good"], {"PARTIAL"}),  # not NONE: no stored value
    (["suggested_grade", "!=", "fair"], {"FALSE"}),  # a stored false differs from "fair"
    (["intake_date", "<=", "2026-09-02"], {"FULL"}),
    (["tested_at", "<=", "2026-09-02 23:59:59"], {"FULL"}),
    (["intake_date", "=", False], {"FALSE", "PARTIAL", "NONE"}),
    (["tested_at", "=", False], {"FALSE", "PARTIAL", "NONE"}),
])
def test_property_leaves_on_lots_and_through_the_quants_lot(odoo_sim, lots, leaf, matched):
    name, op, value = leaf
    with httpx.Client(timeout=10) as client:
        found = rpc(odoo_sim, client, "stock.lot", "search", [[f"lot_properties.{name}", op, value]])
        quants = rpc(odoo_sim, client, "stock.quant", "search_read",
                     [[f"lot_id.lot_properties.{name}", op, value], ["location_id", "=", 8]], fields=["lot_id"])
    assert {n for n, i in lots.items() if i in found} == matched
    assert {q["lot_id"][1] for q in quants} == matched
