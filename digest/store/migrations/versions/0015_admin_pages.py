"""admin pages: what the suppressions page shows, the bounces page's index, sources added in the browser

- suppressions: the address where known (cleared when the person is erased: only the hash stays), an
  admin's note, who added it (a user, the provider of a bounce or complaint, or "system"); indexed
  newest first, of one reason or all (the page walks (reason, id) or the primary key);
- delivery_events (event, at, event_id): the bounces and complaints page, one kind at a time, newest first;
- sources: a source added in the browser keeps its definition (kind, url, language, weight, full
  text, tags) and whether it is enabled; config.yaml's sources leave the definition NULL.

Revision ID: 0015
Revises: 0014
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | Sequence[str] | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("suppressions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email", sa.String(320)))
        batch_op.add_column(sa.Column("note", sa.Text))
        batch_op.add_column(sa.Column("added_by", sa.String(400), nullable=False, server_default="system"))
    op.create_index("ix_suppressions_reason", "suppressions", ["reason", "id"])
    op.create_index("ix_delivery_events_kind_at", "delivery_events", ["event", "at", "event_id"])
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.add_column(sa.Column("definition", sa.JSON))
        batch_op.add_column(sa.Column("enabled", sa.Boolean, nullable=False, server_default=sa.true()))


def downgrade() -> None:
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.drop_column("enabled")
        batch_op.drop_column("definition")
    op.drop_index("ix_delivery_events_kind_at", "delivery_events")
    op.drop_index("ix_suppressions_reason", "suppressions")
    with op.batch_alter_table("suppressions", schema=None) as batch_op:
        batch_op.drop_column("added_by")
        batch_op.drop_column("note")
        batch_op.drop_column("email")
