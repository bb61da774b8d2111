"""ids never reused, links bound to their person: AUTOINCREMENT on SQLite, a token nonce per subscriber

SQLite handed a deleted row's id to the next row (rowid = max + 1), so an erased subscriber's
links acted on whoever came next. The tables whose ids leave the database are rebuilt with
AUTOINCREMENT, every row kept as it was (db.upgrade turns foreign keys off on SQLite for this:
rebuilding a table must not cascade into the rows that point at it). PostgreSQL's sequences never
reuse an id; there only the new column and index are added.

subscribers.token_nonce stays NULL for the subscribers found here: the links already mailed to them
carry no nonce and keep working (see subscribers.service.token_holder).

Revision ID: 0006
Revises: 0005
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REBUILT = ("subscribers", "articles", "editions", "deliveries")


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in REBUILT:
        with op.batch_alter_table(
            table, recreate="always" if sqlite else "auto", table_kwargs={"sqlite_autoincrement": True}
        ) as batch_op:
            if table == "subscribers":
                batch_op.add_column(sa.Column("token_nonce", sa.String(length=32), nullable=True))
            if table == "deliveries":
                batch_op.create_index("ix_deliveries_subscriber", ["subscriber_id"], unique=False)


def downgrade() -> None:
    # AUTOINCREMENT stays: handing ids out again is wrong at any revision
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.drop_index("ix_deliveries_subscriber")
    with op.batch_alter_table("subscribers", schema=None) as batch_op:
        batch_op.drop_column("token_nonce")
