"""The registry records when each unit's listing went live (for the supervisor's time-to-listing figures), and an
older registry file is migrated without losing its rows."""

from __future__ import annotations

import sqlite3

from grading_station.backmarket.registry import ListingRegistry


def test_a_unit_is_listed_when_its_sku_first_goes_live_with_stock(tmp_path):
    clock = [1000.0]
    registry = ListingRegistry(tmp_path / "bm.sqlite3", clock=lambda: clock[0])
    registry.note_unit("SN1", 7, "IP13-GOOD", "iPhone 13", "good")
    registry.set_listing("ip13-good", "pending")
    clock[0] = 1500.0
    registry.set_listing("IP13-GOOD", "live", quantity=0)  # on Back Market at 0: not on sale
    assert registry.listed_at() == {}
    clock[0] = 2000.0
    registry.set_listing("IP13-GOOD", "live", quantity=1)
    clock[0] = 3000.0
    registry.note_unit("SN2", 7, "IP13-GOOD", "iPhone 13", "good")
    registry.set_listing("IP13-GOOD", "live", quantity=2)  # a later push lists the new unit, not SN1 again
    assert registry.listed_at() == {"SN1": 2000.0, "SN2": 3000.0}
    registry.note_unit("SN1", 8, "IP13-FAIR", "iPhone 13", "fair")  # re-graded: listed again when FAIR goes live
    assert registry.listed_at(["SN1"]) == {}
    registry.close()


def test_a_registry_of_the_first_version_is_migrated(tmp_path):
    path = tmp_path / "bm.sqlite3"
    db = sqlite3.connect(path)
    db.executescript("""
        CREATE TABLE listing (sku_key TEXT PRIMARY KEY, sku TEXT NOT NULL, listing_uuid TEXT, legacy_id INTEGER,
            state TEXT NOT NULL, reason TEXT NOT NULL DEFAULT '', quantity INTEGER, task_id INTEGER,
            prices TEXT NOT NULL DEFAULT '{}', updated_at REAL NOT NULL);
        CREATE TABLE unit (serial TEXT PRIMARY KEY, variant_id INTEGER NOT NULL, sku TEXT NOT NULL,
            model_name TEXT NOT NULL, grade TEXT NOT NULL, graded_at REAL NOT NULL);
        INSERT INTO unit VALUES ('OLD1', 7, 'IP13-GOOD', 'iPhone 13', 'good', 10.0);
        PRAGMA user_version = 1;
    """)
    db.close()
    registry = ListingRegistry(path, clock=lambda: 50.0)
    assert registry.unit("OLD1").sku == "IP13-GOOD"
    registry.set_listing("IP13-GOOD", "live", quantity=1)
    assert registry.listed_at() == {"OLD1": 50.0}
    registry.close()
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == 2
    ListingRegistry(path).close()  # opening a current one again changes nothing
