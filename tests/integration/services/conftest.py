"""The picking world (both simulators, the demo stock, a real outbox) for the picking service tests."""

from tests.helpers.picking_world import picking_world  # noqa: F401
