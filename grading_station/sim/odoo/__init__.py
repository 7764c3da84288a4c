"""Odoo 18 JSON-RPC simulator (DESIGN §7), faithful to the recorded transcripts."""

from grading_station.sim.odoo.simulator import STOCK_USER_LOGIN, STOCK_USER_PASSWORD, OdooSimulator

__all__ = ["OdooSimulator", "STOCK_USER_LOGIN", "STOCK_USER_PASSWORD"]
