"""The outbox worded for a person: what an item is about and what became of it, in local time."""

from __future__ import annotations

import datetime as dt

from grading_station.store.outbox import OutboxItem

from grading_station.ui.activity.wording import words_of

PARIS = dt.timezone(dt.timedelta(hours=1))
TODAY = dt.date(2026, 12, 2)


def item(**changes) -> OutboxItem:
    values = dict(seq=1, id="6f1c2a9e-0d4b-4c1e-9b7a-3f2e1d0c9b8a", kind="grading", key=None,
                  payload={"serial": "356938035643809", "model_name": "iPhone 14 Pro", "grade": "good"},
                  state="pending", attempts=0, permanent=False, created_at="2026-12-02T13:30:00.000000Z",
                  updated_at="2026-12-02T13:32:00.000000Z", next_attempt_at=None, last_error="", result=None,
                  delivered_at=None)
    values.update(changes)
    return OutboxItem(**values)


def test_a_delivered_grading_in_local_time():
    words = words_of(item(state="delivered", delivered_at="2026-12-02T13:32:10.000000Z"), PARIS, TODAY)
    assert words.sentence == "Grading of 356938035643809 (iPhone 14 Pro, Good) delivered to Odoo at 14:32"
    assert words.when == "14:32" and not words.needs_attention
    assert words.unit == "356938035643809 (iPhone 14 Pro, Good)"


def test_waiting_for_odoo_with_the_next_try():
    words = words_of(item(state="failing", failure="retry", last_error="Odoo cannot be reached.",
                          next_attempt_at="2026-12-02T13:35:00.000000Z"), PARIS, TODAY)
    assert words.status == "Waiting: Odoo cannot be reached, next try at 14:35"
    assert words.retryable and not words.needs_attention


def test_a_bug_and_a_set_aside_item_need_attention():
    bug = words_of(item(state="failing", permanent=True, failure="bug",
                        last_error="Stopped on a bug in Grading Station (details in the log)."), PARIS, TODAY)
    assert bug.status.startswith("Stopped by a bug: Stopped on a bug") and bug.needs_attention
    aside = words_of(item(state="failing", permanent=True, failure="quarantined", payload={},
                          last_error="its saved data is damaged (not a record)"), PARIS, TODAY)
    assert aside.subject == "Grading of a unit"
    assert aside.status == "Set aside, not sent: its saved data is damaged (not a record)"


def test_an_older_change_shows_its_day_and_the_technical_side_keeps_the_ids():
    words = words_of(item(updated_at="2026-11-28T08:00:00.000000Z", error_detail="HTTP 502, cf-ray 8e1f"),
                     PARIS, TODAY)
    assert words.when == "28 Nov 09:00"
    assert "id: 6f1c2a9e-0d4b-4c1e-9b7a-3f2e1d0c9b8a" in words.technical and "cf-ray" in words.technical
    assert "cf-ray" not in words.sentence


def test_a_stock_update_and_an_unknown_kind():
    stock = words_of(item(kind="bm.stock", payload={"sku": "IP14P-GOOD", "model_name": "iPhone 14 Pro (good)"}),
                     PARIS, TODAY)
    assert stock.sentence == (
        "Back Market stock of iPhone 14 Pro (good), SKU IP14P-GOOD waiting to be sent to Back Market")
    other = words_of(item(kind="crm.note", payload={"serial": "SN-1"}), PARIS, TODAY)
    assert other.subject == "crm.note item for SN-1"


def test_a_failing_row_from_before_the_failure_column_is_read_from_permanent():
    waiting = words_of(item(state="failing", last_error="Odoo cannot be reached.",
                            next_attempt_at="2026-12-02T13:35:00.000000Z"), PARIS, TODAY)
    stopped = words_of(item(state="failing", permanent=True, last_error="Odoo refused."), PARIS, TODAY)
    assert (waiting.failure, waiting.needs_attention) == ("retry", False)
    assert (stopped.failure, stopped.needs_attention) == ("refused", True)
