"""Intake: registering a demand from any channel (validation, idempotency, understanding, the first clock)."""
