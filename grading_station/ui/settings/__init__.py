"""Settings pages: small load()/save() classes."""
