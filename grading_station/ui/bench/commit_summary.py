"""The idle page: what to do next, the last commit, and how its delivery to Odoo is going."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from grading_station.services.bench_models import CommitSummary, DeliveryView

from grading_station.ui.bench.theme import set_state

from grading_station.i18n import N_, _

Runner = Callable[[Callable[[], DeliveryView], Callable[[DeliveryView], None]], None]
PLACEMENT_TITLES = {
    "stock": N_("sellable stock (WH/Stock)"),
    "hold": N_("on hold (WH/Hold)"),
    "repair": N_("repair (WH/Repair)"),
}


class CommitSummaryView(QWidget):
    """Shown while the bench waits for a scan: a big prompt, and the last commit with its delivery, read
    from the outbox every `poll_ms` until it is delivered or refused."""

    def __init__(self, poll_ms: int = 1000, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._fetch: Callable[[], DeliveryView] | None = None
        self._run: Runner | None = None
        self._poll = QTimer(self)
        self._poll.setInterval(poll_ms)
        self._poll.timeout.connect(self._check)
        self.prompt = QLabel(_("Scan a unit to start grading"))
        self.prompt.setWordWrap(True)  # big type: a long translation must not widen the window
        self.prompt.setProperty("role", "big-hint")
        self.prompt.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.card = QFrame()
        self.card.setProperty("role", "card")
        self.heading = QLabel(_("Last commit"))
        self.heading.setProperty("role", "subtitle")
        self.body = QLabel()
        self.body.setObjectName("lastCommit")
        self.body.setWordWrap(True)
        self.delivery = QLabel()
        self.delivery.setObjectName("deliveryState")
        self.delivery.setWordWrap(True)
        inner = QVBoxLayout(self.card)
        inner.setContentsMargins(16, 12, 16, 12)
        inner.addWidget(self.heading)
        inner.addWidget(self.body)
        inner.addWidget(self.delivery)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.prompt)
        layout.addSpacing(24)
        layout.addWidget(self.card)
        layout.addStretch(2)
        self.card.hide()
        self.summary: CommitSummary | None = None

    def show_summary(self, summary: CommitSummary) -> None:
        self.summary = summary
        grade = _("{grade} (override)").format(grade=summary.grade_title) if summary.overridden else summary.grade_title
        where = _(PLACEMENT_TITLES.get(summary.placement, summary.placement))
        lines = [f"{summary.serial} · {summary.model_name}",
                 _("Grade: {grade} → {where}").format(grade=grade, where=where)]
        if summary.hold_reason:
            lines.append(_("Held because: {reason}").format(reason=summary.hold_reason))
        self.body.setText("\n".join(lines))
        self.show_delivery(DeliveryView("pending", ""))
        self.card.show()

    def show_delivery(self, delivery: DeliveryView) -> None:
        texts = {
            "pending": (_("Sending to Odoo…"), "info"),
            "retrying": (_("Odoo not reachable, will retry: {reason}").format(reason=delivery.detail), "warn"),
            "delivered": (_("Delivered to Odoo ✔"), "ok"),
            "refused": (_("Not delivered: {reason}").format(reason=delivery.detail), "error"),  # Odoo's refusal
        }
        text, state = texts.get(delivery.state, (delivery.state, ""))
        self.delivery.setText(text)
        set_state(self.delivery, state)

    def follow(self, fetch: Callable[[], DeliveryView], run: Runner) -> None:
        """Poll the delivery of the last commit: `run(fetch, done)` calls `fetch` off the GUI thread."""
        self._fetch, self._run = fetch, run
        self._poll.start()

    def stop_following(self) -> None:
        self._poll.stop()
        self._fetch = None

    def _check(self) -> None:
        fetch = self._fetch
        if fetch is None or self._run is None:
            return self._poll.stop()
        self._run(fetch, lambda delivery: self._checked(fetch, delivery))

    def _checked(self, fetch: Callable[[], DeliveryView], delivery: DeliveryView) -> None:
        if fetch is self._fetch:  # not an answer about an older commit
            self.show_delivery(delivery)
            if delivery.final:
                self.stop_following()
