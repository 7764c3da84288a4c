"""Sellable quantities (one read_group) and SKUs."""

from __future__ import annotations


def test_sellable_quantities_count_wh_stock_only_in_one_rpc(prepared):
    phone = next(m for m in prepared.search_models("IP14P-256-PUR"))
    galaxy = next(m for m in prepared.search_models("SM-S911B-128-BLK"))
    ids = list(phone.variant_ids_by_grade.values()) + [galaxy.variant_ids_by_grade["good"]]
    with prepared.connection.metered() as meter:
        counts = prepared.sellable_quantities(ids)
    assert meter.calls == 1
    grades = {v: g for g, v in phone.variant_ids_by_grade.items()}
    assert {grades[v]: n for v, n in counts.items() if v in grades} == {
        "premium": 1,
        "excellent": 0,
        "good": 1,
        "fair": 1,
        "repair": 0,
        "parts": 0,
    }
    assert counts[galaxy.variant_ids_by_grade["good"]] == 0  # that one is in WH/Hold


def test_variant_skus(prepared):
    phone = prepared.search_models("IP13-128-MID")[0]
    skus = prepared.variant_skus(list(phone.variant_ids_by_grade.values()))
    assert sorted(skus.values())[0] == "IP13-128-MID-EXCELLENT" and len(skus) == 6


def test_sellable_quantities_without_read_group_still_one_rpc(prepared, odoo_sim):
    phone = prepared.search_models("IP14P-256-PUR")[0]
    ids = list(phone.variant_ids_by_grade.values())
    grouped = prepared.sellable_quantities(ids)
    odoo_sim.fail_next(
        "stock.quant",
        "read_group",
        name="builtins.AttributeError",
        message="The method 'read_group' does not exist on the model 'stock.quant'",
    )
    assert prepared.sellable_quantities(ids) == grouped  # fell back to search_read
    with prepared.connection.metered() as meter:
        assert prepared.sellable_quantities(ids) == grouped
    assert meter.calls == 1
