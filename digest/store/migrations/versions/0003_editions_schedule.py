"""editions: change log, scheduled runs, scheduler lease, item reading time and coverage

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("editions") as batch:
        batch.add_column(sa.Column("scheduled_for", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("edition_items") as batch:
        batch.add_column(sa.Column("words", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("also", sa.JSON(), nullable=True))
    op.create_table(
        "edition_changes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "edition_id", sa.Integer(), sa.ForeignKey("editions.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("actor", sa.String(320), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("op", sa.String(32), nullable=False),
        sa.Column("args", sa.JSON(), nullable=False),
    )
    op.create_index("ix_edition_changes_edition", "edition_changes", ["edition_id"])
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("list_id", sa.String(64), sa.ForeignKey("lists.id", ondelete="CASCADE"), nullable=False),
        sa.Column("slot", sa.String(32), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "edition_id", sa.Integer(), sa.ForeignKey("editions.id", ondelete="SET NULL"), nullable=True
        ),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.UniqueConstraint("list_id", "slot", name="uq_runs_list_slot"),
    )
    op.create_table(
        "leases",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("holder", sa.String(200), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("leases")
    op.drop_table("runs")
    op.drop_index("ix_edition_changes_edition", "edition_changes")
    op.drop_table("edition_changes")
    with op.batch_alter_table("edition_items") as batch:
        batch.drop_column("also")
        batch.drop_column("words")
    with op.batch_alter_table("editions") as batch:
        batch.drop_column("scheduled_for")
