"""Back Market care folders (after-sales cases): list them from a `last_id`, read one, reply with attachments
(API-NOTES §6: `GET /ws/sav`, `GET /ws/sav/{id}`, `POST /ws/sav/{id}/msg`)."""

from __future__ import annotations

from dataclasses import dataclass

from grading_station.backmarket.calls import Calls
from grading_station.backmarket.errors import BackMarketError, Failure

MAX_FILES, MAX_FILE_BYTES = 10, 3 * 1024 * 1024  # per message (openapi postMessageRequest)
MAX_PAGES = 50  # 10 folders a page: a poll reads at most 500 new folders, the next poll the rest


@dataclass(frozen=True)
class CareFolder:
    """A care folder with what the supervisor needs of its claim: the issues reported (issue, tag), the
    resolution the customer chose, the warranty state declared, and whether a return label exists."""

    id: int
    state: int  # 0 open, 9 closed
    order_id: int | None
    orderline_id: int | None
    sku: str
    issues: tuple[tuple[str, str], ...]
    resolution_choice: str
    declared_warranty_state: str
    return_coming: bool
    created: str
    modified: str
    messages: tuple[str, ...] = ()


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def care_folder_from_json(data: dict) -> CareFolder:
    """A `GET /ws/sav/{id}` answer (no schema is guaranteed: every field is read defensively)."""
    line = data.get("orderline") if isinstance(data.get("orderline"), dict) else {}
    order = line.get("order") if isinstance(line.get("order"), dict) else {}
    snapshot = line.get("snapshot") if isinstance(line.get("snapshot"), dict) else {}
    claims = [c for c in data.get("lines") or [] if isinstance(c, dict)]
    issues = tuple((str(i.get("customerIssue") or ""), str(i.get("tag") or ""))
                   for c in claims for i in c.get("issues") or [] if isinstance(i, dict))
    labels = [lb for c in claims for lb in c.get("return_labels") or [] if isinstance(lb, dict)]
    first = claims[0] if claims else {}
    return CareFolder(
        id=int(data["id"]), state=_int(data.get("state")) or 0, order_id=_int(order.get("order_id")),
        orderline_id=_int(line.get("id")), sku=str(snapshot.get("sku") or ""), issues=issues,
        resolution_choice=str(first.get("resolution_choice") or ""),
        declared_warranty_state=str(first.get("declared_warranty_state") or ""),
        return_coming=any(lb.get("kind") == "CUSTOMER_TO_MERCHANT" and lb.get("state") != "EXPIRED" for lb in labels),
        created=str(data.get("date_creation") or ""), modified=str(data.get("date_modification") or ""),
        messages=tuple(str(m.get("message") or "") for m in data.get("messages") or [] if isinstance(m, dict)),
    )


class CareCalls(Calls):
    """The care-folder calls (mixed into BackMarketClient)."""

    def care_folder_ids_after(self, last_id: int, *, state: int | None = None) -> list[int]:
        """Ids of the folders opened since `last_id` (only open ones with `state=0`), oldest first (every page,
        up to MAX_PAGES)."""
        ids: list[int] = []
        for page in range(1, MAX_PAGES + 1):
            data = self.transport.call("list care folders", "GET", "/ws/sav",
                                       params={"last_id": last_id, "state": state, "page": page})
            results = data.get("results") if isinstance(data, dict) else None
            if not isinstance(results, list):
                raise BackMarketError(Failure.MALFORMED, message="care folder list without results",
                                      operation="list care folders")
            ids += [r["id"] for r in results if isinstance(r, dict) and isinstance(r.get("id"), int)]
            if not data.get("next"):
                break
        return sorted(set(ids))

    def care_folder(self, folder_id: int) -> CareFolder:
        data = self.transport.call("read care folder", "GET", f"/ws/sav/{folder_id}")
        if not isinstance(data, dict) or not isinstance(data.get("id"), int):
            raise BackMarketError(Failure.MALFORMED, message="care folder without id", operation="read care folder")
        return care_folder_from_json(data)

    def post_care_message(self, folder_id: int, message: str, files: list[tuple[str, bytes, str]]) -> int | None:
        """Reply on a folder with up to 10 files of ≤ 3 MB (checked here: Back Market answers 400 without
        saying which). No idempotency key: after a timeout the folder is read back and the message is sent
        again only when it is not there. Returns the message id (None when found on the read-back)."""
        if len(files) > MAX_FILES or any(len(data) > MAX_FILE_BYTES for _, data, _ in files):
            raise ValueError(f"at most {MAX_FILES} files of {MAX_FILE_BYTES} bytes each")
        # the message as a multipart field too: with no file, httpx would send a form as urlencoded (refused)
        parts = [("message", (None, message.encode("utf-8"))),
                 *(("attachment", (name, data, mime)) for name, data, mime in files)]
        url = f"/ws/sav/{folder_id}/msg"

        def send() -> int | None:
            answer = self.transport.call("reply on care folder", "POST", url, files=parts)
            return _int(answer.get("id")) if isinstance(answer, dict) else None

        try:
            return send()
        except BackMarketError as exc:
            if not exc.maybe_applied:
                raise
            if message in self.care_folder(folder_id).messages:
                return None
            return send()
