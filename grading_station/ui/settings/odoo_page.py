"""The Odoo page: address, database, login and password/API key, with "Test connection" and "Prepare Odoo"."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QPushButton

from grading_station.odoo.connection import OdooSettings, is_insecure_remote

from grading_station.ui.kit.background import run_in_background
from grading_station.ui.settings.fields import DeclaredSettingsPage, make_editor
from grading_station.ui.settings.pages import BlockingWork, SettingsContext, register_page
from grading_station.ui.widgets import theme

from grading_station import log
from grading_station.errors import InputError, KnownError
from grading_station.i18n import N_, _
from grading_station.secrets import Secret

_SECRET_FOR_MODE = {"password": Secret.ODOO_PASSWORD, "api_key": Secret.ODOO_API_KEY}


@register_page
class OdooPage(DeclaredSettingsPage):
    """Odoo connection settings. The password or API key goes to the keyring, never to the settings file.

    "Test connection" signs in with what the fields show (saved or not) through
    `context.services["odoo.check"]` (OdooSettings -> server version) off the GUI thread; "Prepare Odoo" runs
    `context.services["odoo.prepare"]` (OdooSettings -> report) and shows the report.
    """

    order = 10

    def __init__(self, context: SettingsContext) -> None:
        super().__init__(context, N_("Odoo"), [
            make_editor("odoo.url"), make_editor("odoo.database"), make_editor("odoo.login"),
            make_editor("odoo.auth", {"password": N_("Password"), "api_key": N_("API key")}),
            make_editor("odoo.allow_insecure_http"),
        ])
        url = self.editors["odoo.url"].widget
        url.setPlaceholderText(_("https://odoo.example.com"))
        # Shown right under the address while it is plain http:// to another computer.
        self.insecure_warning = QLabel(_("Plain http:// to another computer: the password and every record cross "
                                         "the network unencrypted. Use https://, or allow it below only on a "
                                         "network you trust."))
        self.insecure_warning.setObjectName("odooInsecureWarning")
        self.insecure_warning.setWordWrap(True)
        theme.set_state(self.insecure_warning, "warn")
        self.insecure_warning.setVisible(False)
        self.form.insertRow(self.form.getWidgetPosition(url)[0] + 1, "", self.insecure_warning)
        url.textChanged.connect(self._url_changed)
        self.auth = self.editors["odoo.auth"].widget
        self.secret = QLineEdit()
        self.secret.setObjectName("odoo.secret")
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.add_row(_("Password or API key"), self.secret, _("Kept in the system keyring, never in a file"))
        self._secret_label = self.form.labelForField(self.secret)
        self._secrets: dict[Secret, str] | None = None  # None until read from the keyring
        self._mode = "password"
        self.auth.currentIndexChanged.connect(self._mode_changed)

        self.test_button = QPushButton(_("Test connection"))
        self.prepare_button = QPushButton(_("Prepare Odoo"))
        self.test_button.clicked.connect(self.test_connection)
        self.prepare_button.clicked.connect(self.prepare_odoo)
        buttons = QHBoxLayout()
        buttons.addWidget(self.test_button)
        buttons.addWidget(self.prepare_button)
        buttons.addStretch(1)
        self.form.addRow("", buttons)
        self.result = QLabel("")
        self.result.setObjectName("odooResult")
        self.result.setWordWrap(True)
        self.form.addRow("", self.result)
        self.report = QPlainTextEdit()
        self.report.setReadOnly(True)
        self.report.setVisible(False)
        self.report.setMinimumHeight(160)
        self.form.addRow("", self.report)

    def load(self) -> None:
        super().load()
        self._mode = self.auth.currentData()
        self._update_secret_label()
        self._secrets = None
        self.secret.clear()
        self.secret.setPlaceholderText(_("reading the keyring…"))
        store = self.context.secrets

        def read() -> dict[Secret, str]:
            return {secret: store.get(secret) for secret in _SECRET_FOR_MODE.values()}

        run_in_background(self, read, success=self._secrets_read, failure=self._keyring_failed)

    def _url_changed(self, text: str) -> None:
        self.insecure_warning.setVisible(is_insecure_remote(text))

    def _secrets_read(self, values: dict[Secret, str]) -> None:
        self._secrets = values
        self.secret.setPlaceholderText("")
        if not self.secret.text():  # the technician may have typed already
            self.secret.setText(values[_SECRET_FOR_MODE[self._mode]])

    def _keyring_failed(self, exc: BaseException) -> None:
        self.secret.setPlaceholderText("")
        self._show(exc.user_message if isinstance(exc, KnownError) else str(exc), "error")

    def _mode_changed(self) -> None:
        if self._secrets is not None:
            self._secrets[_SECRET_FOR_MODE[self._mode]] = self.secret.text()
            self._mode = self.auth.currentData()
            self.secret.setText(self._secrets[_SECRET_FOR_MODE[self._mode]])
        else:
            self._mode = self.auth.currentData()
        self._update_secret_label()

    def _update_secret_label(self) -> None:
        self._secret_label.setText(_("API key") if self._mode == "api_key" else _("Password"))

    def save(self) -> BlockingWork | None:
        super().save()
        if self._secrets is None and not self.secret.text():
            return None  # the keyring was not read (yet): leave what it holds alone
        values = dict(self._secrets or {})
        values[_SECRET_FOR_MODE[self._mode]] = self.secret.text()
        store = self.context.secrets

        def write() -> None:
            for secret, value in values.items():
                store.set(secret, value)

        return write

    def odoo_settings(self) -> OdooSettings:
        """What the fields show now, saved or not; InputError when something needed is empty."""
        values = {key: editor.get() for key, editor in self.editors.items()}
        for key in ("odoo.url", "odoo.database", "odoo.login"):
            if not values[key]:
                raise InputError(_("Fill in “{field}” first.").format(field=_(self.editors[key].setting.title)))
        return OdooSettings(url=values["odoo.url"], database=values["odoo.database"],
                            login=values["odoo.login"], secret=self.secret.text(),
                            secret_is_api_key=values["odoo.auth"] == "api_key",
                            timeout=self.context.config.get("odoo.timeout_s"),
                            allow_insecure_http=values["odoo.allow_insecure_http"])

    def test_connection(self) -> None:
        self._run("odoo.check", "Connecting to Odoo…", self._connected)

    def prepare_odoo(self) -> None:
        self._run("odoo.prepare", "Preparing Odoo (attribute, lot properties, locations)…", self._prepared)

    def _run(self, service: str, busy_text: str, success) -> None:
        try:
            settings = self.odoo_settings()
        except InputError as exc:
            self._show(exc.user_message, "error")
            return
        action = self.context.services[service]
        self._busy(True)
        self._show(busy_text, "busy")
        run_in_background(self, lambda: action(settings), success=success, failure=self._failed)

    def _connected(self, version: str) -> None:
        self._busy(False)
        self._show(_("Connected: Odoo {version}, signed in as {login}.").format(
            version=version, login=self.editors['odoo.login'].get()), "ok")

    def _prepared(self, report: object) -> None:
        self._busy(False)
        self._show(_("Odoo is prepared."), "ok")
        self.report.setPlainText(str(report))
        self.report.setVisible(True)

    def _failed(self, exc: BaseException) -> None:
        self._busy(False)
        if isinstance(exc, KnownError):
            log.odoo.info("Odoo check failed: %s (%s)", exc.user_message, exc.detail)
            self._show(exc.user_message, "error")
        else:
            log.ui.error("Odoo check failed", exc_info=exc)  # a bug, not the world: keep the traceback
            self._show(_("The check stopped on an unexpected error (see the log in Activity)."), "error")

    def _busy(self, busy: bool) -> None:
        self.test_button.setEnabled(not busy)
        self.prepare_button.setEnabled(not busy)

    def _show(self, text: str, state: str) -> None:
        self.result.setText(text)
        theme.set_state(self.result, state)
