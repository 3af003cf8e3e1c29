"""Transactional outbox: events are rows written with the state change, relayed to Kafka after."""
