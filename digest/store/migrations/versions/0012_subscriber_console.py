"""subscriber console: the indexes the admin console's table and the export walk, and the name key

- subscribers.name_key: the name trimmed and case-folded (subscribers.search.name_key), filled here
  for the subscribers there are; indexed with the id (`ix_subscribers_name_key`) for the name search;
- subscribers (created_at, id): newest first, with the id to settle rows stored at one moment;
- on PostgreSQL, email_key under the "C" collation (`ix_subscribers_email_key_c`), so an address
  prefix is a range of the index whatever the database's collation (SQLite compares bytes already);
- memberships (list_id, status, created_at, subscriber_id) and (list_id, created_at, subscriber_id):
  a list's members newest first, of one status or all; the first replaces (list_id, status);
- delivery_events (delivery_id): a subscriber's deliveries with their events.

The two collated indexes are not in tables.py (digest.store.search.outside_metadata lets them be).

Revision ID: 0012
Revises: 0011
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _name_key(name: str | None) -> str:  # subscribers.search.name_key as of this revision
    return " ".join((name or "").split()).casefold()


def upgrade() -> None:
    bind = op.get_bind()
    postgresql = bind.dialect.name == "postgresql"
    with op.batch_alter_table("subscribers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("name_key", sa.String(200), nullable=False, server_default=""))
    subscribers = sa.table("subscribers", sa.column("id", sa.Integer), sa.column("name", sa.String),
                           sa.column("name_key", sa.String))  # fmt: skip
    named = bind.execute(sa.select(subscribers.c.id, subscribers.c.name).where(subscribers.c.name.is_not(None)))
    update = sa.update(subscribers).where(subscribers.c.id == sa.bindparam("sid")).values(name_key=sa.bindparam("key"))
    while chunk := named.fetchmany(5000):
        bind.execute(update, [{"sid": sid, "key": _name_key(name)} for sid, name in chunk])
    collate = ' COLLATE "C"' if postgresql else ""
    op.execute(f"CREATE INDEX ix_subscribers_name_key ON subscribers (name_key{collate}, id)")
    if postgresql:
        op.execute('CREATE INDEX ix_subscribers_email_key_c ON subscribers (email_key COLLATE "C")')
    op.create_index("ix_subscribers_created", "subscribers", ["created_at", "id"])
    op.create_index("ix_memberships_list_status_joined", "memberships", ["list_id", "status", "created_at", "subscriber_id"])
    op.create_index("ix_memberships_list_joined", "memberships", ["list_id", "created_at", "subscriber_id"])
    op.drop_index("ix_memberships_list_status", "memberships")
    op.create_index("ix_delivery_events_delivery", "delivery_events", ["delivery_id"])


def downgrade() -> None:
    op.drop_index("ix_delivery_events_delivery", "delivery_events")
    op.create_index("ix_memberships_list_status", "memberships", ["list_id", "status"])
    op.drop_index("ix_memberships_list_joined", "memberships")
    op.drop_index("ix_memberships_list_status_joined", "memberships")
    op.drop_index("ix_subscribers_created", "subscribers")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX ix_subscribers_email_key_c")
    op.execute("DROP INDEX ix_subscribers_name_key")
    with op.batch_alter_table("subscribers", schema=None) as batch_op:
        batch_op.drop_column("name_key")
