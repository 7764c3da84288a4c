"""Odoo 18 JSON-RPC simulator (DESIGN §7), faithful to the recorded transcripts."""
