"""The picking world for the Picking workspace tests."""

from tests.helpers.picking_world import picking_world  # noqa: F401
