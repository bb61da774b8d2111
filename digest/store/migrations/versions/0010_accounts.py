"""accounts: the newsroom's users, their sessions, failed sign-ins and the audit log

Revision ID: 0010
Revises: 0009
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MOMENT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("email_key", sa.String(320), nullable=False, unique=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("password_hash", sa.Text()),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("lists", sa.JSON()),
        sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("totp_secret", sa.Text()),
        sa.Column("totp_enabled_at", MOMENT),
        sa.Column("totp_last_step", sa.Integer()),
        sa.Column("totp_required", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("recovery_codes", sa.JSON()),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.Column("password_changed_at", MOMENT),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "sessions",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.Column("last_seen_at", MOMENT, nullable=False),
        sa.Column("expires_at", MOMENT, nullable=False),
        sa.Column("second_factor_done", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("client", sa.String(64)),
    )
    op.create_index("ix_sessions_user", "sessions", ["user_id"])
    op.create_table(
        "signin_failures",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("at", MOMENT, nullable=False),
    )
    op.create_index("ix_signin_failures_key_at", "signin_failures", ["key", "at"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", MOMENT, nullable=False),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="SET NULL")),
        sa.Column("actor", sa.String(400), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("object_type", sa.String(32)),
        sa.Column("object_id", sa.String(64)),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("client", sa.String(64)),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_audit_at", "audit_log", ["at"])
    op.create_index("ix_audit_user", "audit_log", ["user_id"])
    op.create_index("ix_audit_object", "audit_log", ["object_type", "object_id"])


def downgrade() -> None:
    for table in ("audit_log", "signin_failures", "sessions", "users"):
        op.drop_table(table)
