"""edition alerts: an edition whose complaint or bounce rate went over its limit was mailed to its
list's publishers, once per edition and kind (digest.deliver.alerts).

Revision ID: 0020
Revises: 0019
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | Sequence[str] | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MOMENT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "edition_alerts",
        sa.Column("edition_id", sa.Integer(), sa.ForeignKey("editions.id", ondelete="CASCADE"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("rate", sa.Float(), nullable=False),
        sa.Column("mailed_at", MOMENT, nullable=False),
        sa.PrimaryKeyConstraint("edition_id", "kind"),
    )


def downgrade() -> None:
    op.drop_table("edition_alerts")
