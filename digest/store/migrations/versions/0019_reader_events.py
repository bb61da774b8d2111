"""what readers did: a click or an open names its story and link, and says whether a machine made
it (a privacy proxy fetching every pixel, a security scanner following every link); a reader may
opt out of tracking.

Revision ID: 0019
Revises: 0018
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | Sequence[str] | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("delivery_events") as batch:
        batch.add_column(sa.Column("item_id", sa.Integer(), nullable=True))  # the story: kept after its item is gone
        batch.add_column(sa.Column("url", sa.Text(), nullable=True))
        batch.add_column(sa.Column("machine", sa.Boolean(), nullable=False, server_default=sa.false()))
    # a plain ADD COLUMN: SQLite's batch mode would copy the table and lose its AUTOINCREMENT
    op.add_column("subscribers", sa.Column("tracking", sa.Boolean(), nullable=False, server_default=sa.true()))


def downgrade() -> None:
    with op.batch_alter_table("subscribers") as batch:
        batch.drop_column("tracking")
    with op.batch_alter_table("delivery_events") as batch:
        batch.drop_column("machine")
        batch.drop_column("url")
        batch.drop_column("item_id")
