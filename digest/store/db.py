"""Engine set-up and migrations. SQLite gets WAL and foreign keys; PostgreSQL is used as it is."""

from __future__ import annotations

import fcntl
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Connection,
    Engine,
    Table,
    create_engine,
    event,
    func,
    literal,
    select,
    text,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.pool import ConnectionPoolEntry

from digest.errors import Unavailable

MIGRATIONS = Path(__file__).with_name("migrations")


def _sqlite_pragmas(dbapi_conn: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


MIGRATION_LOCK = 0x6469676573  # "diges": the PostgreSQL advisory lock that serializes migrations


@contextmanager
def _migration_lock(engine: Engine) -> Iterator[None]:
    """One process migrates at a time: several `digest serve` may start together on a fresh database."""
    url = engine.url
    if url.get_backend_name() == "postgresql":
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": MIGRATION_LOCK})
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": MIGRATION_LOCK})
                conn.commit()
    elif url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        with open(f"{url.database}.migrate-lock", "a") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)
    else:
        yield


def refresh_statistics(engine: Engine) -> None:
    """Tell SQLite's query planner how large the tables have grown, after work that adds many rows
    (an ingest run): without statistics it reads every article of a source to find one week's.
    Cheap when little changed; PostgreSQL keeps its own (autovacuum)."""
    if engine.dialect.name != "sqlite":
        return
    with engine.connect() as conn:
        # every table, when it grew or shrank a lot since the last look (a sampled estimate, with
        # analysis_limit, misjudges how many articles a source has: it must be the real count)
        try:
            conn.exec_driver_sql("PRAGMA optimize=0x10002")
            conn.commit()
        except OperationalError as exc:
            # Its analysis reads, then writes: when another process wrote in between, SQLite answers
            # "database is locked" at once, without waiting (seen with two runs of one slot). The
            # statistics are advice: the next run refreshes them.
            if getattr(exc.orig, "sqlite_errorcode", 0) & 0xFF != sqlite3.SQLITE_BUSY:
                raise


def upgrade(engine: Engine) -> bool:
    """Bring the schema to the newest revision. Returns True when anything was applied."""
    cfg = _alembic_config()
    head = ScriptDirectory.from_config(cfg).get_current_head()
    with engine.connect() as conn:
        if MigrationContext.configure(conn).get_current_revision() == head:
            return False
    with _migration_lock(engine), engine.connect() as conn, _foreign_keys_off(conn):
        with conn.begin():
            if MigrationContext.configure(conn).get_current_revision() == head:
                return False  # another process migrated while we waited
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
            _check_foreign_keys(conn)
    return True


@contextmanager
def _foreign_keys_off(conn: Connection) -> Iterator[None]:
    """SQLite rebuilds a table (copy, drop, rename) to change it; with foreign keys on, dropping the
    old copy would cascade into the rows that point at it. SQLite's own advice: turn them off for
    the change (it can only be done outside a transaction), check them after, turn them back on."""
    if conn.dialect.name != "sqlite":
        yield
        return
    conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
    conn.commit()
    try:
        yield
    finally:
        conn.exec_driver_sql("PRAGMA foreign_keys=ON")
        conn.commit()


def _check_foreign_keys(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":
        broken = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
        if broken:
            raise RuntimeError(f"the migration left rows whose foreign key points nowhere: {broken[:5]}")


def reachable(engine: Engine) -> Engine:
    """The engine, once a connection to it works; else Unavailable naming the URL (never its password)."""
    try:
        with engine.connect():
            pass
    except (OperationalError, InterfaceError) as exc:
        engine.dispose()
        shown = engine.url.render_as_string(hide_password=True)
        reason = str(exc.orig or exc).strip().splitlines()[0]
        raise Unavailable(f"database_url: cannot connect to {shown} ({reason})") from None
    return engine


def open_store(url: str) -> Engine:
    """An engine on an up-to-date schema: migrations are applied on start."""
    engine = reachable(make_engine(url))
    upgrade(engine)
    return engine


def insert_new(conn: Connection, table: Table, values: dict[str, Any]) -> bool:
    """Insert the row unless one with the same key is there already; True when this call inserted it
    (insert_missing of one row)."""
    return bool(insert_missing(conn, table, [values], literal(1)))


def insert_missing(
    conn: Connection, table: Table, rows: Sequence[dict[str, Any]], returning: ColumnElement[Any]
) -> list[Any]:
    """Insert the rows whose key is not there yet (INSERT ... ON CONFLICT DO NOTHING, on SQLite and
    PostgreSQL) in one statement; returns `returning` (a column of the table, or a literal) of each
    row this call inserted, through RETURNING (PostgreSQL, SQLite >= 3.35). The rows share their
    keys. On PostgreSQL the rows go as one array a column (INSERT ... SELECT FROM unnest(...)): a
    few parameters (JSON columns are not for it), where a VALUES list of a thousand rows costs psycopg more to convert than the
    statement costs to run; on SQLite SQLAlchemy's multi-row VALUES ("insertmanyvalues").

    Of two transactions inserting the same key at once, the second waits for the first and inserts
    nothing: no error to catch, and no savepoint (which SQLite's driver would turn into a commit of
    its own). Give the rows in one order (by key) so that two such transactions on PostgreSQL
    cannot each wait for a key the other took."""
    if not rows:
        return []
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    if len(rows) == 1:  # rowcount is not reliable here (psycopg: -1): RETURNING says what was inserted
        one = dialect.insert(table).values(**rows[0]).on_conflict_do_nothing().returning(returning)
        return list(conn.execute(one).scalars())
    if dialect is postgresql:
        names = list(rows[0])
        arrays = [literal([row[name] for row in rows], ARRAY(table.c[name].type)) for name in names]
        source = func.unnest(*arrays).table_valued(*names).render_derived()
        statement = (
            postgresql.insert(table)
            .from_select(names, select(*source.c))
            .on_conflict_do_nothing()
            .returning(returning)
        )
        return list(conn.execute(statement).scalars())
    statement = sqlite.insert(table).on_conflict_do_nothing().returning(returning)
    return list(conn.execute(statement, list(rows)).scalars())
