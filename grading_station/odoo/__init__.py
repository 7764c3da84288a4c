"""The Odoo gateway over odoorpc: one named method per business operation, and provisioning."""

from grading_station.odoo.connection import OdooSettings
from grading_station.odoo.gateway import OdooGateway

__all__ = ["OdooGateway", "OdooSettings"]
