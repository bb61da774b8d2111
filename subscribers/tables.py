"""The subscriber package's own tables. Migrations live with the project's single Alembic chain.

A subscriber's id goes into every link mailed to them, so it is never handed out again
(`sqlite_autoincrement`; PostgreSQL's sequences never reuse one either).
"""

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    true,
)

from subscribers.columns import UTCDateTime
from subscribers.tokens import new_nonce

metadata = MetaData()

lists = Table(
    "lists",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("language", String(8), nullable=False, default="en"),
    Column("double_opt_in", Boolean, nullable=False, default=True),
    Column("from_address", String(320), nullable=False, default=""),
    Column("from_name", String(200), nullable=False, default=""),
    Column("reply_to", String(320)),
    # offered on every subscriber's preferences page; a private list only to its own members
    Column("public", Boolean, nullable=False, default=False, server_default=false()),
)

subscribers = Table(
    "subscribers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("email", String(320), nullable=False),
    # identity: the address lower-cased, so Ann@X.org and ann@x.org are one person
    Column("email_key", String(320), nullable=False, unique=True),
    Column("name", String(200)),
    # what the admin console searches and sorts names by (subscribers.search.name_key): the name
    # trimmed and case-folded, "" for none; indexed with the id by migration 0012 (outside this file)
    Column("name_key", String(200), nullable=False, default="", server_default=""),
    Column("language", String(8)),
    Column("timezone", String(64)),
    Column("attributes", JSON, nullable=False, default=dict),
    Column("created_at", UTCDateTime(), nullable=False),
    # carried by every token made for this subscriber (subscribers.tokens); NULL for subscribers from
    # before migration 0006, whose links carry none
    Column("token_nonce", String(32), default=new_nonce),
    # added by 0019: False once the reader opted out of open and click tracking (preferences page)
    Column("tracking", Boolean, nullable=False, default=True, server_default=true()),
    Index("ix_subscribers_created", "created_at", "id"),  # 0012: the console's newest first
    sqlite_autoincrement=True,
)

memberships = Table(
    "memberships",
    metadata,
    Column("subscriber_id", Integer, ForeignKey("subscribers.id", ondelete="CASCADE"), primary_key=True),
    Column("list_id", String(64), ForeignKey("lists.id", ondelete="CASCADE"), primary_key=True),
    Column("status", String(16), nullable=False),
    Column("status_changed_at", UTCDateTime(), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    # 0012: a list's members newest first, of one status or all (the console, recipients, the counts)
    Index("ix_memberships_list_status_joined", "list_id", "status", "created_at", "subscriber_id"),
    Index("ix_memberships_list_joined", "list_id", "created_at", "subscriber_id"),
    # 0016: a list's leaves by day (the console's growth chart), one range per status left
    Index("ix_memberships_list_status_changed", "list_id", "status", "status_changed_at"),
)

# A saved search (subscribers.search.Query, as Query.describe() gives it) of one list's members:
# an edition of that list may be sent to the confirmed members it finds instead of to all (0016).
segments = Table(
    "segments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("list_id", String(64), ForeignKey("lists.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("query", JSON, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("created_by", String(400), nullable=False),
    UniqueConstraint("list_id", "name", name="uq_segments_list_name"),
    sqlite_autoincrement=True,
)

suppressions = Table(
    "suppressions",
    metadata,
    Column("id", Integer, primary_key=True),
    # sha256 of the normalized address: kept even after erasure so the address cannot come back
    Column("email_hash", String(64), nullable=False, unique=True),
    Column("reason", String(32), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    # 0015: the address where known (cleared when the person is erased), an admin's note, and who
    # added it (a user's name, the provider of a bounce or complaint, or "system")
    Column("email", String(320)),
    Column("note", Text),
    Column("added_by", String(400), nullable=False, default="system", server_default="system"),
    Index("ix_suppressions_reason", "reason", "id"),  # 0015: the page, of one reason, newest first
)

consent_events = Table(
    "consent_events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("subscriber_id", Integer, ForeignKey("subscribers.id", ondelete="CASCADE"), nullable=False),
    Column("list_id", String(64), ForeignKey("lists.id", ondelete="CASCADE"), nullable=False),
    Column("status", String(16), nullable=False),
    Column("method", String(16), nullable=False),  # form, import, api, admin, link
    Column("origin", String(500)),  # IP address or file name
    Column("wording", String(64)),  # version of the consent wording shown
    Column("at", UTCDateTime(), nullable=False),
    Index("ix_consent_subscriber", "subscriber_id"),
)

# One row per accepted subscribe request, keyed by the hash of the address or of the client's IP address:
# the rate limit counts them so nobody can flood an inbox with confirmation mail.
subscribe_requests = Table(
    "subscribe_requests",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(64), nullable=False),
    Column("at", UTCDateTime(), nullable=False),
    Index("ix_subscribe_requests_key_at", "key", "at"),
)
