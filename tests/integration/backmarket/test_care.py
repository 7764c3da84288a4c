"""Care folders against the Back Market simulator (requests and answers checked against openapi.yml)."""

from __future__ import annotations

import pytest

from tests.helpers.bm_sim import DEMO_EAN


def _sold_order(bm_sim, serial: str = "354660111378439") -> tuple[int, int]:
    sku = "IP14P-256-PUR-GOOD"
    bm_sim.catalogue.add_product(DEMO_EAN, "iPhone 14 Pro")
    order_id = bm_sim.orders.place([(sku, 1)])
    line = bm_sim.orders.orders[order_id].lines[0]
    line.imei, line.state = serial, 3
    return order_id, line.id


def test_new_folders_are_listed_from_last_id_and_read_with_their_claim(bm_sim, bm):
    order_id, line_id = _sold_order(bm_sim)
    first = bm_sim.routes.care.open(order_id, issues=(("SCREEN_FLICKERING", "TECHNICAL"),),
                                    resolution_choice="REPLACE", declared_warranty_state="IN_WARRANTY")
    ids = [bm_sim.routes.care.open(order_id) for _ in range(12)]  # two pages
    assert bm.care_folder_ids_after(0) == [first, *ids]
    assert bm.care_folder_ids_after(ids[-2]) == [ids[-1]]
    folder = bm.care_folder(first)
    assert (folder.order_id, folder.orderline_id, folder.sku) == (order_id, line_id, "IP14P-256-PUR-GOOD")
    assert folder.issues == (("SCREEN_FLICKERING", "TECHNICAL"),)
    assert (folder.resolution_choice, folder.declared_warranty_state, folder.return_coming) == (
        "REPLACE", "IN_WARRANTY", True)


def test_a_reply_carries_its_attachments_and_reopens_the_folder(bm_sim, bm):
    order_id, _ = _sold_order(bm_sim)
    folder_id = bm_sim.routes.care.open(order_id)
    bm_sim.routes.care.folders[folder_id].state = 9
    message_id = bm.post_care_message(folder_id, "Graded Good on 20 Nov: see the report.",
                                      [("report.json", b'{"grade": "good"}', "application/json"),
                                       ("front.jpg", b"\xff\xd8" + b"0" * 1000, "image/jpeg")])
    assert message_id
    sim_folder = bm_sim.routes.care.folders[folder_id]
    assert sim_folder.state == 0 and len(sim_folder.messages[0]["attachments"]) == 2
    assert bm.care_folder(folder_id).messages == ("Graded Good on 20 Nov: see the report.",)


def test_too_many_or_too_large_files_are_refused_before_sending(bm_sim, bm):
    folder_id = bm_sim.routes.care.open(*_sold_order(bm_sim))
    with pytest.raises(ValueError):
        bm.post_care_message(folder_id, "x", [(f"{n}.jpg", b"1", "image/jpeg") for n in range(11)])
    with pytest.raises(ValueError):
        bm.post_care_message(folder_id, "x", [("big.jpg", b"1" * (3 * 1024 * 1024 + 1), "image/jpeg")])
    assert bm_sim.count("POST", f"/ws/sav/{folder_id}") == 0


def test_a_reply_without_files_is_still_multipart(bm_sim, bm):
    folder_id = bm_sim.routes.care.open(*_sold_order(bm_sim))
    assert bm.post_care_message(folder_id, "We are looking into it.", [])
    assert bm_sim.routes.care.folders[folder_id].messages[0]["message"] == "We are looking into it."
