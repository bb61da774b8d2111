"""segments: saved searches of a list's members, and an edition sent to one of them

- segments: a named subscribers.search.Query of one list (unique by list and name);
- editions.segment_id: the segment an edition goes to (NULL: the whole list);
- memberships (list_id, status, status_changed_at): a list's leaves by day, for the console's growth chart.

Revision ID: 0016
Revises: 0015
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | Sequence[str] | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MOMENT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "segments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("list_id", sa.String(64), sa.ForeignKey("lists.id", ondelete="CASCADE"), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("query", sa.JSON, nullable=False),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.Column("created_by", sa.String(400), nullable=False),
        sa.UniqueConstraint("list_id", "name", name="uq_segments_list_name"),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("editions") as batch:
        batch.add_column(sa.Column("segment_id", sa.Integer, nullable=True))
        batch.create_foreign_key(
            "fk_editions_segment", "segments", ["segment_id"], ["id"], ondelete="SET NULL"
        )
    op.create_index(
        "ix_memberships_list_status_changed", "memberships", ["list_id", "status", "status_changed_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_memberships_list_status_changed", "memberships")
    with op.batch_alter_table("editions") as batch:
        batch.drop_constraint("fk_editions_segment", type_="foreignkey")
        batch.drop_column("segment_id")
    op.drop_table("segments")
