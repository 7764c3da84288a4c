"""Figures over a period's sales (pure): commission per grade, fulfilment speed against the promised dispatch date,
settlement reconciliation against a payout CSV, CO₂ avoided per category."""

from __future__ import annotations

import csv
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from grading_station.domain.reasons import Reason, code

PAYOUT_NOT_TEXT = code("payout.not_text", "hint")
PAYOUT_MISSING_COLUMNS = code("payout.missing_columns", "columns", "found")
PAYOUT_BAD_AMOUNT = code("payout.bad_amount", "line", "value")
PAYOUT_EMPTY = code("payout.empty")

ORDER_COLUMNS = ("order_id", "order id", "order", "commande", "numéro de commande", "bestellnummer")
AMOUNT_COLUMNS = ("amount", "net_amount", "net amount", "montant", "betrag", "importe", "importo")


class PayoutError(ValueError):
    """A payout CSV that cannot be read; `reason` says why (worded by the UI)."""

    def __init__(self, reason: Reason) -> None:
        super().__init__(reason.code)
        self.reason = reason


@dataclass(frozen=True)
class SaleLine:
    """One sold order line as Back Market reports it (amounts in the order's currency)."""

    order_id: int
    sku: str
    grade: str
    category: str
    price: Decimal
    fee: Decimal  # orderline_fee: Back Market's commission
    paid_at: str = ""
    shipped_at: str = ""
    expected_dispatch: str = ""

    @property
    def net(self) -> Decimal:
        return self.price - self.fee


@dataclass(frozen=True)
class GradeCommission:
    grade: str
    sales: int
    revenue: Decimal
    fee: Decimal

    @property
    def fee_rate(self) -> float:
        return float(self.fee / self.revenue) if self.revenue else 0.0


@dataclass(frozen=True)
class Fulfilment:
    """Paid → shipped: how many shipped, how many by the promised dispatch date, the median hours taken."""

    shipped: int
    on_time: int
    median_hours: float

    @property
    def on_time_rate(self) -> float:
        return self.on_time / self.shipped if self.shipped else 0.0


@dataclass(frozen=True)
class Mismatch:
    order_id: int
    kind: str  # "not_paid", "unknown_order", "amount_differs"
    expected: Decimal | None
    paid: Decimal | None


@dataclass(frozen=True)
class Co2Line:
    category: str
    units: int
    kg: float
    source: str


def _moment(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None
    except ValueError:
        return None


def commission_per_grade(lines: Iterable[SaleLine]) -> list[GradeCommission]:
    groups: dict[str, list[SaleLine]] = {}
    for line in lines:
        groups.setdefault(line.grade, []).append(line)
    return [GradeCommission(grade, len(ls), sum((x.price for x in ls), Decimal(0)),
                            sum((x.fee for x in ls), Decimal(0))) for grade, ls in sorted(groups.items())]


def fulfilment(lines: Iterable[SaleLine]) -> Fulfilment:
    """Back Market publishes no Quality Score API: its stand-ins, shipping by the promised date and how fast."""
    hours, on_time = [], 0
    for line in lines:
        paid, shipped, promised = _moment(line.paid_at), _moment(line.shipped_at), _moment(line.expected_dispatch)
        if paid is None or shipped is None:
            continue
        hours.append((shipped - paid).total_seconds() / 3600)
        if promised is None or shipped <= promised:
            on_time += 1
    return Fulfilment(len(hours), on_time, float(statistics.median(hours)) if hours else 0.0)


def _amount(text: str) -> Decimal:
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "").replace("€", "")
    if "," in cleaned and "." in cleaned:  # 1.234,56 or 1,234.56: the last mark is the decimal one
        cleaned = cleaned.replace(".", "").replace(",", ".") if cleaned.rfind(",") > cleaned.rfind(".") else \
            cleaned.replace(",", "")
    else:
        cleaned = cleaned.replace(",", ".")
    return Decimal(cleaned)


def _text(data: bytes) -> str:
    if data[:2] == b"PK":
        raise PayoutError(PAYOUT_NOT_TEXT(hint="xlsx"))
    if b"\x00" in data[:4096]:
        raise PayoutError(PAYOUT_NOT_TEXT(hint="utf16"))
    for encoding in ("utf-8-sig", "cp1252"):  # Excel in Europe saves CSV as Windows-1252
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise PayoutError(PAYOUT_NOT_TEXT(hint="encoding"))


def parse_payout_csv(data: bytes) -> dict[int, Decimal]:
    """Amount paid per order from a Back Office payout export (UTF-8 or Windows-1252, ';' or ',' separated, an
    order id column and an amount column under any of their usual names); several rows of an order add up."""
    text = _text(data)
    if not text.strip():
        raise PayoutError(PAYOUT_EMPTY())
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text.splitlines()[0], delimiters=";,\t")
    except csv.Error:  # a single column: no separator to find (the header check says what is missing)
        dialect = csv.excel
    rows = list(csv.reader(text.splitlines(), dialect))
    header = [h.strip().casefold() for h in rows[0]]
    order_col = next((i for i, h in enumerate(header) if h in ORDER_COLUMNS), None)
    amount_col = next((i for i, h in enumerate(header) if h in AMOUNT_COLUMNS), None)
    if order_col is None or amount_col is None:
        missing = tuple(n for n, c in (("order_id", order_col), ("amount", amount_col)) if c is None)
        raise PayoutError(PAYOUT_MISSING_COLUMNS(columns=missing, found=tuple(h for h in rows[0] if h.strip())))
    paid: dict[int, Decimal] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        try:
            order_id = int(row[order_col].strip())
            amount = _amount(row[amount_col])
        except (ValueError, IndexError, InvalidOperation):
            raise PayoutError(PAYOUT_BAD_AMOUNT(line=number, value=";".join(row)[:60])) from None
        paid[order_id] = paid.get(order_id, Decimal(0)) + amount
    return paid


def reconcile(lines: Iterable[SaleLine], paid: Mapping[int, Decimal], tolerance: Decimal = Decimal("0.01")
              ) -> list[Mismatch]:
    """Orders whose payout is missing or differs from price − commission, and payouts of orders not sold here."""
    expected: dict[int, Decimal] = {}
    for line in lines:
        expected[line.order_id] = expected.get(line.order_id, Decimal(0)) + line.net
    found = []
    for order_id, amount in sorted(expected.items()):
        if order_id not in paid:
            found.append(Mismatch(order_id, "not_paid", amount, None))
        elif abs(paid[order_id] - amount) > tolerance:
            found.append(Mismatch(order_id, "amount_differs", amount, paid[order_id]))
    found += [Mismatch(o, "unknown_order", None, a) for o, a in sorted(paid.items()) if o not in expected]
    return found


@dataclass(frozen=True)
class ReturnRate:
    category: str
    grade: str
    sold: int
    returned: int

    @property
    def rate(self) -> float:
        return self.returned / self.sold if self.sold else 0.0


def return_rates(lines: Iterable[SaleLine], returned: Iterable[tuple[str, str]]) -> list[ReturnRate]:
    """Per category × grade sold: how many came back (care folders / returns), over how many sold."""
    sold: dict[tuple[str, str], int] = {}
    for line in lines:
        sold[(line.category, line.grade)] = sold.get((line.category, line.grade), 0) + 1
    back: dict[tuple[str, str], int] = {}
    for key in returned:
        back[key] = back.get(key, 0) + 1
    return [ReturnRate(cat, grade, sold.get((cat, grade), 0), back.get((cat, grade), 0))
            for cat, grade in sorted(set(sold) | set(back))]


def co2_avoided(lines: Iterable[SaleLine], factors: Mapping[str, tuple[float, str]], years: float = 1.0
                ) -> list[Co2Line]:
    """Per category: units sold × kg CO₂e avoided per year of use × years; `factors` maps category → (kg, source)."""
    counts: dict[str, int] = {}
    for line in lines:
        counts[line.category] = counts.get(line.category, 0) + 1
    return [Co2Line(cat, n, n * factors.get(cat, (0.0, ""))[0] * years, factors.get(cat, (0.0, ""))[1])
            for cat, n in sorted(counts.items())]
