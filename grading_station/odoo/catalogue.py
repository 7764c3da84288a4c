"""The managed models (templates with the Grade attribute), cached: loaded at connect, refreshed later."""

from __future__ import annotations

import threading
from collections.abc import Callable

from grading_station.domain.units import CatalogueModel

from grading_station.odoo.connection import OdooConnection
from grading_station.odoo.mappers import VariantInfo, m2o_id, m2o_name, text, variant_grade
from grading_station.odoo.schema import (
    CATEGORY_NAMES,
    GRADE_ATTRIBUTE,
    GradeScale,
    definitions_match,
    lot_property_definitions,
)

from grading_station import log
from grading_station.errors import KnownError
from grading_station.i18n import N_


def category_key(odoo_category: str, mapping: dict[str, str]) -> str:
    """ "All / Phones" -> "phone" (through `mapping` first, else the singular of the last segment)."""
    leaf = odoo_category.split("/")[-1].strip()
    folded = {k.casefold(): v for k, v in mapping.items()}
    if leaf.casefold() in folded:
        return folded[leaf.casefold()]
    for key, name in CATEGORY_NAMES.items():
        if leaf.casefold() in (key, name.casefold()):
            return key
    lowered = leaf.casefold()
    return lowered[:-1] if lowered.endswith("s") else lowered


class Catalogue:
    """Thread-safe cache of managed models and their variants; `refresh()` reloads it in 4 RPCs.

    Lookups (`variant`, `model`, `search`) never call Odoo, so a scan costs one RPC.
    """

    def __init__(
        self, connection: OdooConnection, scale: GradeScale, category_map: dict[str, str] | None = None
    ) -> None:
        self._conn = connection
        self._scale = scale
        self._category_map = dict(category_map or {})
        self._lock = threading.Lock()
        self._models: dict[int, CatalogueModel] = {}
        self._variants: dict[int, VariantInfo] = {}
        self._loaded = False
        self._missing: set[int] = set()  # variant ids looked up since the last load and not managed
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.grade_attribute_id: int | None = None

    # -- loading ---------------------------------------------------------------------------------------------
    def refresh(self) -> None:
        call = self._conn.call
        attrs = call(
            "product.attribute",
            "search_read",
            [[["name", "=", GRADE_ATTRIBUTE]]],
            {"fields": ["id"], "limit": 1},
            what=N_("read the Grade attribute"),
        )
        models: dict[int, CatalogueModel] = {}
        variants: dict[int, VariantInfo] = {}
        attr_id = attrs[0]["id"] if attrs else None
        if attr_id:
            ptavs = call(
                "product.template.attribute.value",
                "search_read",
                [[["attribute_id", "=", attr_id]]],
                {"fields": ["name", "product_tmpl_id"]},
                what=N_("read the grade values"),
            )
            grade_of_ptav = {p["id"]: self._scale.key_for_value(text(p["name"])) for p in ptavs}
            tmpl_ids = sorted({m2o_id(p["product_tmpl_id"]) for p in ptavs} - {None})
            templates = (
                call(
                    "product.template",
                    "search_read",
                    [[["id", "in", tmpl_ids]]],
                    {"fields": ["name", "categ_id", "list_price"]},
                    what=N_("read the catalogue"),
                )
                if tmpl_ids
                else []
            )
            rows = (
                call(
                    "product.product",
                    "search_read",
                    [[["product_tmpl_id", "in", tmpl_ids]]],
                    {
                        "fields": [
                            "product_tmpl_id",
                            "default_code",
                            "barcode",
                            "product_template_attribute_value_ids",
                            "lot_properties_definition",
                        ]
                    },
                    what=N_("read the catalogue variants"),
                )
                if tmpl_ids
                else []
            )
            models, variants = self._build(templates, rows, grade_of_ptav)
        with self._lock:
            self._models, self._variants, self._loaded = models, variants, True
            self._missing = set()
            self.grade_attribute_id = attr_id
        log.odoo.info("catalogue loaded: %d managed models, %d variants", len(models), len(variants))

    def _build(self, templates: list[dict], rows: list[dict], grade_of_ptav: dict[int, str | None]):
        by_tmpl: dict[int, list[dict]] = {}
        for row in rows:
            by_tmpl.setdefault(m2o_id(row["product_tmpl_id"]) or 0, []).append(row)
        models: dict[int, CatalogueModel] = {}
        variants: dict[int, VariantInfo] = {}
        wanted = lot_property_definitions(self._scale)
        for tmpl in templates:
            category = category_key(m2o_name(tmpl.get("categ_id")), self._category_map)
            price = float(tmpl.get("list_price") or 0.0)
            by_grade: dict[str, int] = {}
            code, barcode = "", ""
            for row in sorted(by_tmpl.get(tmpl["id"], []), key=lambda r: r["id"]):
                grade = variant_grade(row, grade_of_ptav)
                sku = text(row.get("default_code"))
                defined = definitions_match(row.get("lot_properties_definition"), wanted)
                variants[row["id"]] = VariantInfo(
                    row["id"], tmpl["id"], text(tmpl["name"]), category, grade, sku, defined, price
                )
                if grade:
                    by_grade.setdefault(grade, row["id"])
                    suffix = "-" + self._scale.sku_suffix(grade)
                    if sku.endswith(suffix) and not code:
                        code = sku[: -len(suffix)]
                barcode = barcode or text(row.get("barcode"))
            models[tmpl["id"]] = CatalogueModel(
                tmpl["id"], text(tmpl["name"]), category, code, barcode, by_grade
            )
        return models, variants

    def ensure_loaded(self) -> None:
        if not self._loaded:
            self.refresh()

    def start_auto_refresh(
        self,
        interval_s: float,
        on_error: Callable[[KnownError], None] | None = None,
        after_refresh: Callable[[], None] | None = None,
    ) -> None:
        """Reload every `interval_s` seconds on a daemon thread (new Odoo models show up by themselves);
        `after_refresh` runs after each successful reload (e.g. defining properties on new variants)."""
        if self._thread is not None:
            return

        def loop() -> None:
            while not self._stop.wait(interval_s):
                try:
                    self.refresh()
                    if after_refresh:
                        after_refresh()
                except KnownError as exc:
                    log.odoo.warning("catalogue refresh failed: %s", exc.user_message)
                    if on_error:
                        on_error(exc)

        self._stop.clear()
        self._thread = threading.Thread(target=loop, name="odoo-catalogue", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    # -- lookups ---------------------------------------------------------------------------------------------
    def lookup_variant(self, variant_id: int) -> VariantInfo | None:
        """Like `variant`, but a variant made since the last load triggers one reload; a variant that is not
        managed (no Grade attribute) is remembered so later scans don't reload again."""
        info = self.variant(variant_id)
        with self._lock:
            known_missing = variant_id in self._missing
        if info is None and not known_missing:
            self.refresh()
            info = self.variant(variant_id)
            if info is None:
                with self._lock:
                    self._missing.add(variant_id)
        return info

    def variant(self, variant_id: int) -> VariantInfo | None:
        with self._lock:
            return self._variants.get(variant_id)

    def model(self, template_id: int) -> CatalogueModel | None:
        with self._lock:
            return self._models.get(template_id)

    def models(self) -> list[CatalogueModel]:
        with self._lock:
            return sorted(self._models.values(), key=lambda m: m.name.casefold())

    def undefined_variant_ids(self) -> list[int]:
        """Managed variants whose lot-property definition lacks some of ours (made outside the app)."""
        with self._lock:
            return sorted(v.variant_id for v in self._variants.values() if not v.defined)

    def variant_ids(self) -> list[int]:
        with self._lock:
            return sorted(self._variants)

    def search(self, query: str, limit: int = 20) -> list[CatalogueModel]:
        """Models whose name or internal reference holds every word of `query`, or whose EAN is `query`."""
        words = query.casefold().split()
        needle = query.strip()
        hits = []
        for m in self.models():
            haystack = f"{m.name} {m.default_code}".casefold()
            if (needle and m.barcode == needle) or (words and all(w in haystack for w in words)):
                hits.append(m)
        return hits[:limit]
