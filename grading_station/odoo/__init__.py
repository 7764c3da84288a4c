"""The Odoo gateway over odoorpc: one named method per business operation, and provisioning."""
