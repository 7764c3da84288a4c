"""Prices as Back Market's API takes them: strings with the currency's ISO 4217 minor units (JPY has none)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

# ISO 4217 minor units of the currencies of Back Market's markets (API-NOTES §1); 2 for any other.
MINOR_UNITS = {"EUR": 2, "GBP": 2, "SEK": 2, "USD": 2, "AUD": 2, "JPY": 0}
# The currency a market's prices are in (Guide §Country code); EUR/USD are the platforms' defaults.
MARKET_CURRENCY = {
    **dict.fromkeys(
        ("fr-fr", "fr-be", "es-es", "de-de", "de-at", "it-it", "nl-nl", "pt-pt", "en-ie", "el-gr", "sk-sk"),
        "EUR",
    ),
    "en-gb": "GBP",
    "sv-se": "SEK",
    "en-us": "USD",
    "ja-jp": "JPY",
    "en-au": "AUD",
}


def price_text(amount: Decimal, currency: str) -> str:
    """`amount` as the string sent for a price in `currency` ("98765" in JPY, "499.00" in EUR)."""
    places = MINOR_UNITS.get(currency.upper(), 2)
    return f"{amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):f}"
