"""one lease table for the scheduler and the sends; edition items keep their caption and lead image

Revision ID: 0008
Revises: 0007
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

sends = sa.table(
    "edition_sends",
    sa.column("edition_id", sa.Integer()),
    sa.column("owner", sa.String()),
    sa.column("lease_until", sa.DateTime(timezone=True)),
)
leases = sa.table(
    "leases",
    sa.column("name", sa.String()),
    sa.column("holder", sa.String()),
    sa.column("expires_at", sa.DateTime(timezone=True)),
)


def upgrade() -> None:
    # A send's lease moves to `leases` as "send:<edition id>", so a send held by a live process
    # during the upgrade stays held by it.
    conn = op.get_bind()
    held = conn.execute(
        sa.select(sends.c.edition_id, sends.c.owner, sends.c.lease_until).where(
            sends.c.owner.is_not(None), sends.c.lease_until.is_not(None)
        )
    ).all()
    if held:
        conn.execute(
            sa.insert(leases),
            [
                {"name": f"send:{row.edition_id}", "holder": row.owner, "expires_at": row.lease_until}
                for row in held
            ],
        )
    with op.batch_alter_table("edition_sends", schema=None) as batch_op:
        batch_op.drop_column("owner")
        batch_op.drop_column("lease_until")
    with op.batch_alter_table("edition_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("caption", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("image_url", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("image_alt", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("image_width", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("image_height", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("edition_items", schema=None) as batch_op:
        for column in ("image_height", "image_width", "image_alt", "image_url", "caption"):
            batch_op.drop_column(column)
    with op.batch_alter_table("edition_sends", schema=None) as batch_op:
        batch_op.add_column(sa.Column("owner", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True))
    conn = op.get_bind()
    conn.execute(sa.delete(leases).where(leases.c.name.like("send:%")))
