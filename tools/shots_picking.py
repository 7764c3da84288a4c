"""Screenshots of the Picking workspace at 1366×768 and 1920×1080 (offscreen), with a late order, a refused scan,
a picked order and a line that could not be served: `.venv/bin/python tools/shots_picking.py OUT_DIR`."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

from grading_station.ui.picking.panel import PickingPanel  # noqa: E402

from grading_station.paths import paths_under  # noqa: E402
from grading_station.sim.backmarket.server import BackMarketSimulator  # noqa: E402
from grading_station.sim.odoo import OdooSimulator  # noqa: E402
from tests.helpers.picking_world import FAIR_14, NOW, build_world  # noqa: E402


def wait(app: QApplication, until, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not until() and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    app.processEvents()


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        odoo, bm = OdooSimulator().start(port=0), BackMarketSimulator().start()
        world = build_world(odoo, bm, paths_under(Path(tmp) / "base").ensure())
        world.place(("IP14P-256-PUR", "good", 1), order_id=77001, expected_dispatch="2026-12-01T16:00:00Z",
                    customer=("Jeanne", "Martin"))
        world.place(("PX7-128-OBS", "good", 1), ("IP13-128-MID", "excellent", 1), order_id=77002,
                    expected_dispatch="2026-12-02T16:00:00Z", customer=("Lukas", "Schmidt"), country_code="de-de")
        world.place(("MBA-M1-8-256-GRY", "good", 1), order_id=77003, expected_dispatch="2026-12-03T12:00:00Z",
                    customer=("Lucía", "García"), country_code="es-es")
        world.place(("IP14P-256-PUR", "excellent", 1), order_id=77004, expected_dispatch="2026-12-03T16:00:00Z")
        panel = PickingPanel(world.picking, world.importer, world.config, poll=False, clock=lambda: NOW)
        panel.show()
        panel.poll()
        wait(app, lambda: bool(world.items("bm.order.import")))
        world.deliver()
        panel.poll()
        wait(app, lambda: bool(panel.unserved))
        panel.refresh()
        wait(app, lambda: panel.loads >= 1 and not panel._loading)
        panel.table.setFocus()
        panel.on_scan(FAIR_14, "scanner")
        wait(app, lambda: "Fair" in panel.verdict.text())
        for width, height in ((1366, 768), (1920, 1080)):
            panel.resize(width, height - 110)  # the main window's side bar and status bar take the rest
            wait(app, lambda: False, 0.3)
            panel.grab().save(str(out / f"picking-refused-{width}x{height}.png"))
        panel.table.selectRow(1)
        panel.on_scan("358508112045059", "scanner")
        wait(app, lambda: "accepted" in panel.verdict.text() or "Picked" in panel.verdict.text(), 5)
        wait(app, lambda: False, 0.5)
        for width, height in ((1366, 768), (1920, 1080)):
            panel.resize(width, height - 110)
            wait(app, lambda: False, 0.3)
            panel.grab().save(str(out / f"picking-picked-{width}x{height}.png"))
        panel.table.selectRow(0)
        panel.on_scan("354660111457621", "scanner")
        wait(app, lambda: panel.current_order() is not None and panel.current_order().picked, 5)
        wait(app, lambda: False, 0.3)
        panel.on_scan("6A01234567890", "scanner")  # the parcel label: the tracking number
        for width, height in ((1366, 768), (1920, 1080)):
            panel.resize(width, height - 110)
            wait(app, lambda: False, 0.3)
            panel.grab().save(str(out / f"picking-ship-{width}x{height}.png"))
        panel.stop()
        world.gateway.close()
        world.store.close()
        odoo.stop()
        bm.stop()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "shots"))
