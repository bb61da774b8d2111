"""workers: many processes sending one edition (execution: celery)

- deliveries.claimed_by, claimed_until: which worker claimed a row it is sending, and until when the
  claim holds; a row still 'sending' after that belongs to a worker that died, and is sent again;
- edition_sends.active_at: when a worker last claimed a batch of the send, or it was last enqueued; a
  send with rows to go and no activity for a while has lost its tasks, and is enqueued again;
- throttles: a sending limit's state (digest.deliver.throttle), shared by every worker.

Revision ID: 0017
Revises: 0016
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | Sequence[str] | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MOMENT = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("deliveries") as batch:
        batch.add_column(sa.Column("claimed_by", sa.String(200), nullable=True))
        batch.add_column(sa.Column("claimed_until", MOMENT, nullable=True))
    with op.batch_alter_table("edition_sends") as batch:
        batch.add_column(sa.Column("active_at", MOMENT, nullable=True))
    op.create_table(
        "throttles",
        sa.Column("name", sa.String(100), primary_key=True),
        sa.Column("state", sa.JSON, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("throttles")
    with op.batch_alter_table("edition_sends") as batch:
        batch.drop_column("active_at")
    with op.batch_alter_table("deliveries") as batch:
        batch.drop_column("claimed_until")
        batch.drop_column("claimed_by")
