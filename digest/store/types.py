"""Column types of the store: one UTC datetime type for SQLite and PostgreSQL, shared with the
subscriber tables (it is defined in subscribers.columns, since `subscribers` never imports digest)."""

from subscribers.columns import UTCDateTime

__all__ = ["UTCDateTime"]
