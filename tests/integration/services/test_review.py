"""The supervisor's queues and actions against the Odoo simulator: what Odoo holds afterwards, the audit log."""

from __future__ import annotations

from dataclasses import replace

import pytest

from grading_station.store.local import Store

from grading_station.services.review import HELD, OVERRIDES, RETEST

from grading_station.errors import InputError, RemoteUnavailable
from grading_station.paths import paths_under
from tests.helpers.bench_rig import lot_property

HELD_SERIAL = "352830111790931"  # demo unit in WH/Hold (back photo missing)
OLD_SERIAL = "354660111378439"  # demo unit taken in on 2026-06-02
OVERRIDE_SERIAL = "354660111457621"  # demo unit graded good where fair was suggested


def test_the_queues_open_in_two_rpcs_with_what_the_supervisor_needs(review):
    review.gateway.connect()
    before = review.gateway.rpc_count
    queues = review.service.load()
    assert review.gateway.rpc_count - before <= 3
    held = {u.serial: u for u in queues.held}
    assert held[HELD_SERIAL].location == "WH/Hold" and "Back photo" in held[HELD_SERIAL].hold_reason
    # 30 days: only the unit taken in on 2026-06-02 is due (the others came in on 2026-11-20)
    assert [d.unit.serial for d in queues.retest] == [OLD_SERIAL]
    assert (queues.retest[0].days_in_stock, queues.retest[0].days_since_test) == (178, 178)
    assert [(u.serial, u.suggested_grade, u.grade) for u in queues.overrides] == [(OVERRIDE_SERIAL, "fair", "good")]
    assert queues.locate(OVERRIDE_SERIAL) == [OVERRIDES] and queues.locate(HELD_SERIAL) == [HELD]
    assert not queues.stale


def test_retest_is_highest_value_first(review, tmp_path):
    from tests.helpers.review_rig import make_review_service

    queues = make_review_service(review.gateway, review.store, days=5).load()
    values = [d.unit.value for d in queues.retest]
    assert len(values) == 11 and values == sorted(values, reverse=True)
    assert queues.retest[0].unit.serial == OLD_SERIAL  # premium iPhone 14 Pro
    assert queues.locate(OLD_SERIAL) == [RETEST]


def test_send_to_repair_opens_a_repair_order_moves_the_unit_and_notes_who_and_why(review):
    unit = review.service.load().units[OVERRIDE_SERIAL]
    review.service.send_to_repair(unit, "Marie", "Grade disputed: screen flicker")
    entry = review.store.audit.entries(subject=OVERRIDE_SERIAL)[0]
    assert (entry.actor, entry.action, entry.detail["reason"]) == ("Marie", "review_repair",
                                                                   "Grade disputed: screen flicker")
    assert review.deliver() == 1
    repairs = review.admin.call("repair.order", "search_read", [[["lot_id", "=", unit.lot_id]]],
                                {"fields": ["lot_id", "product_id", "under_warranty", "internal_notes"]})
    assert len(repairs) == 1 and repairs[0]["product_id"][0] == unit.variant_id
    assert repairs[0]["under_warranty"] is False  # no warranty_end on an unsold unit
    assert review.where(OVERRIDE_SERIAL) == ["WH/Repair"]
    assert lot_property(review.lots(OVERRIDE_SERIAL)[0], "outcome") == "repair"
    note = next(n for n in review.notes(OVERRIDE_SERIAL) if "Sent to repair" in n)
    assert "Marie" in note and "screen flicker" in note
    assert review.service.load().locate(OVERRIDE_SERIAL) == [HELD]  # now in the held/repair queue


def test_a_repair_retried_after_a_lost_answer_is_not_done_twice(review):
    unit = review.service.load().units[OLD_SERIAL]
    action_id = review.service.send_to_repair(unit, "Marie", "Battery swells")
    item = review.store.outbox.get(action_id)
    from grading_station.odoo.review_actions import ReviewAction

    review.gateway.apply_review_action(ReviewAction(**item.payload))  # delivered, but the answer was lost
    assert review.deliver() == 1  # the deliverer tries again: finds its note, does nothing more
    repairs = review.admin.call("repair.order", "search_count", [[["lot_id", "=", unit.lot_id]]])
    assert repairs == 1
    assert sum("Sent to repair" in n for n in review.notes(OLD_SERIAL)) == 1


def test_repair_of_a_unit_under_warranty_says_so(review):
    unit = review.service.load().units[OLD_SERIAL]
    sold = replace(unit, props={**unit.props, "warranty_end": "2027-06-01"})
    review.service.send_to_repair(sold, "Marie", "Returned: no sound")
    review.deliver()
    repairs = review.admin.call("repair.order", "search_read", [[["lot_id", "=", unit.lot_id]]],
                                {"fields": ["under_warranty"]})
    assert repairs[0]["under_warranty"] is True


def test_release_puts_a_complete_held_unit_back_in_stock(review):
    unit = review.service.load().units[HELD_SERIAL]
    review.service.release_hold(unit, "Marie", "Back photo checked on the shelf")
    review.deliver()
    assert review.where(HELD_SERIAL) == ["WH/Stock"]
    lot = review.lots(HELD_SERIAL)[0]
    assert lot_property(lot, "hold_reason") is False and lot_property(lot, "outcome") == "stock"
    assert lot_property(lot, "battery_health") == 87  # every other property carried over
    assert any("Hold released" in n and "Marie" in n for n in review.notes(HELD_SERIAL))


def test_release_is_refused_while_the_record_is_incomplete(review):
    unit = review.service.load().units[HELD_SERIAL]
    incomplete = replace(unit, props={**unit.props, "battery_health": False})
    with pytest.raises(InputError, match="No battery reading"):
        review.service.release_hold(incomplete, "Marie", "Looks fine")
    stocked = review.service.load().units[OLD_SERIAL]
    with pytest.raises(InputError, match="not held"):
        review.service.release_hold(stocked, "Marie", "Looks fine")
    assert review.store.outbox.counts()["pending"] == 0


def test_every_action_needs_a_name_and_a_reason(review):
    unit = review.service.load().units[OLD_SERIAL]
    with pytest.raises(InputError, match="supervisor's name"):
        review.service.send_to_repair(unit, "  ", "x")
    with pytest.raises(InputError, match="reason"):
        review.service.regrade(unit, "good", "Marie", "")
    assert review.store.audit.entries() == []


def test_regrade_with_reason_goes_through_the_grading_outbox(review):
    unit = review.service.load().units[OVERRIDE_SERIAL]
    review.service.regrade(unit, "fair", "Marie", "Dispute upheld: frame scratch is deep")
    entry = review.store.audit.entries(subject=OVERRIDE_SERIAL)[0]
    assert entry.action == "review_regrade" and entry.detail["from"] == "good" and entry.detail["to"] == "fair"
    assert review.deliver() == 1
    live = [lot for lot in review.lots(OVERRIDE_SERIAL) if lot["product_qty"] > 0]
    assert len(live) == 1 and live[0]["product_id"][0] == review.gateway.variant_for(unit.template_id, "fair")
    assert lot_property(live[0], "grade") == "fair" and lot_property(live[0], "technician") == "Marie"
    assert lot_property(live[0], "intake_date") == "2026-11-20"  # the intake day stays through a re-grade
    assert any("frame scratch is deep" in n for n in review.notes(OVERRIDE_SERIAL))
    queues = review.service.load()
    assert OVERRIDE_SERIAL not in [u.serial for u in queues.overrides]  # the supervisor's grade is no override


def test_mark_parts_regrades_to_parts_in_repair(review):
    unit = review.service.load().units[OLD_SERIAL]
    review.service.mark_parts(unit, "Marie", "Board damaged beyond repair")
    assert review.store.audit.entries(subject=OLD_SERIAL)[0].action == "review_parts"
    review.deliver()
    live = [lot for lot in review.lots(OLD_SERIAL) if lot["product_qty"] > 0]
    assert lot_property(live[0], "grade") == "parts"
    assert review.where(OLD_SERIAL) == ["WH/Repair"]


def test_odoo_down_shows_the_last_reading_and_actions_wait_in_the_outbox(review):
    first = review.service.load()
    review.sim.down = True
    stale = review.service.load()
    assert stale.stale and stale.problem and stale.read_at == first.read_at
    assert [u.serial for u in stale.held] == [u.serial for u in first.held]
    review.service.send_to_repair(stale.units[HELD_SERIAL], "Marie", "Cracked back")
    review.deliver()
    item = review.store.outbox.list_items()[0]
    assert item.state == "failing" and not item.permanent  # retried by itself
    review.sim.down = False
    item_id = item.id
    review.store.outbox.retry_now(item_id)
    review.deliver()
    assert review.store.outbox.get(item_id).state == "delivered"
    assert review.where(HELD_SERIAL) == ["WH/Repair"]


def test_odoo_down_before_any_reading_is_said(review):
    review.sim.down = True
    with pytest.raises(RemoteUnavailable):
        review.service.load()


def test_a_later_reading_rereads_only_the_lots_written_since(review):
    review.service.load()
    review.sim.reset_counts()
    review.service.load()  # nothing changed: quants and the queues' lots' write dates, no properties
    assert review.sim.rpc_count(model="stock.lot", method="read") == 1
    unit = review.service.load().units[HELD_SERIAL]
    props = {**unit.props, "hold_reason": "Screen protector to remove"}
    review.sim.advance_clock(2)  # a later write has a later write_date (Odoo's have one-second steps)
    review.admin.call("stock.lot", "write", [[unit.lot_id], {"lot_properties": props}])
    assert review.service.load().units[HELD_SERIAL].hold_reason == "Screen protector to remove"


def _properties_read(connection) -> list[int]:
    """Spy on a connection: the ids of the lots whose properties it reads from now on."""
    read: list[int] = []
    call = connection.call

    def spying(model, method, args=None, kwargs=None, **kw):
        result = call(model, method, args, kwargs, **kw)
        if model == "stock.lot" and isinstance(result, list):
            read.extend(row["id"] for row in result if isinstance(row, dict) and "lot_properties" in row)
        return result

    connection.call = spying
    return read


def test_a_restarted_station_reads_only_the_lots_changed_while_it_was_closed(review, tmp_path):
    from tests.helpers.review_rig import make_review_gateway, make_review_service

    first = review.service.load()
    held = first.units[HELD_SERIAL]
    review.gateway.close()
    review.store.close()  # the station quits: the lots' properties stay in its local store
    review.sim.advance_clock(2)  # a later write has a later write_date (Odoo's have one-second steps)
    review.admin.call("stock.lot", "write", [[held.lot_id], {"lot_properties": {**held.props,
                                                                                 "hold_reason": "Dent on the back"}}])
    store = Store.open(paths_under(tmp_path / "review").ensure())
    gateway = make_review_gateway(review.sim, store)
    try:
        read = _properties_read(gateway.connection)
        queues = make_review_service(gateway, store).load()
        assert read == [held.lot_id]  # every other lot of the queues from the local store
        assert queues.units[HELD_SERIAL].hold_reason == "Dent on the back"
        assert {s: u.props for s, u in queues.units.items() if s != HELD_SERIAL} == {
            s: u.props for s, u in first.units.items() if s != HELD_SERIAL}
    finally:
        gateway.close()
        store.close()


def test_the_queues_read_the_properties_of_only_the_lots_they_show(review):
    """5,000 units' properties are ~10 MB: Odoo filters the quants on their lot's property paths, so a unit in
    stock that is in no queue (not overridden, taken in and tested within the delay) is not read at all."""
    read = _properties_read(review.gateway.connection)
    queues = review.service.load()
    shown = ({u.lot_id for u in queues.held} | {d.unit.lot_id for d in queues.retest}
             | {u.lot_id for u in queues.overrides})
    assert sorted(read) == sorted(shown)  # each queue's lots once, no other
    # the figures need every unit's technician: a reading of their own, with every lot's properties
    every = review.service.units_for_figures(queues)
    assert len(every) > len(shown) and all(u.technician for u in every)
