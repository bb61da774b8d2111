"""ingest: canonical URLs, lead images, tags, story links and source back-off

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 06:40:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_attempt_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("canonical_url", sa.Text(), nullable=True))
        batch_op.add_column(
            sa.Column("published_guessed", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("image_url", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("image_alt", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("tags", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("entry_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("sketch", sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column("story_id", sa.Integer(), nullable=True))
        batch_op.create_index("ix_articles_canonical_url", ["canonical_url"], unique=False)
        batch_op.create_index("ix_articles_story", ["story_id"], unique=False)
        batch_op.create_index("ix_articles_fetched", ["fetched_at"], unique=False)
    op.execute(
        "UPDATE articles SET story_id = id WHERE story_id IS NULL"
    )  # each older article: its own story


def downgrade() -> None:
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.drop_index("ix_articles_fetched")
        batch_op.drop_index("ix_articles_story")
        batch_op.drop_index("ix_articles_canonical_url")
        for column in (
            "story_id",
            "sketch",
            "entry_hash",
            "tags",
            "image_alt",
            "image_url",
            "published_guessed",
            "canonical_url",
        ):
            batch_op.drop_column(column)
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.drop_column("next_attempt_at")
        batch_op.drop_column("last_attempt_at")
