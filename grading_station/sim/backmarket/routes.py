"""The operations the simulator serves: (method, path regex) -> handler returning (status, JSON body)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from urllib.parse import parse_qs, urlencode

from grading_station.sim.backmarket.care import CareBook
from grading_station.sim.backmarket.catalogue import Catalogue, Refused
from grading_station.sim.backmarket.orders import OrderBook

Reply = tuple[int, object]


def _v1(code: str, message: str) -> dict:
    return {"error": {"code": code, "message": message}, "requestId": "sim-" + code}


def _page(items: list, query: dict[str, list[str]], base: str) -> dict:
    """One page; `next`/`previous` are absolute URLs that keep the request's filters (only `page` moves)."""
    page = int(query.get("page", ["1"])[0])
    size = int(query.get("page-size", ["10"])[0])
    chunk = items[(page - 1) * size : page * size]
    has_next = page * size < len(items)

    def link(number: int) -> str:
        kept = [(k, v) for k, values in query.items() if k not in ("page", "page-size") for v in values]
        return f"{base}?{urlencode([('page', number), ('page-size', size), *kept])}"

    return {
        "count": len(items),
        "results": chunk,
        "next": link(page + 1) if has_next else None,
        "previous": link(page - 1) if page > 1 else None,
    }


def _since(value: str) -> datetime:
    """An RFC 3339 filter value; the spec does not say whether the date filters are lower bounds (API-NOTES
    §5 [gap]): the simulator takes them as "at or after"."""
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


class Routes:
    """Back Market's answers, from the catalogue and the order book."""

    def __init__(self, catalogue: Catalogue, orders: OrderBook, base_url: Callable[[], str]) -> None:
        self.catalogue, self.orders, self._base = catalogue, orders, base_url
        self.care = CareBook(orders)
        self.table: list[tuple[str, re.Pattern[str], Callable[..., Reply]]] = [
            ("GET", re.compile(r"^/ws/listings$"), self.list_listings),
            ("POST", re.compile(r"^/ws/listings$"), self.submit_batch),
            ("GET", re.compile(r"^/ws/listings/detail$"), self.listing_detail),
            ("GET", re.compile(r"^/ws/listings/(?P<key>[^/]+)$"), self.get_listing),
            ("POST", re.compile(r"^/ws/listings/(?P<key>[^/]+)$"), self.update_listing),
            ("GET", re.compile(r"^/ws/tasks/(?P<task_id>\d+)$"), self.get_task),
            ("GET", re.compile(r"^/ws/orders$"), self.list_orders),
            ("GET", re.compile(r"^/ws/orders/(?P<order_id>\d+)$"), self.get_order),
            ("POST", re.compile(r"^/ws/orders/(?P<order_id>\d+)$"), self.update_order),
            ("PATCH", re.compile(r"^/ws/orderlines/(?P<line_id>\d+)$"), self.patch_orderline),
            ("GET", re.compile(r"^/ws/sav/?$"), self.list_care_folders),
            ("GET", re.compile(r"^/ws/sav/(?P<folder_id>\d+)$"), self.get_care_folder),
            ("POST", re.compile(r"^/ws/sav/(?P<folder_id>\d+)/msg$"), self.post_care_message),
        ]

    def list_care_folders(self, q, market, body) -> Reply:
        page = int(q.get("page", ["1"])[0])
        state = int(q["state"][0]) if "state" in q else None
        results, more = self.care.page(int(q.get("last_id", ["0"])[0]), state, page)
        base = f"{self._base()}/ws/sav"
        answer: dict = {"count": len(results), "results": results}
        if more:  # the spec types next/previous as strings: absent rather than null
            answer["next"] = f"{base}?page={page + 1}"
        if page > 1:
            answer["previous"] = f"{base}?page={page - 1}"
        return 200, answer

    def get_care_folder(self, q, market, body, folder_id) -> Reply:
        detail = self.care.detail(int(folder_id))
        return (200, detail) if detail is not None else (404, _v1("not_found", "Care Folder does not exist"))

    def post_care_message(self, q, market, body, folder_id) -> Reply:
        """`body` is the multipart form as the server parsed it: {"message": str, "attachment": [(name, bytes)]}."""
        form = body if isinstance(body, dict) else {}
        status, answer = self.care.post(int(folder_id), str(form.get("message") or ""), form.get("attachment") or [])
        return status, answer or None

    def dispatch(self, method: str, path: str, query: str, market: str, body: object) -> Reply:
        self.catalogue.process_due()
        for verb, pattern, handler in self.table:
            match = pattern.match(path)
            if verb == method and match:
                try:
                    return handler(parse_qs(query), market, body, **match.groupdict())
                except Refused as exc:
                    return exc.status, exc.body
        return 404, _v1("not_found", f"no route {method} {path}")

    # --- listings ---
    def list_listings(self, q, market, body) -> Reply:
        with self.catalogue.lock:
            items = [x.to_json(market) for x in self.catalogue.listings.values()]
        for name, test in (
            ("publication_state", lambda x, v: x["publication_state"] == int(v)),
            ("min_quantity", lambda x, v: x["quantity"] >= int(v)),
            ("max_quantity", lambda x, v: x["quantity"] <= int(v)),
        ):
            if name in q:
                items = [x for x in items if test(x, q[name][0])]
        return 200, _page(items, q, self._base() + "/ws/listings")

    def _listing_reply(self, listing, market) -> Reply:
        if listing is None:
            return 404, _v1("listing_not_found", "Listing not found")
        return 200, {**listing.to_json(market), "statuscode": 200}

    def listing_detail(self, q, market, body) -> Reply:
        key = (q.get("sku") or q.get("id") or q.get("listing_id") or [""])[0]
        return self._listing_reply(self.catalogue.find(key) if key else None, market)

    def get_listing(self, q, market, body, key) -> Reply:
        return self._listing_reply(self.catalogue.find(key), market)

    def update_listing(self, q, market, body, key) -> Reply:
        listing = self.catalogue.find(key)
        if listing is None:
            return 404, _v1("listing_not_found", "Listing not found")
        self.catalogue.update(listing, market, body)
        return 200, {**listing.to_json(market), "statuscode": 200, "shippings_response": []}

    def submit_batch(self, q, market, body) -> Reply:
        task_id = self.catalogue.submit(
            body["catalog"], body["delimiter"], body["quotechar"], market, body["encoding"]
        )
        return 200, {"bodymessage": task_id, "statuscode": 200}

    def get_task(self, q, market, body, task_id) -> Reply:
        task = self.catalogue.task(int(task_id))
        if task is None:
            return 404, _v1("task_not_found", "Task does not exist")
        return 200, {
            "task_id": task.task_id,
            "action_status": task.status,
            "last_action_error": task.error,
            "result": task.result,
            "statuscode": 200,
        }

    # --- orders ---
    def list_orders(self, q, market, body) -> Reply:
        """`GET /ws/orders` with its filters: state, country_code, date_creation, date_modification."""
        state = int(q["state"][0]) if "state" in q else None
        with self.orders.lock:
            orders = self.orders.listed(state)
            if "country_code" in q:
                orders = [o for o in orders if o.country_code == q["country_code"][0]]
            for name, field in (("date_creation", "created"), ("date_modification", "modified")):
                if name in q:
                    since = _since(q[name][0])
                    orders = [o for o in orders if _since(getattr(o, field)) >= since]
            items = [o.to_json() for o in orders]
        return 200, _page(items, q, self._base() + "/ws/orders")

    def get_order(self, q, market, body, order_id) -> Reply:
        order = self.orders.orders.get(int(order_id))
        return (200, order.to_json()) if order else (404, None)

    def update_order(self, q, market, body, order_id) -> Reply:
        if body.get("order_id", int(order_id)) != int(order_id):
            return 400, None
        return 200, self.orders.update(int(order_id), body).to_json()

    def patch_orderline(self, q, market, body, line_id) -> Reply:
        line = self.orders.set_identifiers(int(line_id), body)
        return 200, {k: v for k, v in (("imei", line.imei), ("serial_number", line.serial_number)) if v}
