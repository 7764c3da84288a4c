"""Back Market seller API: httpx client, rate limiter, mappers."""
