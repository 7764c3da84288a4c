"""What the listing service knows of a variant (SKU, grade, model, EAN, new price), from the catalogue."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from grading_station.domain.units import CatalogueModel

from grading_station.errors import KnownError, RemoteUnavailable
from grading_station.i18n import _


@dataclass(frozen=True)
class VariantFacts:
    """One Odoo variant (model x grade) as a Back Market listing sees it."""

    variant_id: int
    sku: str  # the variant's internal reference (default_code)
    model_code: str
    model_name: str
    category: str
    grade: str  # grade key of grades.toml
    backmarket_grade: str  # AestheticGradeValue, e.g. "PREMIUM"; "" for a grade that is not sold
    ean: str
    new_price: Decimal | None


class ListingCatalogue(Protocol):
    def variant_facts(self, variant_ids: list[int]) -> dict[int, VariantFacts]:
        """Facts of the variants it knows (unknown ids are left out)."""


class _Variant(Protocol):
    template_id: int
    model_name: str
    category: str
    grade: str | None
    sku: str


class CatalogueCache(Protocol):
    """The Odoo gateway's catalogue cache (grading_station.odoo.catalogue.Catalogue): no RPC per lookup once
    loaded; `ensure_loaded` loads it (raising a KnownError when Odoo cannot be read)."""

    def ensure_loaded(self) -> None: ...

    def lookup_variant(self, variant_id: int) -> _Variant | None:
        """The variant, reloading once when it is not known (made in Odoo since the last load)."""

    def model(self, template_id: int) -> CatalogueModel | None: ...


class CatalogueFacts:
    """ListingCatalogue over the Odoo catalogue cache; the new price comes from pricing.toml's `new_price`
    (per model code), the Back Market grade from grades.toml (`backmarket_grades`: grade key -> value)."""

    def __init__(
        self,
        catalogue: CatalogueCache,
        backmarket_grades: Mapping[str, str],
        new_prices: Mapping[str, Decimal],
    ) -> None:
        self.catalogue, self.backmarket_grades, self.new_prices = catalogue, backmarket_grades, new_prices

    def variant_facts(self, variant_ids: list[int]) -> dict[int, VariantFacts]:
        """Facts of the known variants. Before the catalogue is loaded nothing is known: it is loaded first
        (after a restart the outbox is delivered before anyone scans), and while Odoo cannot be read the
        caller gets a retryable error instead of "not a managed model" for every variant."""
        if not variant_ids:
            return {}
        try:
            self.catalogue.ensure_loaded()
        except KnownError as exc:
            raise RemoteUnavailable(
                _("Waiting for Odoo's catalogue of models and grades: {reason}").format(reason=exc.user_message),
                detail=exc.detail,
            ) from exc
        facts = {}
        for variant_id in variant_ids:
            variant = self.catalogue.lookup_variant(variant_id)
            if variant is None or not variant.grade:
                continue
            model = self.catalogue.model(variant.template_id)
            code = model.default_code if model else ""
            facts[variant_id] = VariantFacts(
                variant_id,
                variant.sku,
                code,
                variant.model_name,
                variant.category,
                variant.grade,
                self.backmarket_grades.get(variant.grade, ""),
                model.barcode if model else "",
                self.new_prices.get(code),
            )
        return facts
