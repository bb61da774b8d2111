"""subscribe requests: the rate limit of the public subscribe form

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "subscribe_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("subscribe_requests", schema=None) as batch_op:
        batch_op.create_index("ix_subscribe_requests_key_at", ["key", "at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("subscribe_requests", schema=None) as batch_op:
        batch_op.drop_index("ix_subscribe_requests_key_at")
    op.drop_table("subscribe_requests")
