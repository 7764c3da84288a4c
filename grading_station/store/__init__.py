"""Local SQLite: drafts, outbox, audit log, photo files (stdlib sqlite3, WAL, PRAGMA user_version)."""
