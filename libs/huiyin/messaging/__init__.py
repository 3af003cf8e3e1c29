"""Kafka plumbing: producer factory, topic admin, the idempotent consumer and the DLQ."""
