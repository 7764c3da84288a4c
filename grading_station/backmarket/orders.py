"""Back Market orders and orderlines: read, accept/cancel/ship, and the write-once IMEI/serial (API-NOTES §5)."""

from __future__ import annotations

from typing import Any

from grading_station.domain.identifiers import is_valid_imei

from grading_station.backmarket import models
from grading_station.backmarket.calls import Calls, mapped, to_page
from grading_station.backmarket.models import Order, OrderlineIdentifiers, Page

from grading_station.errors import InputError
from grading_station.i18n import _


class OrderCalls(Calls):
    """`GET /ws/orders`, `GET|POST /ws/orders/{id}`, `PATCH /ws/orderlines/{id}`."""

    def list_orders(
        self,
        page: int = 1,
        page_size: int = 50,
        *,
        state: int | None = None,
        date_modification: str | None = None,
        country_code: str | None = None,
    ) -> Page[Order]:
        data = self.transport.call(
            "list orders",
            "GET",
            "/ws/orders",
            params={
                "page": page,
                "page-size": page_size,
                "state": state,
                "date_modification": date_modification,
                "country_code": country_code,
            },
        )
        return to_page(data, models.order_from_json, "list orders")

    def get_order(self, order_id: int) -> Order:
        return mapped(
            models.order_from_json,
            self.transport.call("get order", "GET", f"/ws/orders/{order_id}"),
            "get order",
        )

    def update_order(self, order_id: int, new_state: int, *, sku: str | None = None, **fields: Any) -> Order:
        """`POST /ws/orders/{id}`: accept (2) or cancel (4) the line of `sku`, or ship (3) every line with
        `tracking_number` (and shipper, tracking_url, date_shipping, imei/serial_number, vat_type)."""
        if new_state == 3 and not fields.get("tracking_number"):
            raise ValueError("shipping an order needs a tracking number")
        _check_identifiers(fields.get("imei"), fields.get("serial_number"))
        # The schema requires `id` (a typo for order_id, GOTCHAS 8): send both so either reading is satisfied.
        body = {"id": order_id, "order_id": order_id, "new_state": new_state, "sku": sku, **fields}
        body = {k: v for k, v in body.items() if v is not None}

        def landed() -> Order | None:
            order = self.get_order(order_id)
            lines = [ln for ln in order.lines if sku is None or ln.sku.casefold() == sku.casefold()]
            return order if lines and all(ln.state == new_state for ln in lines) else None

        data = self._write("update order", "POST", f"/ws/orders/{order_id}", body, None, landed)
        return data if isinstance(data, Order) else mapped(models.order_from_json, data, "update order")

    def set_orderline_identifiers(
        self,
        orderline_id: int,
        *,
        imei: str | None = None,
        serial_number: str | None = None,
        order_id: int | None = None,
    ) -> OrderlineIdentifiers:
        """`PATCH /ws/orderlines/{id}`: write-once IMEI/serial, checked before sending (they cannot be
        corrected, GOTCHAS 6); `order_id` allows reading a timeout back."""
        body = {k: v for k, v in {"imei": imei, "serial_number": serial_number}.items() if v}
        if not body:
            raise ValueError("give an IMEI or a serial number")
        _check_identifiers(imei, serial_number)

        def landed() -> dict | None:
            if order_id is None:
                return None
            line = next((ln for ln in self.get_order(order_id).lines if ln.id == orderline_id), None)
            ok = line is not None and all(getattr(line, k) == v for k, v in body.items())
            return body if ok else None

        data = self._write(
            "set orderline identifiers", "PATCH", f"/ws/orderlines/{orderline_id}", body, None, landed
        )
        return mapped(lambda d: models.identifiers_from_json(orderline_id, d), data or body, "set identifiers")


def _check_identifiers(imei: str | None, serial_number: str | None) -> None:
    """Back Market keeps the first IMEI/serial it is sent: refuse one that cannot be right (IMEI: 15 digits with
    a valid check digit; serial: at most 50 characters)."""
    if imei and not is_valid_imei(imei):
        raise InputError(_("{imei} is not a valid IMEI (15 digits with a valid check digit).").format(imei=imei))
    if serial_number and len(serial_number) > 50:
        raise InputError(_("The serial number {serial}... is longer than Back Market's 50 characters.").format(
            serial=serial_number[:20]))
