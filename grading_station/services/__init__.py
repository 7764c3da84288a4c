"""Use cases (grade a unit, deliver the outbox, list on Back Market); Qt-free, adapters behind Protocols."""
