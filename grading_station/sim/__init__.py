"""Simulators of Odoo's external API and Back Market's seller API, served on 127.0.0.1, with demo data."""
