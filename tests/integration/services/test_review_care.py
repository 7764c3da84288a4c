"""Returns and grade disputes: Back Market care folders (simulator) linked to units in Odoo (simulator), the reply
with the grading evidence through the outbox, and the faults (unknown order, re-graded unit, Back Market down)."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

import pytest

from grading_station.services.delivery import Deliverer
from grading_station.services.review_care import KIND_CARE_REPLY, CareReplyHandler, CareService

from grading_station.errors import InputError
from grading_station.sim.backmarket.server import Fault
from tests.helpers.bm_sim import DEMO_EAN

SERIAL = "354660111457621"  # demo unit graded Good (iPhone 14 Pro)


def sell(bm_sim, serial: str, sku: str) -> int:
    bm_sim.catalogue.add_product(DEMO_EAN, "iPhone 14 Pro")
    order_id = bm_sim.orders.place([(sku, 1)])
    line = bm_sim.orders.orders[order_id].lines[0]
    line.imei, line.state = serial, 3
    return order_id


@pytest.fixture
def care(review, bm):
    from grading_station.store.review import ReviewStore

    return CareService(bm, review.gateway, ReviewStore(review.store.executor, review.store.outbox),
                       grade_of_sku=lambda sku: sku.rsplit("-", 1)[-1].lower())


def test_a_care_folder_is_linked_to_its_unit_through_the_order_line(care, bm_sim):
    folder_id = bm_sim.routes.care.open(sell(bm_sim, SERIAL, "IP14P-256-PUR-GOOD"),
                                        issues=(("SCREEN_FLICKERING", "TECHNICAL"),), resolution_choice="REPAIR")
    disputes = care.poll()
    dispute = disputes.find(SERIAL)
    assert dispute.folder.id == folder_id and dispute.folder.issues == (("SCREEN_FLICKERING", "TECHNICAL"),)
    assert dispute.unit.grade == "good" and dispute.unit.technician == "demo"  # the original grading
    assert dispute.sold_grade == "good" and not dispute.regraded and not dispute.problem


def test_polling_again_reads_only_the_new_folders(care, bm_sim):
    order_id = sell(bm_sim, SERIAL, "IP14P-256-PUR-GOOD")
    bm_sim.routes.care.open(order_id)
    care.poll()
    before = bm_sim.count("GET", "/ws/sav/")
    bm_sim.routes.care.open(order_id)
    assert len(care.poll().items) == 2
    assert bm_sim.count("GET", "/ws/sav/") - before == 1  # the new folder's details only


def test_a_folder_whose_order_is_unknown_says_so(care, bm_sim):
    bm_sim.routes.care.open(987654, sku="IP13-128-MID-GOOD")
    dispute = care.poll().items[0]
    assert dispute.unit is None and "987654 is unknown" in dispute.problem
    with pytest.raises(InputError, match="not linked"):
        care.reply(dispute, "Marie", "Hello")


def test_a_return_of_a_unit_regraded_meanwhile_shows_both_grades(care, bm_sim):
    bm_sim.routes.care.open(sell(bm_sim, SERIAL, "IP14P-256-PUR-FAIR"))  # sold as Fair, Good in Odoo now
    dispute = care.poll().find(SERIAL)
    assert dispute.regraded and (dispute.sold_grade, dispute.unit.grade) == ("fair", "good")


def test_back_market_down_shows_the_last_reading(care, bm_sim):
    bm_sim.routes.care.open(sell(bm_sim, SERIAL, "IP14P-256-PUR-GOOD"))
    first = care.poll()
    bm_sim.inject(Fault("server_error", "GET", "/ws/sav", times=5))
    stale = care.poll()
    assert stale.stale and stale.problem and [d.serial for d in stale.items] == [d.serial for d in first.items]


def test_the_reply_sends_the_report_and_photos_once_and_notes_it_on_the_lot(care, review, bm, bm_sim):
    folder_id = bm_sim.routes.care.open(sell(bm_sim, SERIAL, "IP14P-256-PUR-GOOD"))
    lot_id = care.poll().find(SERIAL).unit.lot_id
    review.admin.call("ir.attachment", "create", [[
        {"name": f"test-report-{SERIAL}-g1.json", "res_model": "stock.lot", "res_id": lot_id,
         "datas": base64.b64encode(b'{"grade": "good"}').decode(), "mimetype": "application/json"},
        {"name": "front.jpg", "res_model": "stock.lot", "res_id": lot_id,
         "datas": base64.b64encode(b"\xff\xd8jpeg").decode(), "mimetype": "image/jpeg"},
        {"name": "huge.jpg", "res_model": "stock.lot", "res_id": lot_id,
         "datas": base64.b64encode(b"0" * (3 * 1024 * 1024 + 1)).decode(), "mimetype": "image/jpeg"},
    ]])
    item_id = care.reply(care.poll().find(SERIAL), "Marie", "The unit left us graded Good: report attached.")
    assert review.store.audit.entries(subject=SERIAL)[0].action == "review_reply"
    deliverer = Deliverer(review.store.outbox, clock=lambda: datetime.now(UTC))
    deliverer.register(KIND_CARE_REPLY, CareReplyHandler(bm, review.gateway))
    assert deliverer.deliver_due() == 1
    assert review.store.outbox.get(item_id).state == "delivered"
    messages = bm_sim.routes.care.folders[folder_id].messages
    assert len(messages) == 1 and "graded Good" in messages[0]["message"] and "Marie" in messages[0]["message"]
    assert len(messages[0]["attachments"]) == 2  # the report and the photo; the 3 MB+ one is left out
    assert any(f"care folder {folder_id}" in n for n in review.notes(SERIAL))
    # delivered again (a crash before the outbox recorded it): nothing is sent twice
    CareReplyHandler(bm, review.gateway)(review.store.outbox.get(item_id))
    assert len(bm_sim.routes.care.folders[folder_id].messages) == 1


def test_closed_folders_are_not_read(care, bm_sim):
    order_id = sell(bm_sim, SERIAL, "IP14P-256-PUR-GOOD")
    closed = bm_sim.routes.care.open(order_id)
    bm_sim.routes.care.folders[closed].state = 9
    opened = bm_sim.routes.care.open(order_id)
    assert [d.folder.id for d in care.poll().items] == [opened]
    assert bm_sim.count("GET", f"/ws/sav/{closed}") == 0
