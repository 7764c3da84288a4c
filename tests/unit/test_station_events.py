"""Services raise station events without Qt: a delivered grading says its unit changed, a recorded listing says
its SKU changed; a listener's bug never undoes the work."""

from __future__ import annotations

from types import SimpleNamespace

from grading_station.backmarket.registry import ListingRegistry

from grading_station.services.events import ListingDidChange, StationEvents, UnitDidChange, announcing


def test_a_delivered_item_announces_its_unit_and_a_failed_one_does_not(expected_logs):
    hub, heard = StationEvents(), []
    hub.subscribe(heard.append)
    handler = announcing(lambda item: {"lot": 7}, hub)
    assert handler(SimpleNamespace(payload={"serial": "356938035643809"})) == {"lot": 7}
    assert heard == [UnitDidChange("356938035643809")]

    def refused(item):
        raise RuntimeError("Odoo refused")

    try:
        announcing(refused, hub)(SimpleNamespace(payload={"serial": "X1"}))
    except RuntimeError:
        pass
    assert heard == [UnitDidChange("356938035643809")]  # nothing reached Odoo: nothing changed


def test_a_recorded_listing_announces_its_sku():
    registry, heard = ListingRegistry(None), []
    hub = StationEvents()
    hub.subscribe(heard.append)
    registry.listeners.append(lambda sku: hub.publish(ListingDidChange((sku,))))
    registry.set_listing("IP13-128-MID-GOOD", "live", quantity=2)
    assert heard == [ListingDidChange(("IP13-128-MID-GOOD",))]


def test_a_listener_that_fails_is_logged_and_the_others_still_hear(expected_logs):
    expected_logs.require("grading_station.events", "event listener failed on UnitDidChange")
    hub, heard = StationEvents(), []

    def broken(event):
        raise ValueError("screen bug")

    hub.subscribe(broken)
    hub.subscribe(heard.append)
    hub.publish(UnitDidChange("S1"))
    assert heard == [UnitDidChange("S1")]
