"""The Listing workspace's table over the Odoo simulator: every station's units, grade titles, prices per
market in the station's language, the local fallback when Odoo is down, and the Back Market header."""

from __future__ import annotations

import pytest

from grading_station.backmarket.registry import ListingRegistry
from grading_station.odoo import OdooGateway

from grading_station.services.listing_overview import overview_from

from grading_station.ui.listing.panel import ListingPanel

from grading_station import i18n
from grading_station.app import grade_names
from grading_station.config import Config
from grading_station.demo import seed_demo
from tests.integration.odoo.conftest import settings_for
from tests.integration.odoo.test_stock_overview import stock_from_another_station

OTHER = "OTHER-BENCH-7"
SKU = "IP14P-256-PUR-PREMIUM"


@pytest.fixture
def gateway(odoo_sim):
    gw = OdooGateway(settings_for(odoo_sim, timeout=1.0), grades=grade_names())
    seed_demo(gw)
    phone = gw.search_models("IP14P-256-PUR")[0]
    stock_from_another_station(odoo_sim, phone.variant_ids_by_grade["premium"], OTHER)
    yield gw
    gw.close()


@pytest.fixture
def config():
    config = Config(None)
    config.set("backmarket.markets", ["fr-fr", "de-de"])
    return config


@pytest.fixture
def registry():
    registry = ListingRegistry(None)
    prices = {"fr-fr": ["549.00", "480.00"], "de-de": ["559.5", "490"]}
    registry.set_listing(SKU, "live", quantity=3, prices=prices)
    registry.note_unit("LOCAL-1", 1, SKU, "iPhone 14 Pro 256GB Deep Purple", "premium")
    return registry


@pytest.fixture
def english():
    yield i18n.install("en")
    i18n.install("en")


def make_panel(qtbot, config, gateway, registry, *, demo=False):
    panel = ListingPanel(overview_from(config, gateway, registry, dict(grade_names())), feed=None, demo=demo)
    qtbot.add_widget(panel)
    panel.refresh()
    qtbot.wait_until(lambda: panel.table.rowCount() > 0, timeout=10_000)
    return panel


def headers(panel):
    return [panel.table.horizontalHeaderItem(c).text() for c in range(panel.table.columnCount())]


def row_of(panel, serial):
    names = headers(panel)
    for r in range(panel.table.rowCount()):
        if panel.table.item(r, 0).text() == serial:
            return {names[c]: panel.table.item(r, c).text() for c in range(panel.table.columnCount())}
    raise AssertionError(f"{serial} not in the table")


def test_units_graded_at_another_station_show_with_their_grade_title_and_location(
    qtbot, english, config, gateway, registry
):
    panel = make_panel(qtbot, config, gateway, registry)
    assert headers(panel) == ["Serial", "Model", "Grade", "Location", "SKU", "On sale", "fr-fr", "de-de",
                              "Back Market"]
    assert panel.table.rowCount() == 13  # the twelve demo units and the other bench's, not only this station's
    assert panel.table.item(0, 0).text() == OTHER  # newest first
    other = row_of(panel, OTHER)
    assert other["Model"] == "iPhone 14 Pro 256GB Deep Purple" and other["Grade"] == "Premium"
    assert (other["Location"], other["SKU"], other["On sale"]) == ("WH/Stock", SKU, "3")
    assert other["Back Market"] == "Live (3 on sale)"
    held = row_of(panel, "352830111790931")
    assert (held["Grade"], held["Location"]) == ("Good", "WH/Hold")
    assert (held["On sale"], held["fr-fr"], held["Back Market"]) == ("—", "—", "Pending")
    assert "LOCAL-1" not in {panel.table.item(r, 0).text() for r in range(13)}
    assert panel.source_note.isHidden()
    assert panel.select_serial("352830111790931") and panel.selected_serials() == ["352830111790931"]


def test_prices_per_market_are_written_in_the_station_language(qtbot, english, config, gateway, registry):
    panel = make_panel(qtbot, config, gateway, registry)
    other = row_of(panel, OTHER)
    assert (other["fr-fr"], other["de-de"]) == ("€549.00", "€559.50")
    i18n.install("fr")
    panel.refresh()
    qtbot.wait_until(lambda: row_of(panel, OTHER)["fr-fr"] != "€549.00")
    assert row_of(panel, OTHER)["fr-fr"] == "549,00\u00a0€"
    assert row_of(panel, OTHER)["de-de"] == "559,50\u00a0€"


def test_odoo_down_falls_back_to_this_station_units_and_says_so(
    qtbot, english, config, gateway, registry, odoo_sim
):
    panel = make_panel(qtbot, config, gateway, registry)
    odoo_sim.down = True
    panel.refresh()
    qtbot.wait_until(lambda: panel.table.rowCount() == 1, timeout=10_000)
    assert not panel.source_note.isHidden()
    assert panel.source_note.text().startswith(
        "Odoo cannot be reached: showing the units graded at this station, as of "
    )
    local = row_of(panel, "LOCAL-1")
    assert (local["Grade"], local["Location"], local["fr-fr"]) == ("Premium", "—", "€549.00")
    odoo_sim.down = False
    panel.refresh()
    qtbot.wait_until(lambda: panel.table.rowCount() == 13, timeout=10_000)
    assert panel.source_note.isHidden()


def test_the_header_names_the_back_market_in_use(qtbot, english, config, gateway, registry):
    panel = make_panel(qtbot, config, gateway, registry)
    assert panel.target.text() == "Back Market EU, production: https://www.backmarket.fr"
    config.set("backmarket.environment", "preprod")
    panel.refresh()
    qtbot.wait_until(lambda: "preprod" in panel.target.text())
    assert panel.target.text() == "Back Market EU, preprod (test account): https://preprod.backmarket.fr"


def test_demo_mode_says_so_in_the_header(qtbot, english, config, gateway, registry):
    config.set("backmarket.base_url", "http://127.0.0.1:8069/")
    panel = make_panel(qtbot, config, gateway, registry, demo=True)
    assert panel.target.text().startswith("DEMO — Back Market simulator")
    assert "http://127.0.0.1:8069" in panel.target.text()


@pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform, on show()
@pytest.mark.parametrize("width", [1166, 1720])  # the workspace beside the side bar at 1366 and 1920 pixels
def test_every_column_fits_the_workspace_and_the_state_stays_readable(
    qtbot, english, config, gateway, registry, width
):
    reason = "Back Market refused the listing: " + "x" * 200
    registry.set_listing("IP14P-256-PUR-GOOD", "failed", reason=reason)
    panel = make_panel(qtbot, config, gateway, registry)
    panel.resize(width, 700)
    panel.show()
    qtbot.wait_exposed(panel)
    table = panel.table
    widths = [table.columnWidth(c) for c in range(table.columnCount())]
    assert sum(widths) <= table.viewport().width()  # nothing off the right edge
    assert widths[-1] >= 170
    sku_width = table.fontMetrics().horizontalAdvance("SM-S911B-128-BLK-EXCELLENT")
    if width > 1500:  # room for every name and SKU whole
        assert widths[4] >= sku_width
        assert widths[1] >= table.fontMetrics().horizontalAdvance("Samsung Galaxy S23 128GB Phantom Black")
    else:  # Model and SKU give way, down to a readable width
        assert widths[1] >= 140 and widths[4] >= 190
    failed = next(r for r in range(table.rowCount()) if table.item(r, 4).text() == "IP14P-256-PUR-GOOD")
    assert table.item(failed, table.columnCount() - 1).toolTip().endswith("x" * 200)


def test_list_on_back_market_takes_the_variants_of_other_stations_units_too(qtbot, english, config, gateway,
                                                                             registry):
    """The batch action used to look serials up in this station's registry: a unit graded elsewhere was
    silently skipped. It now sends the variants of the rows shown (the feed syncs variants)."""
    from grading_station.services.listing_outcomes import SyncReport

    asked: list[list[int]] = []

    class Feed:  # records what the panel asks the listing feed (the feed itself is tested end to end)
        def list_variants(self, variants, progress=None):
            asked.append(list(variants))
            return SyncReport((), 0)

    panel = ListingPanel(overview_from(config, gateway, registry, dict(grade_names())), feed=Feed())
    qtbot.add_widget(panel)
    panel.refresh()
    qtbot.wait_until(lambda: panel.table.rowCount() > 0, timeout=10_000)
    phone = gateway.search_models("IP14P-256-PUR")[0]
    assert panel.select_serial(OTHER)
    with qtbot.wait_signal(panel.batch_did_finish, timeout=5000):
        panel.list_button.click()
    assert asked == [[phone.variant_ids_by_grade["premium"]]]
