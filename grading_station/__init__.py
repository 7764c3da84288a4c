"""Grading Station: grade, list and ship refurbished electronics with Odoo and Back Market."""

__version__ = "0.1.0"
