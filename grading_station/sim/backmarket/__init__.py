"""Back Market seller API simulator, validated against the published OpenAPI spec."""
