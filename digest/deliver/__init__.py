"""Delivery: outbox rows, batches, backends and provider events."""
