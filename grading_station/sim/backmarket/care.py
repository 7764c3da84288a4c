"""Back Market care folders (after-sales cases, "SAV") as the seller API serves them: list from `last_id`, details
with the claim's issues, resolution choice, declared warranty state and return label, and messages (API-NOTES §6)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime

from grading_station.sim.backmarket.orders import OrderBook

PAGE_SIZE = 10  # fixed by Back Market
MAX_FILES, MAX_BYTES = 10, 3 * 1024 * 1024


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


@dataclass
class SimFolder:
    id: int
    order_id: int
    line_id: int
    sku: str
    issues: list[tuple[str, str]]
    resolution_choice: str
    declared_warranty_state: str
    return_label: bool
    state: int = 0
    created: str = field(default_factory=_now)
    modified: str = field(default_factory=_now)
    messages: list[dict] = field(default_factory=list)

    def summary(self) -> dict:
        return {"id": self.id, "client": 4242, "merchant": 77, "orderline": self.line_id,
                "date_creation": self.created, "date_modification": self.modified,
                "date_last_message": self.messages[-1]["date_creation"] if self.messages else self.created,
                "state": self.state, "lines": [self.id * 10], "country_code": "fr-fr", "backcare": False}

    def detail(self, order: dict | None) -> dict:
        labels = [{"date_creation": self.created, "state": "ALIVE", "label": f"https://example.com/label/{self.id}.pdf",
                   "kind": "CUSTOMER_TO_MERCHANT", "initiator": "BackMarket"}] if self.return_label else []
        claim = {"id": self.id * 10, "state": self.state,
                 "issues": [{"customerIssue": issue, "tag": tag} for issue, tag in self.issues],
                 "resolution_choice": self.resolution_choice, "declared_warranty_state": self.declared_warranty_state,
                 "return_labels": labels}
        line = next((ln for ln in (order or {}).get("orderlines", []) if ln["id"] == self.line_id), {})
        data = {k: v for k, v in self.summary().items() if k not in ("lines", "client", "merchant", "orderline")}
        data.update(
            client={"first_name": "Victor", "last_name": "Hugo", "email": "victor@example.com"},
            merchant={"id": 77, "first_name": "Acme", "last_name": "Refurb"},
            lines=[claim], messages=self.messages,
            orderline={"id": self.line_id, "quantity": line.get("quantity", 1), "price": line.get("price", "0.00"),
                       "state": line.get("state", 3),
                       "order": {"order_id": self.order_id, "state": (order or {}).get("state", 9),
                                 "country_code": "fr-fr", "currency": "EUR"},
                       "snapshot": {"sku": self.sku, "listing": line.get("listing_id", 0)}},
        )
        return data


class CareBook:
    """Care folders opened by the tests (`open`), the merchant's messages on them. Thread-safe."""

    def __init__(self, orders: OrderBook) -> None:
        self.orders = orders
        self.folders: dict[int, SimFolder] = {}
        self.lock = threading.Lock()
        self._next = 100_000_000  # folders above 100,000,000 take messages with attachments (API-NOTES §6)

    def open(self, order_id: int, line_id: int | None = None, *, sku: str = "",
             issues: tuple[tuple[str, str], ...] = (("BATTERY_NOT_CHARGING", "TECHNICAL"),),
             resolution_choice: str = "REPAIR", declared_warranty_state: str = "IN_WARRANTY",
             return_label: bool = True) -> int:
        """A customer opens a case on an order line (the first line by default; an unknown order is allowed:
        Back Market may know orders the station never imported)."""
        order = self.orders.orders.get(order_id)
        line = next((ln for ln in order.lines if line_id in (None, ln.id)), None) if order else None
        with self.lock:
            self._next += 1
            folder = SimFolder(self._next, order_id, line.id if line else (line_id or 0),
                               sku or (line.sku if line else ""), list(issues), resolution_choice,
                               declared_warranty_state, return_label)
            self.folders[folder.id] = folder
            return folder.id

    def page(self, last_id: int, state: int | None, page: int) -> tuple[list[dict], bool]:
        with self.lock:
            found = [f for f in sorted(self.folders.values(), key=lambda f: f.id)
                     if f.id > last_id and (state is None or f.state == state)]
        chunk = found[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
        return [f.summary() for f in chunk], page * PAGE_SIZE < len(found)

    def detail(self, folder_id: int) -> dict | None:
        with self.lock:
            folder = self.folders.get(folder_id)
        if folder is None:
            return None
        order = self.orders.orders.get(folder.order_id)
        return folder.detail(order.to_json() if order else None)

    def post(self, folder_id: int, message: str, files: list[tuple[str, bytes]]) -> tuple[int, dict]:
        with self.lock:
            folder = self.folders.get(folder_id)
            if folder is None:
                return 404, {}
            if not message or len(files) > MAX_FILES or any(len(data) > MAX_BYTES for _, data in files):
                return 400, {}
            msg_id = len(folder.messages) + 1 + folder_id % 1000 * 1000
            folder.messages.append({"id": msg_id, "message": message, "date_creation": _now(),
                                    "attachments": [{"id": msg_id * 100 + n, "attachment": f"https://example.com/sav/{name}"}
                                                    for n, (name, _) in enumerate(files)], "initiator": "merchant",
                                    "kind": "message", "is_informative": False})
            folder.state = 0  # posting reopens a closed folder
            folder.modified = _now()
            return 201, {"id": msg_id, "group": folder_id, "sender": 77, "message": message,
                         "date_creation": folder.modified,
                         "attachments": [{"msg": msg_id, "group": folder_id, "sender": 77, "attachment": name}
                                         for name, _ in files]}
