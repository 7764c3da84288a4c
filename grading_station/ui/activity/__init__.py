"""The Activity panel: outbox state and the log tail."""
