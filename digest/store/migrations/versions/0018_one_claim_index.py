"""one index on a delivery's edition and status: ix_deliveries_claim (edition_id, status, id) serves
every lookup ix_deliveries_edition_status (edition_id, status) served, and its order serves a probe
from a row on. With both, PostgreSQL's planner took the shorter one for "any row to send after this
one", read every entry of the status (a million-row edition's, and the dead entries its sent rows
left) and filtered them by id: each batch's look cost more the further a send had gone (2 billion
index entries read for a million recipients). One index fewer also means one entry fewer written
for each of a row's updates.

Revision ID: 0018
Revises: 0017
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0018"
down_revision: str | Sequence[str] | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("deliveries") as batch:
        batch.drop_index("ix_deliveries_edition_status")


def downgrade() -> None:
    with op.batch_alter_table("deliveries") as batch:
        batch.create_index("ix_deliveries_edition_status", ["edition_id", "status"], unique=False)
