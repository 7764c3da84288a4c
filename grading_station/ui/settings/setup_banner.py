"""The first-run steps shown above the Settings pages until Odoo is set up."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from grading_station.i18n import _


class SetupBanner(QWidget):
    """What a new station needs, in order; hidden once the Odoo settings are saved."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("setupBanner")
        self.title = title = QLabel(_("Set up this station"))
        title.setProperty("role", "title")
        items = [
            _("Odoo: enter the address, the database, the login and the password or API key, then press "
              "Test connection."),
            _("Press Prepare Odoo once per database (it needs an Odoo administrator): it adds the Grade "
              "attribute, the unit properties and the Hold and Repair locations."),
            _("Back Market (optional now): enter the API token; listing waits until it is there."),
            _("Station: name this bench and the technician, then Save (Ctrl+S). The bench (F1) is then ready "
              "to scan."),
        ]
        steps = QLabel("<ol style='margin-left:-20px'>" + "".join(f"<li>{item}</li>" for item in items) + "</ol>")
        steps.setWordWrap(True)
        steps.setObjectName("setupSteps")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 0)
        layout.addWidget(title)
        layout.addWidget(steps)
        self.setStyleSheet("#setupBanner { background: #e3f2fd; } #setupSteps { font-size: 15px; }")
