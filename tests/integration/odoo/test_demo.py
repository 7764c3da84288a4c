"""Demo seeding over RPC: complete, idempotent and batched."""

from __future__ import annotations

from grading_station.demo import load_demo, seed_demo


def test_seed_demo_is_idempotent(gateway):
    first = seed_demo(gateway)
    data = load_demo()
    assert len(first.templates) == len(data["model"]) and len(first.lots_created) == len(data["unit"])
    before = gateway.rpc_count
    second = seed_demo(gateway)
    assert second.lots_created == [] and second.templates == first.templates
    assert gateway.rpc_count - before < 40
    lots = gateway.connection.call("stock.lot", "search_count", [[["product_qty", ">", 0]]])
    assert lots == len(data["unit"])
