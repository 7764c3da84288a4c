"""Buyer certificates: a grading delivered to Odoo for a unit in sellable stock queues a "certificate" outbox
item; the deliverer renders the PDF in the market's language and attaches it to the lot, once. The picker (and
the bench's look-up) fetch it back with `save_certificate`.

❌ Rendering the PDF in the bench's commit or on the GUI thread: fpdf2, the fonts and the photos take a second.
✅ `feed.after_grading(handler)` queues it; the deliverer thread renders and attaches it, retried like any item.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

from grading_station.domain.certificate import (
    CertificateContent,
    CertificateFile,
    certificate_content,
    certificate_filename,
)
from grading_station.domain.checklist_template import ChecklistTemplate
from grading_station.domain.grade_scale import GradeScale
from grading_station.domain.grading import GradingRecord
from grading_station.domain.units import Placement

from grading_station.services.delivery import record_of

from grading_station import i18n, log
from grading_station.config import declare
from grading_station.i18n import N_

KIND_CERTIFICATE = "certificate"
FINGERPRINT_PREFIX = "grading-station certificate "  # the attachment's description: what it was made from

declare("certificate.verify_url", str, "", N_("Certificate check address"),
        N_("Web address the certificate's QR code opens; the unit's serial and integrity code are added (or fill "
           "{serial} and {code} in). Empty: the QR code carries the serial and the code as text"))

Renderer = Callable[[CertificateContent, str], bytes]  # (content, language) -> PDF bytes


class CertificateSink(Protocol):
    """Where certificates go (the Odoo gateway)."""

    def lot_warranty_end(self, lot_id: int) -> str | None:
        """The lot's warranty end date ("" when not set), None when the lot no longer exists."""

    def attach_certificate(self, lot_id: int, serial: str, fingerprint: str, render: Callable[[], bytes]) -> int:
        """The lot's certificate for `fingerprint` (rendered and attached only when not there yet)."""


class CertificateSource(Protocol):
    def certificate_for(self, serial: str) -> CertificateFile | None:
        """The certificate on the serial's live lot, None when it has none."""


class OutboxQueue(Protocol):
    def enqueue(self, kind: str, payload: dict, key: str | None = None, coalesce: bool = False) -> Any: ...


def market_language(markets: Sequence[str]) -> str:
    """The buyer's language tag: the main market ("fr-fr": French words and dates), English when there is none.
    A market whose language is not shipped reads English words with its own dates."""
    return markets[0].strip().lower() if markets and markets[0].strip() else i18n.SOURCE_LANGUAGE


def render_pdf(content: CertificateContent, language: str) -> bytes:
    """The default renderer; fpdf2 and the fonts load on first use, on the deliverer thread."""
    from grading_station.services.certificate_pdf import render_certificate

    return render_certificate(content, language)


class CertificateFeed:
    """Queues and delivers certificates. `language()` is the buyer's language when the item is queued (the
    main market's), `verify_url()` the base of the QR code's address; both are kept in the item, so a retry
    makes the same document."""

    def __init__(
        self,
        outbox: OutboxQueue,
        sink: CertificateSink,
        scale: GradeScale,
        templates: dict[str, ChecklistTemplate],
        *,
        language: Callable[[], str],
        verify_url: Callable[[], str] = lambda: "",
        render: Renderer = render_pdf,
        wake: Callable[[], None] = lambda: None,
    ) -> None:
        self.outbox, self.sink, self.scale, self.templates = outbox, sink, scale, templates
        self.language, self.verify_url, self.render, self.wake = language, verify_url, render, wake

    # --- enqueueing ---------------------------------------------------------------------------------------
    def request(self, record: GradingRecord, lot_id: int, language: str = "") -> None:
        """Queue the certificate of `record` on its lot (in `language`, else the main market's); a waiting one
        of the same serial is replaced."""
        payload = {
            "record": record.to_json(),
            "lot_id": lot_id,
            "language": language or self.language(),
            "verify_url": self.verify_url(),
        }
        self.outbox.enqueue(KIND_CERTIFICATE, payload, key=f"{KIND_CERTIFICATE}:{record.serial}", coalesce=True)
        self.wake()

    def after_grading(self, handler: Callable[[Any], Any]) -> Callable[[Any], Any]:
        """Wrap the grading handler: once a grading placed in sellable stock is in Odoo, queue its certificate.
        A failure to queue it must not mark the grading undelivered (it is in Odoo)."""

        def deliver_then_certify(item: Any) -> Any:
            result = handler(item)
            record = record_of(item)
            if record.placement is not Placement.STOCK:
                return result  # held or sent to repair: not for sale, no buyer to certify to
            try:
                self.request(record, int(result["lot_id"]))
            except Exception:  # noqa: BLE001 (logged for the Activity panel; the grading itself is delivered)
                log.outbox.error("%s is in Odoo, but its certificate could not be queued", record.serial,
                                 exc_info=True)
            return result

        return deliver_then_certify

    # --- delivering ---------------------------------------------------------------------------------------
    def handle(self, item: Any) -> dict:
        """Deliverer handler for KIND_CERTIFICATE: render (only when the lot lacks this very document) and
        attach. 3 RPCs for a new certificate, 2 when a retry finds it there."""
        payload = item.payload
        record = GradingRecord.from_json(payload["record"])
        lot_id = int(payload["lot_id"])
        language = payload.get("language") or i18n.SOURCE_LANGUAGE
        warranty_end = self.sink.lot_warranty_end(lot_id)
        if warranty_end is None:  # re-graded or merged away since: the newer grading has its own certificate
            log.outbox.info("certificate of %s skipped: its lot %s no longer exists", record.serial, lot_id)
            return {"skipped": "lot gone", "lot_id": lot_id}
        template = self.templates.get(record.category)
        content = certificate_content(
            record, self.scale, template if template and template.id == record.checklist_id else None,
            warranty_end=warranty_end, verify_base_url=payload.get("verify_url") or "",
        )
        attachment_id = self.sink.attach_certificate(
            lot_id, record.serial, FINGERPRINT_PREFIX + content.fingerprint(language),
            lambda: self.render(content, language),
        )
        return {"attachment_id": attachment_id, "lot_id": lot_id, "code": content.code, "language": language}


def certificate_folder() -> Path:
    """Where fetched certificates are written to be opened or printed (the computer's temporary folder)."""
    return Path(tempfile.gettempdir()) / "grading-station-certificates"


def save_certificate(source: CertificateSource, serial: str, folder: Path | None = None) -> Path | None:
    """The serial's certificate from Odoo written to `folder` (to open or print it for the parcel), None when
    the unit has none yet. Blocking (Odoo, disk): run it off the GUI thread."""
    found = source.certificate_for(serial)
    if found is None:
        return None
    folder = folder or certificate_folder()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / certificate_filename(serial)
    path.write_bytes(found.data)
    return path
