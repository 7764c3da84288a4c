"""Creating catalogue models in Odoo (demo data, first set-up): one serial-tracked template per model."""

from __future__ import annotations

from grading_station.odoo.catalogue import Catalogue
from grading_station.odoo.connection import OdooConnection
from grading_station.odoo.mappers import m2o_id, text, variant_grade
from grading_station.odoo.provisioning import Provisioner
from grading_station.odoo.schema import CATEGORY_NAMES, GradeScale, lot_property_definitions

from grading_station.i18n import N_


class ModelMaker:
    """create_model: a template with one variant per grade, its SKUs, EAN and lot-property definitions."""

    def __init__(
        self, connection: OdooConnection, provisioner: Provisioner, catalogue: Catalogue, scale: GradeScale
    ) -> None:
        self._conn = connection
        self._provisioner = provisioner
        self._catalogue = catalogue
        self._scale = scale

    def create_model(
        self,
        name: str,
        category: str,
        default_code: str,
        barcode: str = "",
        new_price: float = 0.0,
        *,
        refresh: bool = True,
    ) -> int:
        """A serial-tracked storable template with one variant per grade, SKUs `{code}-{GRADE}`, the
        lot-property definition on each variant and the EAN on the best grade's variant; returns the
        template id. Idempotent: an existing model with that code is returned as is."""
        call = self._conn.call
        first_sku = f"{default_code}-{self._scale.sku_suffix(self._scale.keys[0])}"
        existing = call(
            "product.product",
            "search_read",
            [[["default_code", "=", first_sku]]],
            {"fields": ["product_tmpl_id"], "limit": 1},
            what=N_("look the model up"),
        )
        if existing:
            return m2o_id(existing[0]["product_tmpl_id"]) or 0
        attr_id, value_ids = self._provisioner.known_grade_values()
        template_id = call(
            "product.template",
            "create",
            [
                {
                    "name": name,
                    "categ_id": self._category_id(category),
                    "tracking": "serial",
                    "list_price": new_price,
                    "sale_ok": True,
                    **self._conn.flavour.storable_product_vals(),
                    "attribute_line_ids": [
                        [0, 0, {"attribute_id": attr_id, "value_ids": [[6, 0, list(value_ids.values())]]}]
                    ],
                }
            ],
            what=f"create the model {name}",
        )
        ptavs = call(
            "product.template.attribute.value",
            "search_read",
            [[["product_tmpl_id", "=", template_id]]],
            {"fields": ["name"]},
            what=N_("read the new model's grades"),
        )
        grade_of_ptav = {p["id"]: self._scale.key_for_value(text(p["name"])) for p in ptavs}
        variants = call(
            "product.product",
            "search_read",
            [[["product_tmpl_id", "=", template_id]]],
            {"fields": ["product_template_attribute_value_ids"]},
            what=N_("read the new model's variants"),
        )
        for row in variants:
            grade = variant_grade(row, grade_of_ptav)
            if not grade:
                continue
            vals: dict = {"default_code": f"{default_code}-{self._scale.sku_suffix(grade)}"}
            if barcode and grade == self._scale.keys[0]:
                vals["barcode"] = barcode  # Odoo barcodes are unique per variant: the model's EAN sits on one
            call("product.product", "write", [[row["id"]], vals], what=f"set the SKU of {name}")
        call(
            "product.product",
            "write",
            [
                [r["id"] for r in variants],
                {"lot_properties_definition": lot_property_definitions(self._scale)},
            ],
            what=N_("define the lot properties on the new variants"),
        )
        if refresh:
            self._catalogue.refresh()
        return template_id

    def _category_id(self, category: str) -> int:
        name = CATEGORY_NAMES.get(category, category.title())
        found = self._conn.call(
            "product.category",
            "search_read",
            [[["name", "=", name]]],
            {"fields": ["id"], "limit": 1},
            what=N_("read the product category"),
        )
        if found:
            return found[0]["id"]
        return self._conn.call(
            "product.category", "create", [{"name": name}], what=N_("create the product category")
        )
