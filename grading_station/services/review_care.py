"""Returns and grade disputes: Back Market care folders polled from `last_id`, each linked to its unit through
order → orderline → serial, and the returns received into WH/Hold in Odoo, each with the grading it was sold with
beside the unit's grading as Odoo holds it now; the reply (on a care folder) with the grading evidence.

Qt-free. While Back Market (or Odoo) is down, `poll()` returns the folders read before, marked stale.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime

from grading_station.domain.review import HOLD, REPAIR, ReviewUnit

from grading_station.backmarket.care import MAX_FILE_BYTES, MAX_FILES, CareFolder
from grading_station.backmarket.errors import BackMarketError, Failure
from grading_station.odoo.review_actions import ReviewAction
from grading_station.odoo.review_returns import ReturnReceived
from grading_station.store.review import ReviewStore

from grading_station import log
from grading_station.errors import InputError, KnownError
from grading_station.i18n import _

KIND_CARE_REPLY = "care_reply"  # outbox kind of a reply on a care folder (CareReplyHandler delivers it)


@dataclass(frozen=True)
class Dispute:
    """A care folder or a return received in Odoo (or both: a folder whose unit came back), and the unit it is
    about. `problem` says why no unit is linked (order or serial unknown); `sold_grade` is the grade the unit was
    sold at, and `regraded` is True when the unit's grade differs now."""

    folder: CareFolder | None
    serial: str = ""
    unit: ReviewUnit | None = None
    sold_grade: str = ""
    problem: str = ""
    returned: ReturnReceived | None = None

    @property
    def opened(self) -> str:
        """When it began: the folder's opening, else the return's receipt."""
        return self.folder.created if self.folder else (self.returned.received if self.returned else "")

    @property
    def regraded(self) -> bool:
        return bool(self.unit and self.sold_grade and self.unit.grade != self.sold_grade)


@dataclass(frozen=True)
class Disputes:
    items: tuple[Dispute, ...]
    read_at: datetime
    stale: bool = False
    problem: str = ""

    def find(self, serial: str) -> Dispute | None:
        return next((d for d in self.items if d.serial == serial), None)


class CareService:
    """`backmarket` is the BackMarketClient (care_folder_ids_after, care_folder, get_order, post_care_message),
    `gateway` the OdooGateway (units_by_serial); `grade_of_sku(sku)` the grade key a SKU was listed at."""

    def __init__(self, backmarket: object, gateway: object, store: ReviewStore, *,
                 grade_of_sku: Callable[[str], str] = lambda sku: "",
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC),
                 new_id: Callable[[], str] = lambda: str(uuid.uuid4())) -> None:
        self.backmarket, self.gateway, self.store = backmarket, gateway, store
        self.grade_of_sku, self.clock, self.new_id = grade_of_sku, clock, new_id
        self._lock = threading.Lock()
        self._folders: dict[int, CareFolder] = {}
        self._serials: dict[int, tuple[str, str]] = {}  # folder id -> (serial, problem)
        self._last_id = 0
        self._last: Disputes | None = None

    def poll(self) -> Disputes:
        """Read the folders opened since the last poll, link each to its unit, read the returns received into
        WH/Hold, and re-read the units (2 RPCs). A return whose unit is no longer held or in repair (released,
        re-graded to stock) is dealt with and not listed; one of a folder's unit shows on the folder's row."""
        try:
            with self._lock:
                last_id = self._last_id
            # open folders only: a station's first poll would otherwise read every folder ever opened
            for folder_id in self.backmarket.care_folder_ids_after(last_id, state=0):
                folder = self.backmarket.care_folder(folder_id)
                serial_problem = self._serial_of(folder)
                with self._lock:
                    self._folders[folder.id] = folder
                    self._serials[folder.id] = serial_problem
                    self._last_id = max(self._last_id, folder.id)
            with self._lock:
                folders, serials = dict(self._folders), dict(self._serials)
            returns = self.gateway.returns_received()
            units = self.gateway.units_by_serial([s for s, _p in serials.values() if s] + [r.serial for r in returns])
        except KnownError as exc:
            if not exc.retryable or self._last is None:
                raise
            log.backmarket.info("care folders: showing the reading of %s (%s)", self._last.read_at, exc)
            return replace(self._last, stale=True, problem=exc.user_message)
        newest: dict[str, ReturnReceived] = {}
        for ret in returns:  # newest first: a unit returned twice shows its last return
            unit = units.get(ret.serial)
            if ret.serial not in newest and unit is not None and unit.lot_id == ret.lot_id and unit.place in (
                    HOLD, REPAIR):
                newest[ret.serial] = ret
        items = []
        for folder_id in sorted(folders, reverse=True):
            folder = folders[folder_id]
            serial, problem = serials[folder_id]
            unit = units.get(serial) if serial else None
            if serial and unit is None:
                problem = _("{serial} is not a unit in Odoo.").format(serial=serial)
            items.append(Dispute(folder, serial, unit, self.grade_of_sku(folder.sku), problem,
                                 newest.pop(serial, None) if serial else None))
        items += [Dispute(None, r.serial, units[r.serial], r.sold_grade, returned=r) for r in newest.values()]
        items.sort(key=lambda d: d.opened, reverse=True)
        disputes = Disputes(tuple(items), self.clock())
        with self._lock:
            self._last = disputes
        return disputes

    def _serial_of(self, folder: CareFolder) -> tuple[str, str]:
        """The serial sold on the folder's order line (Back Market's care folder carries none), or why not."""
        if folder.order_id is None:
            return "", _("The care folder names no order.")
        try:
            order = self.backmarket.get_order(folder.order_id)
        except BackMarketError as exc:
            if exc.failure is Failure.NOT_FOUND:
                return "", _("Order {order} is unknown to this seller account.").format(order=folder.order_id)
            raise
        line = next((ln for ln in order.lines if ln.id == folder.orderline_id), None)
        if line is None:
            return "", _("Order {order} has no line {line}.").format(order=folder.order_id, line=folder.orderline_id)
        serial = (line.imei or line.serial_number).strip()
        if not serial:
            return "", _("The line of order {order} carries no IMEI or serial (not shipped by this station?).").format(
                order=folder.order_id)
        return serial, ""

    def reply(self, dispute: Dispute, supervisor: str, message: str) -> str:
        """Queue a reply on the folder with the unit's test report and photos from Odoo (the outbox sends it)."""
        supervisor, message = supervisor.strip(), message.strip()
        if not supervisor:
            raise InputError(_("Enter the supervisor's name: every review action is signed."))
        if not message:
            raise InputError(_("Write the message to the customer (it goes with the grading evidence)."))
        if dispute.folder is None:
            raise InputError(_("This return has no Back Market care folder: there is no message to answer."))
        if dispute.unit is None:
            raise InputError(_("This care folder is not linked to a unit: answer it on Back Market."))
        action = ReviewAction(self.new_id(), "reply", dispute.serial, dispute.unit.lot_id, supervisor, message)
        payload = {**asdict(action), "folder_id": dispute.folder.id}
        return self.store.enqueue_action(KIND_CARE_REPLY, payload, item_id=action.action_id, actor=supervisor,
                                         action="reply", subject=dispute.serial,
                                         detail={"reason": message, "folder_id": dispute.folder.id})


def reply_text(message: str, supervisor: str, action_id: str) -> str:
    """The message as posted: the supervisor's words, signed, with the reference a retry looks for."""
    return f"{message}\n\n— {supervisor} (ref. {action_id[:8]})"


class CareReplyHandler:
    """Delivers KIND_CARE_REPLY items: evidence from Odoo, the message on Back Market (unless a read-back shows
    it landed already), then the note on the lot's chatter."""

    def __init__(self, backmarket: object, gateway: object) -> None:
        self.backmarket, self.gateway = backmarket, gateway

    def __call__(self, item: object) -> dict:
        payload = dict(item.payload)
        folder_id = int(payload.pop("folder_id"))
        action = ReviewAction(**payload)
        evidence = self.gateway.review_evidence
        if evidence.noted(action):
            return {"folder_id": folder_id, "already_done": True}
        text = reply_text(action.reason, action.supervisor, action.action_id)
        message_id = None
        if text not in self.backmarket.care_folder(folder_id).messages:
            files, skipped = evidence.files(action.lot_id, MAX_FILES, MAX_FILE_BYTES)
            if skipped:
                log.backmarket.info("reply on %s: %s left out (over 3 MB)", folder_id, ", ".join(skipped))
            message_id = self.backmarket.post_care_message(folder_id, text, files)
        note_id = evidence.note(action, f"Replied on Back Market care folder {folder_id}")
        return {"folder_id": folder_id, "message_id": message_id, "note_id": note_id}
