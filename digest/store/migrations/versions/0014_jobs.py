"""jobs: the admin console's background work (imports, bulk actions), its progress and its report;
the JSON API's answers by Idempotency-Key, shared by every serving process; an index to page
through an edition's provider events in time order

Revision ID: 0014
Revises: 0013
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | Sequence[str] | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MOMENT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "jobs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("params", sa.JSON, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("done", sa.Integer, nullable=False),
        sa.Column("total", sa.Integer),
        sa.Column("summary", sa.JSON),
        sa.Column("error", sa.Text),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("actor", sa.String(400), nullable=False),
        sa.Column("user_id", sa.Integer),
        sa.Column("claimed_by", sa.String(200)),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.Column("started_at", MOMENT),
        sa.Column("heartbeat_at", MOMENT),
        sa.Column("finished_at", MOMENT),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_jobs_status", "jobs", ["status", "id"])
    op.create_index("ix_jobs_kind", "jobs", ["kind", "id"])
    op.create_table(
        "api_answers",
        sa.Column("token_id", sa.Integer, sa.ForeignKey("api_tokens.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("status", sa.Integer),
        sa.Column("answer", sa.JSON),
        sa.Column("created_at", MOMENT, nullable=False),
    )
    op.create_index("ix_api_answers_created", "api_answers", ["created_at"])
    # the JSON API lists an edition's provider events in the order they happened, by keyset
    op.create_index("ix_delivery_events_edition_at", "delivery_events", ["edition_id", "at", "event_id"])


def downgrade() -> None:
    op.drop_index("ix_delivery_events_edition_at", "delivery_events")
    op.drop_table("api_answers")
    op.drop_table("jobs")
