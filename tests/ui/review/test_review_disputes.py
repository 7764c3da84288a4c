"""The Returns and disputes tab: care folders from the Back Market simulator beside the unit's grading in the Odoo
simulator, a scan jumps to the folder, the reply leaves through the outbox with the evidence."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from PySide6.QtCore import Qt

from grading_station.store.review import ReviewStore

from grading_station.services.delivery import Deliverer
from grading_station.services.review_care import KIND_CARE_REPLY, CareReplyHandler, CareService

from grading_station.ui.main_window import MainWindow, Workspace
from grading_station.ui.review.panel import DISPUTES, ReviewPanel

from tests.helpers.review_rig import NOW
from tests.integration.services.test_review_care import sell

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform, on show()

SERIAL = "354660111457621"


@pytest.fixture
def panel(qtbot, review, bm, bm_sim):
    bm_sim.routes.care.open(sell(bm_sim, SERIAL, "IP14P-256-PUR-FAIR"), issues=(("SCREEN_FLICKERING", "TECHNICAL"),))
    bm_sim.routes.care.open(424242, sku="IP13-128-MID-GOOD")  # an order this seller never had
    view = ReviewPanel(review.service, supervisor="Marie", clock=lambda: NOW)
    view.set_care(CareService(bm, review.gateway, ReviewStore(review.store.executor, review.store.outbox),
                              grade_of_sku=lambda sku: sku.rsplit("-", 1)[-1].lower()))
    window = MainWindow("Review desk")
    qtbot.add_widget(window)
    window.add_workspace(Workspace("review", "Review", view, "F6"))
    window.resize(1366, 768)
    window.show()
    qtbot.waitUntil(lambda: view.disputes is not None and view.queues is not None, timeout=5000)
    return view


def test_disputes_show_the_claim_beside_the_original_grading(panel):
    assert panel.tabs.widget(0) is panel.tables[DISPUTES] and panel.tabs.tabText(0).endswith("(2)")
    panel.on_scan(SERIAL, "scanner")
    assert panel.current_table() is panel.tables[DISPUTES] and panel.selected.serial == SERIAL
    claim = panel.detail.claim.text()
    assert "SCREEN_FLICKERING" in claim and "re-graded since the sale" in claim
    assert "demo at demo-bench" in panel.detail.facts.text()  # the original grading
    assert panel.form.buttons["reply"].isEnabled()


def test_a_folder_of_an_unknown_order_shows_why_and_offers_no_reply(panel):
    table = panel.tables[DISPUTES]
    row = next(r for r in range(table.proxy.rowCount()) if "unknown" in table.proxy.index(r, 9).data())
    table.view.selectRow(row)
    assert panel.selected is None and "424242" in panel.detail.claim.text()
    assert not panel.form.buttons["reply"].isEnabled() and not panel.form.buttons["repair"].isEnabled()


def test_reply_from_the_screen_reaches_back_market(panel, qtbot, review, bm, bm_sim):
    panel.on_scan(SERIAL, "scanner")
    qtbot.keyClicks(panel.form.reason, "Tested before shipping: screen fine, see the report.")
    qtbot.mouseClick(panel.form.buttons["reply"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "saved" in panel.form.status.text(), timeout=5000)
    deliverer = Deliverer(review.store.outbox, clock=lambda: datetime.now(UTC))
    deliverer.register(KIND_CARE_REPLY, CareReplyHandler(bm, review.gateway))
    assert deliverer.deliver_due() == 1
    folder = next(f for f in bm_sim.routes.care.folders.values() if f.order_id != 424242)
    assert "screen fine" in folder.messages[0]["message"]


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_disputes_screenshot(panel, qtbot, tmp_path, size):
    folder = Path(os.environ.get("REVIEW_SHOTS_DIR") or tmp_path / "shots")
    folder.mkdir(parents=True, exist_ok=True)
    window = panel.window()
    window.resize(*size)
    panel.on_scan(SERIAL, "scanner")
    qtbot.wait(50)
    assert (window.width(), window.height()) == size
    window.grab().save(str(folder / f"00-disputes-{size[0]}x{size[1]}.png"))


def test_receive_return_of_a_sold_unit_from_the_disputes_tab(qtbot, review, bm, bm_sim):
    from tests.integration.services.test_review_returns import sell as deliver_in_odoo

    deliver_in_odoo(review, "353918111124315")
    bm_sim.routes.care.open(sell(bm_sim, "353918111124315", "IP13-128-MID-GOOD"))
    view = ReviewPanel(review.service, supervisor="Marie", clock=lambda: NOW)
    view.set_care(CareService(bm, review.gateway, ReviewStore(review.store.executor, review.store.outbox),
                              grade_of_sku=lambda sku: sku.rsplit("-", 1)[-1].lower()))
    qtbot.add_widget(view)
    view.show()
    qtbot.waitUntil(lambda: view.disputes is not None and view.queues is not None, timeout=5000)
    view.on_scan("353918111124315", "scanner")
    assert view.form.buttons["return"].isEnabled() and not view.form.buttons["repair"].isEnabled()
    qtbot.keyClicks(view.form.reason, "Battery not charging (care folder)")
    qtbot.mouseClick(view.form.buttons["return"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "saved" in view.form.status.text(), timeout=5000)
    assert review.deliver() == 1
    assert review.where("353918111124315") == ["WH/Hold"]


def test_sales_payout_and_sustainability_report_from_the_figures_tab(qtbot, review, bm, bm_sim, tmp_path):
    from grading_station.services.review_sales import SalesService

    from tests.integration.services.test_review_sales import ship

    first, second = ship(bm_sim, "IP14P-256-PUR-GOOD"), ship(bm_sim, "IP14P-256-PUR-GOOD")
    view = ReviewPanel(review.service, supervisor="Marie")
    view.set_sales(SalesService(bm, lambda: {"ip14p-256-pur-good": ("good", "phone")}))
    qtbot.add_widget(view)
    view.show()
    sales = view.figures.sales
    view.tabs.setCurrentWidget(view.figures)
    qtbot.mouseClick(sales.read_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: sales.figures is not None, timeout=5000)
    assert "2 units sold" in sales.summary.text() and "Good 10.0 %" in sales.summary.text()
    payout = tmp_path / "payout.csv"
    net = {ln.order_id: ln.net for ln in sales.figures.lines}
    payout.write_text(f"order_id;amount\n{first};{net[first]}\n", encoding="utf-8")
    report = tmp_path / "report.csv"
    sales.chooser = lambda parent, name, save: str(report if save else payout)
    qtbot.mouseClick(sales.payout_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: sales.mismatches.count() == 1, timeout=5000)
    assert sales.mismatches.model.rows[0].order_id == second
    qtbot.mouseClick(sales.report_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: report.with_suffix(".pdf").exists() and "saved" in sales.summary.text(), timeout=5000)
    assert report.read_text(encoding="utf-8").startswith("period_start,period_end,category")
    assert report.with_suffix(".pdf").read_bytes().startswith(b"%PDF")
    payout.write_bytes(b"PK\x03\x04")  # an Excel file instead of CSV
    qtbot.mouseClick(sales.payout_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "not a CSV" in sales.summary.text(), timeout=5000)


def test_a_return_received_in_odoo_is_in_the_disputes_beside_the_folders(qtbot, review, bm, bm_sim):
    from tests.integration.services.test_review_returns import SERIAL as RETURNED
    from tests.integration.services.test_review_returns import sell as sell_in_odoo

    bm_sim.routes.care.open(sell(bm_sim, SERIAL, "IP14P-256-PUR-FAIR"))
    sell_in_odoo(review, RETURNED)
    review.service.receive_return(review.gateway.units_by_serial([RETURNED])[RETURNED], "Marie", "No sound")
    assert review.deliver() == 1
    view = ReviewPanel(review.service, supervisor="Marie", clock=lambda: NOW)
    view.set_care(CareService(bm, review.gateway, ReviewStore(review.store.executor, review.store.outbox),
                              grade_of_sku=lambda sku: sku.rsplit("-", 1)[-1].lower()))
    qtbot.add_widget(view)
    view.show()
    qtbot.waitUntil(lambda: view.disputes is not None and view.queues is not None, timeout=5000)
    assert view.tabs.tabText(0).endswith("(2)")
    view.on_scan(RETURNED, "scanner")
    assert view.current_table() is view.tables[DISPUTES] and view.selected.serial == RETURNED
    claim = view.detail.claim.text()
    assert "Returned" in claim and "WH/" in claim and "Sold as" in claim and "Good" in claim
    assert not view.form.buttons["reply"].isEnabled()  # no care folder to answer
