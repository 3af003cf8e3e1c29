"""Shared code of the Huiyin services: events, outbox, idempotent consumers, settings, auth."""
