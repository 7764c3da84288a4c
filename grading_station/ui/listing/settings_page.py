"""Back Market settings page: region, markets, User-Agent parts, the token (keyring), a connection test."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton

from grading_station.backmarket.regions import KEYS, BackMarketSettings, settings_from_values

from grading_station.ui.kit.background import run_in_background
from grading_station.ui.settings.fields import DeclaredSettingsPage, make_editor
from grading_station.ui.settings.pages import BlockingWork, SettingsContext, register_page
from grading_station.ui.widgets import theme

from grading_station import log
from grading_station.errors import KnownError
from grading_station.i18n import _
from grading_station.secrets import Secret


@register_page
class BackMarketPage(DeclaredSettingsPage):
    """Back Market connection settings. The API token goes to the keyring, never to the settings file.

    "Test connection" reads one listing with what the fields show (saved or not) through
    `context.services["backmarket.check"]` ((BackMarketSettings, token) -> sentence), off the GUI thread.
    """

    order = 40  # after Odoo (10), Station (20), Scanner (30)

    def __init__(self, context: SettingsContext) -> None:
        super().__init__(
            context,
            "Back Market",
            [
                make_editor(
                    "backmarket.region",
                    {
                        "EU": "Europe (backmarket.fr)",
                        "NA": "North America (.com)",
                        "AP": "Asia-Pacific (.co.jp)",
                    },
                ),
                make_editor(
                    "backmarket.environment", {"production": "Production", "preprod": "Preprod (testing)"}
                ),
                make_editor("backmarket.markets"),
                make_editor("backmarket.company"),
                make_editor("backmarket.integration"),
                make_editor("backmarket.contact_email"),
                make_editor("backmarket.auto_list"),
                make_editor("backmarket.backpricer"),
                make_editor("backmarket.task_poll_seconds"),
            ],
        )
        self.token = QLineEdit()
        self.token.setObjectName("backmarket.token")
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        self.add_row(
            _("API token"),
            self.token,
            _("From the Back Office (Options > Integrations); kept in the "
              "system keyring, sent exactly as issued"),
        )
        self.test_button = QPushButton(_("Test connection"))
        self.test_button.clicked.connect(self.test_connection)
        row = QHBoxLayout()
        row.addWidget(self.test_button)
        row.addStretch(1)
        self.form.addRow("", row)
        self.result = QLabel("")
        self.result.setObjectName("backmarketResult")
        self.result.setWordWrap(True)
        self.form.addRow("", self.result)
        self._token_read = False

    def load(self) -> None:
        super().load()
        self._token_read = False
        store = self.context.secrets
        run_in_background(
            self, lambda: store.get(Secret.BACKMARKET_TOKEN), success=self._token_loaded, failure=self._failed
        )

    def _token_loaded(self, token: str) -> None:
        self._token_read = True
        if not self.token.text():
            self.token.setText(token)

    def settings(self) -> BackMarketSettings:
        """What the fields show, checked (InputError naming the field to fix)."""
        values = {
            key: (self.editors[key].get() if key in self.editors else self.context.config.get(key))
            for key in KEYS
        }
        return settings_from_values(values)

    def save(self) -> BlockingWork | None:
        filled = [self.editors[k].get() for k in ("backmarket.company", "backmarket.contact_email")]
        if any(filled) or self.token.text().strip():
            self.settings()  # refuse a User-Agent Back Market would reject, or a market outside the region
        super().save()
        if not self._token_read and not self.token.text():
            return None  # the keyring was not read yet: leave it alone
        token, store = self.token.text().strip(), self.context.secrets
        return lambda: store.set(Secret.BACKMARKET_TOKEN, token)

    def test_connection(self) -> None:
        try:
            settings = self.settings()
        except KnownError as exc:
            self._show(exc.user_message, "error")
            return
        check, token = self.context.services["backmarket.check"], self.token.text().strip()
        self.test_button.setEnabled(False)
        self._show(_("Connecting to Back Market…"), "busy")
        run_in_background(self, lambda: check(settings, token), success=self._connected, failure=self._failed)

    def _connected(self, text: str) -> None:
        self.test_button.setEnabled(True)
        self._show(text, "ok")

    def _failed(self, exc: BaseException) -> None:
        self.test_button.setEnabled(True)
        if isinstance(exc, KnownError):
            self._show(exc.user_message, "error")
        else:
            log.ui.error("Back Market check failed", exc_info=exc)  # a bug: keep the traceback
            self._show(_("The check stopped on an unexpected error (see the log in Activity)."), "error")

    def _show(self, text: str, state: str) -> None:
        self.result.setText(text)
        theme.set_state(self.result, state)
