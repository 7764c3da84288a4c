"""Per-model behaviour of the simulated Odoo: products, stock, sales, chatter, users."""
