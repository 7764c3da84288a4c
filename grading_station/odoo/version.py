"""What differs between the Odoo versions the station supports (17, 18, 19), kept in one place."""

from __future__ import annotations

from dataclasses import dataclass

OLDEST_SUPPORTED = 17  # stock.lot.lot_properties appeared in Odoo 17


@dataclass(frozen=True)
class OdooFlavour:
    """The server's major version and the field spellings that follow from it."""

    major: int
    server_version: str = ""

    @classmethod
    def from_version_info(cls, info: dict) -> OdooFlavour:
        """From `common.version`: `server_version_info[0]`; never parse the string ("18.0+e-...")."""
        numbers = info.get("server_version_info") or []
        try:
            major = int(numbers[0])
        except (IndexError, TypeError, ValueError):
            # saas versions report e.g. "saas~17.4"; the serie still starts with the major number
            serie = str(info.get("server_serie") or info.get("server_version") or "0")
            digits = serie.split("~")[-1].split(".")[0]
            major = int(digits) if digits.isdigit() else 0
        return cls(major=major, server_version=str(info.get("server_version") or ""))

    @property
    def supported(self) -> bool:
        return self.major >= OLDEST_SUPPORTED

    def storable_product_vals(self) -> dict:
        """Template values for a stock-tracked product ('product' in 17; 'consu' + is_storable from 18)."""
        if self.major <= 17:
            return {"detailed_type": "product", "type": "product"}
        return {"type": "consu", "is_storable": True}

    @property
    def message_post_html_kwarg(self) -> bool:
        """Odoo 18+ escapes a plain body unless `body_is_html` is passed."""
        return self.major >= 18

    @property
    def user_groups_field(self) -> str:
        """res.users' groups: `groups_id` up to 18, renamed `group_ids` in 19."""
        return "group_ids" if self.major >= 19 else "groups_id"
