"""Prepare Odoo: attribute, property definitions on every managed variant, locations; idempotent."""

from __future__ import annotations

import pytest

from grading_station.odoo import OdooGateway
from grading_station.odoo.schema import lot_property_definitions

from grading_station.errors import RemoteRefused
from tests.integration.odoo.conftest import settings_for
from tests.integration.odoo.helpers import files, intake


def test_prepare_creates_attribute_values_and_locations_once(gateway):
    first = gateway.prepare_odoo()
    assert "attribute Grade" in first.created and "location WH/Hold" in first.created
    second = gateway.prepare_odoo()
    assert second.created == [] and second.variants_updated == 0 and not second.changed
    conn = gateway.connection
    values = conn.call(
        "product.attribute.value",
        "search_read",
        [[["attribute_id.name", "=", "Grade"]]],
        {"fields": ["name"], "order": "id"},
    )
    assert [v["name"] for v in values] == [
        "Premium",
        "Excellent",
        "Good",
        "Fair",
        "Repair",
        "Parts / recycle",
    ]
    locs = conn.call(
        "stock.location", "search_read", [[["usage", "=", "internal"]]], {"fields": ["complete_name"]}
    )
    assert {"WH/Stock", "WH/Hold", "WH/Repair"} <= {loc["complete_name"] for loc in locs}


def test_create_model_makes_one_variant_per_grade_with_skus_and_definitions(gateway):
    gateway.prepare_odoo()
    tmpl = gateway.create_model("iPhone 14 Pro 256GB", "phone", "IP14P-256", "0194253410140", 1099.0)
    assert gateway.create_model("iPhone 14 Pro 256GB", "phone", "IP14P-256") == tmpl  # idempotent
    model = gateway.catalogue.model(tmpl)
    assert (
        model.category == "phone" and model.default_code == "IP14P-256" and model.barcode == "0194253410140"
    )
    assert list(model.variant_ids_by_grade) == ["premium", "excellent", "good", "fair", "repair", "parts"]
    rows = gateway.connection.call(
        "product.product",
        "read",
        [
            list(model.variant_ids_by_grade.values()),
            ["default_code", "lot_properties_definition", "tracking", "is_storable"],
        ],
    )
    assert [r["default_code"] for r in rows] == [f"IP14P-256-{g.upper()}" for g in model.variant_ids_by_grade]
    wanted = {d["name"] for d in lot_property_definitions(gateway.scale)}
    assert all({d["name"] for d in r["lot_properties_definition"]} == wanted for r in rows)
    assert all(r["tracking"] == "serial" and r["is_storable"] for r in rows)


def test_prepare_defines_properties_on_variants_made_outside_the_app(gateway):
    gateway.prepare_odoo()
    conn = gateway.connection
    attr_id, value_ids = gateway.provisioner.grade_values()
    conn.call(
        "product.template",
        "create",
        [
            {
                "name": "Pixel 8",
                "type": "consu",
                "is_storable": True,
                "tracking": "serial",
                "attribute_line_ids": [
                    [0, 0, {"attribute_id": attr_id, "value_ids": [[6, 0, list(value_ids.values())[:3]]]}]
                ],
            }
        ],
    )
    report = gateway.prepare_odoo()
    assert report.variants_updated == 3 and report.created == []
    assert gateway.prepare_odoo().variants_updated == 0
    assert [m.name for m in gateway.search_models("pixel 8")] == ["Pixel 8"]


def _model_made_in_odoo(gateway, name="Pixel 8"):
    attr_id, value_ids = gateway.provisioner.grade_values()
    grades = [[6, 0, list(value_ids.values())[:3]]]
    return gateway.connection.call(
        "product.template",
        "create",
        [
            {
                "name": name,
                "type": "consu",
                "is_storable": True,
                "tracking": "serial",
                "attribute_line_ids": [[0, 0, {"attribute_id": attr_id, "value_ids": grades}]],
            }
        ],
    )


def test_connecting_as_an_administrator_defines_properties_on_new_variants(gateway, odoo_sim):
    gateway.prepare_odoo()
    _model_made_in_odoo(gateway)
    fresh = OdooGateway(settings_for(odoo_sim))
    fresh.connect()
    assert fresh.catalogue.undefined_variant_ids() == [] and len(fresh.catalogue.variant_ids()) == 3


def test_a_technician_cannot_commit_on_a_variant_without_the_definitions(gateway, odoo_sim):
    gateway.prepare_odoo()
    tmpl = _model_made_in_odoo(gateway)
    odoo_sim.add_stock_user(email="tech@example.com")
    tech = OdooGateway(settings_for(odoo_sim, "tech", "tech-pass-1"))
    tech.connect()  # may not write product.product: leaves them undefined
    model = tech.catalogue.model(tmpl)
    record = intake(model, "PX8-0001", "good")
    with pytest.raises(RemoteRefused, match="Prepare Odoo"):
        tech.deliver_grading(record, files(record))
    assert gateway.connection.call("stock.lot", "search_count", [[["name", "=", "PX8-0001"]]]) == 0
    gateway.prepare_odoo()
    tech.catalogue.refresh()
    assert tech.deliver_grading(record, files(record)).location == "WH/Stock"


def test_default_grades_are_those_of_grades_toml():
    from grading_station.odoo.schema import DEFAULT_GRADES

    from grading_station.resources import load_grade_scale

    assert [(g.key, g.title) for g in load_grade_scale().grades] == list(DEFAULT_GRADES)
