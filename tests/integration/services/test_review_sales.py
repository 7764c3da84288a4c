"""Sales figures from the Back Market simulator's shipped orders, the payout reconciliation, the CO₂ report."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from grading_station.services.review_sales import SalesService, mismatches_csv, sustainability_csv

from grading_station.errors import InputError
from tests.helpers.bm_sim import DEMO_EAN

TODAY = datetime.now(UTC).date()


def ship(bm_sim, sku: str, *, late: bool = False) -> int:
    bm_sim.catalogue.add_product(DEMO_EAN, "iPhone 14 Pro")
    order_id = bm_sim.orders.place([(sku, 1)])
    order = bm_sim.orders.orders[order_id]
    order.lines[0].state = 3
    promised = datetime.now(UTC) + (timedelta(days=-1) if late else timedelta(days=2))
    order.expected_dispatch = promised.strftime("%Y-%m-%dT%H:%M:%S+00:00")
    order.shipped_at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")
    return order_id


@pytest.fixture
def sales(bm):
    kinds = {"ip14p-256-pur-good": ("good", "phone"), "mba-m1-8-256-gry-premium": ("premium", "laptop")}
    return SalesService(bm, lambda: kinds)


def test_sales_figures_of_a_period(sales, bm_sim):
    ship(bm_sim, "IP14P-256-PUR-GOOD")
    ship(bm_sim, "IP14P-256-PUR-GOOD", late=True)
    ship(bm_sim, "MBA-M1-8-256-GRY-PREMIUM")
    bm_sim.orders.place([("IP14P-256-PUR-GOOD", 1)])  # paid, not shipped: not a sale of the period yet
    figures = sales.read(TODAY - timedelta(days=30), TODAY)
    assert len(figures.lines) == 3
    good = next(c for c in figures.commission if c.grade == "good")
    assert good.sales == 2 and good.fee == good.revenue * Decimal("0.1")
    assert (figures.fulfilment.shipped, figures.fulfilment.on_time) == (3, 2)
    co2 = {r.category: r for r in figures.co2}
    assert co2["phone"].units == 2 and co2["phone"].kg == pytest.approx(49.2) and "ADEME" in co2["phone"].source
    report = sustainability_csv(figures)
    assert "phone,2,49.2," in report and report.splitlines()[-1].endswith(",3,76.2,")


def test_the_payout_file_is_reconciled_and_bad_files_are_said(sales, bm_sim):
    first, second = ship(bm_sim, "IP14P-256-PUR-GOOD"), ship(bm_sim, "IP14P-256-PUR-GOOD")
    figures = sales.read(TODAY - timedelta(days=30), TODAY)
    net = {ln.order_id: ln.net for ln in figures.lines}
    payout = f"Order ID;Amount\n{first};{net[first]}\n{second};1.00\n".encode()
    mismatches = sales.reconcile_payout(payout, figures)
    assert [(m.order_id, m.kind) for m in mismatches] == [(second, "amount_differs")]
    assert f"{second},amount_differs," in mismatches_csv(mismatches)
    with pytest.raises(InputError, match="lacks the column"):
        sales.reconcile_payout(b"date,total\n2026-11-01,3\n", figures)
    with pytest.raises(InputError, match="not a CSV"):
        sales.reconcile_payout("order_id;amount\n".encode("utf-16"), figures)


def test_figures_for_a_year_of_20000_sales_take_under_2_seconds():
    import time

    from grading_station.domain.sales_figures import SaleLine

    from grading_station.services.review_sales import figures_of, load_co2

    start = date(2025, 12, 1)
    lines = [SaleLine(n, f"SKU{n % 40}", ("premium", "good", "fair")[n % 3], ("phone", "tablet", "laptop")[n % 3],
                      Decimal("300.00"), Decimal("30.00"), f"{start + timedelta(days=n % 365)}T10:00:00Z",
                      f"{start + timedelta(days=n % 365 + 1)}T10:00:00Z",
                      f"{start + timedelta(days=n % 365 + 2)}T10:00:00Z") for n in range(20_000)]
    began = time.perf_counter()
    figures = figures_of(lines, load_co2(), start, start + timedelta(days=400))
    assert time.perf_counter() - began < 2.0
    assert len(figures.lines) == 20_000 and figures.fulfilment.on_time == 20_000


def test_figures_trace_sold_units_to_their_grader_and_time_intake_to_listing(review, bm, bm_sim):
    from grading_station.backmarket.registry import ListingRegistry
    from grading_station.store.review import ReviewStore

    from grading_station.services.review_care import CareService
    from grading_station.services.review_figures import compute

    from tests.integration.services.test_review_returns import SERIAL
    from tests.integration.services.test_review_returns import sell as sell_in_odoo

    sell_in_odoo(review, SERIAL)  # delivered: no longer on hand, its grading stays on its lot
    order_id = ship(bm_sim, "IP13-128-MID-GOOD")
    bm_sim.orders.orders[order_id].lines[0].imei = SERIAL
    bm_sim.routes.care.open(order_id, issues=(("BATTERY", "TECHNICAL"),))
    disputes = CareService(bm, review.gateway, ReviewStore(review.store.executor, review.store.outbox)).poll()
    registry = ListingRegistry(None, clock=lambda: datetime(2026, 11, 25, 12, tzinfo=UTC).timestamp())
    registry.note_unit(SERIAL, 1, "IP13-128-MID-GOOD", "iPhone 13", "good")
    registry.set_listing("IP13-128-MID-GOOD", "live", quantity=1)
    service = review.service
    service.listed_at = registry.listed_at

    queues = service.load()
    on_hand = service.units_for_figures(queues)
    assert SERIAL not in {u.serial for u in on_hand}
    sold = service.sold_units(SalesService(bm, lambda: {}).sold_serials(TODAY - timedelta(days=365)))
    assert [u.serial for u in sold] == [SERIAL] and sold[0].technician
    figures = compute(on_hand, disputes, TODAY, sold=sold, listed=service.listed_at())
    grader = next(r for r in figures.operators if r.technician == sold[0].technician)
    mine = [u for u in on_hand if u.technician == sold[0].technician]
    assert (grader.graded, grader.disputes) == (len(mine) + 1, 1)  # the sold unit and its care folder count
    row = next(g for g in figures.grades if (g.category, g.grade) == (sold[0].category, sold[0].grade))
    intake = date.fromisoformat(str(sold[0].props["intake_date"])[:10])
    assert (row.sold, row.listed, row.median_days_to_listing) == (1, 1, (date(2026, 11, 25) - intake).days)
    assert figures.sold == 1
