"""Back Market regions, their hosts and markets (API-NOTES §1), and the settings that choose among them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from grading_station import __version__
from grading_station.config import Config, declare
from grading_station.errors import InputError
from grading_station.i18n import N_, _

HOSTS = {
    ("EU", "production"): "https://www.backmarket.fr",
    ("EU", "preprod"): "https://preprod.backmarket.fr",
    ("NA", "production"): "https://www.backmarket.com",
    ("NA", "preprod"): "https://preprod.backmarket.com",
    ("AP", "production"): "https://www.backmarket.co.jp",
    ("AP", "preprod"): "https://preprod.backmarket.co.jp",
}
MARKETS = {
    "EU": (
        "fr-fr",
        "fr-be",
        "es-es",
        "de-de",
        "de-at",
        "it-it",
        "en-gb",
        "nl-nl",
        "pt-pt",
        "en-ie",
        "el-gr",
        "sk-sk",
        "sv-se",
    ),
    "NA": ("en-us",),
    "AP": ("ja-jp", "en-au"),
}


def app_version() -> str:
    """This app's version in the characters of a name (letters, digits, dots): "0.1.0+g1-x" -> "0.1.0.g1.x"."""
    return re.sub(r"[^A-Za-z0-9.]+", ".", __version__).strip(".") or "0"


_NAME_PART = re.compile(r"^[A-Za-z0-9_.]+$")  # no "-" or ";": they separate the User-Agent's fields
_EMAIL = re.compile(r"^[^@\s;]+@[^@\s;]+\.[^@\s;]+$")

declare(
    "backmarket.region",
    str,
    "EU",
    N_("Back Market region"),
    N_("Which Back Market platform the shop sells on"),
    choices=("EU", "NA", "AP"),
)
declare(
    "backmarket.environment",
    str,
    "production",
    N_("Back Market environment"),
    N_("Production, or preprod (a separate Back Office account and token)"),
    choices=("production", "preprod"),
)
declare(
    "backmarket.markets",
    list,
    ["fr-fr"],
    N_("Markets served"),
    N_("Back Market markets the shop sells in (e.g. fr-fr, de-de); the first one is the main market"),
)
declare("backmarket.company", str, "", N_("Company name"), N_("Your company, as it appears in the API User-Agent"))
declare(
    "backmarket.integration",
    str,
    "GradingStation",
    N_("Integration name"),
    N_("Name of this integration in the API User-Agent"),
)
declare(
    "backmarket.contact_email",
    str,
    "",
    N_("Contact e-mail"),
    N_("Address Back Market can write to about this integration (sent in the User-Agent)"),
)
declare(
    "backmarket.base_url",
    str,
    "",
    N_("Back Market address override"),
    N_("Leave empty; set only to point the app at a test server (e.g. the simulator)"),
)
declare(
    "backmarket.auto_list",
    bool,
    True,
    N_("List after grading"),
    N_("Push listing quantity and price to Back Market after every commit"),
)

declare(
    "backmarket.backpricer",
    bool,
    False,
    N_("BackPricer minimum prices"),
    N_(
        "Send each listing's minimum price so Back Market's BackPricer may lower the price down to it; "
        "turn on only if the BackPricer is enabled for your account"
    ),
)
declare(
    "backmarket.task_poll_seconds",
    float,
    30.0,
    N_("Batch task check interval (s)"),
    N_(
        "Seconds before the first check of a listing batch Back Market is processing (it takes about 5 "
        "minutes); each further check waits twice as long, up to 5 minutes"
    ),
    minimum=0.0,
    maximum=600.0,
)


@dataclass(frozen=True)
class BackMarketSettings:
    """What the client needs from the settings (the token comes from the keyring, separately)."""

    base_url: str
    markets: tuple[str, ...]
    company: str
    integration: str
    contact_email: str
    backpricer: bool = False  # send min_price (only sellers with the BackPricer enabled may)
    task_poll: float = 30.0  # seconds before the first check of a batch task (doubling after)

    @property
    def main_market(self) -> str:
        return self.markets[0]

    @property
    def user_agent(self) -> str:
        """`BM-{CompanyName}-{IntegrationName};{email}` (Guide §API Identification). The guide also asks for
        the application's version, which the template has no slot for (API-NOTES §1 [gap]): it joins the
        integration name (`GradingStation_v0.1.0`), in the characters a name may hold."""
        return f"BM-{self.company}-{self.integration}_v{app_version()};{self.contact_email}"

    def check(self) -> BackMarketSettings:
        """Self, or InputError naming the first setting a person must fix."""
        if not self.markets:
            raise InputError(_("Choose at least one Back Market market in the settings."))
        if not _NAME_PART.match(self.company or ""):
            raise InputError(
                _("Enter your company name for Back Market (letters, digits, dots or underscores).")
            )
        if not _NAME_PART.match(self.integration or ""):
            raise InputError(
                _("Enter an integration name for Back Market (letters, digits, dots or underscores).")
            )
        if not _EMAIL.match(self.contact_email or ""):
            raise InputError(_("Enter a contact e-mail address for Back Market."))
        return self


def settings_from(config: Config) -> BackMarketSettings:
    """Read and check the Back Market settings (InputError naming what to fix)."""
    return settings_from_values({key: config.get(key) for key in KEYS})


KEYS = (
    "backmarket.region",
    "backmarket.environment",
    "backmarket.markets",
    "backmarket.company",
    "backmarket.integration",
    "backmarket.contact_email",
    "backmarket.base_url",
    "backmarket.backpricer",
    "backmarket.task_poll_seconds",
)


def settings_from_values(values: dict) -> BackMarketSettings:
    """Check settings as a form shows them ({key: value} for KEYS); markets outside the region are refused."""
    region, environment = values["backmarket.region"], values["backmarket.environment"]
    markets = tuple(dict.fromkeys(m.strip().lower() for m in values["backmarket.markets"] if m.strip()))
    foreign = [m for m in markets if m not in MARKETS[region]]
    if foreign:
        raise InputError(
            _("Back Market {region} does not serve {markets}; choose among {known}.").format(
                region=region, markets=", ".join(foreign), known=", ".join(MARKETS[region]))
        )
    base_url = values.get("backmarket.base_url") or HOSTS[(region, environment)]
    return BackMarketSettings(
        base_url.rstrip("/"),
        markets,
        values["backmarket.company"],
        values["backmarket.integration"],
        values["backmarket.contact_email"],
        bool(values.get("backmarket.backpricer", False)),
        float(values.get("backmarket.task_poll_seconds", 30.0)),
    ).check()
