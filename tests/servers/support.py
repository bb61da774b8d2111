"""Shared set-up for the delivery tests and the bench: a store with a list, N subscribers, an edition."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import Engine, create_engine, insert, select, text
from sqlalchemy.engine import make_url

from digest.config import DeliverySettings, ListSettings, Settings
from digest.domain import Brief, Edition, Quote
from digest.links import Links
from digest.lists import sync_lists
from digest.store.editions import insert_edition
from subscribers import tables as sub
from subscribers.addresses import identity
from subscribers.tokens import Tokens
from tests import ROOT

LIST_ID = "world"


@contextmanager
def server_process(module: str, *args: str) -> Iterator[tuple[int, subprocess.Popen[str]]]:
    """A loopback server of tests.servers (`module`) in a process of its own, as the benches run
    them: (its port, the process) once it says it is ready; terminated on the way out."""
    from tests.servers.smtp import free_port

    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", module, "--port", str(port), *args], cwd=ROOT,
                            stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert proc.stdout is not None and proc.stdout.readline().startswith("ready")
        yield port, proc
    finally:
        proc.terminate()
        proc.wait(10)


def make_settings(**delivery) -> Settings:
    return Settings(
        public_url="https://digest.example.org",
        templates=str(ROOT / "templates"),
        lists=[
            ListSettings(
                id=LIST_ID,
                name="The World This Week",
                from_address="digest@example.org",
                from_name="Digest Newsroom",
                reply_to="editors@example.org",
                postal_address="1 Example Street, Paris",
            )
        ],
        delivery=DeliverySettings(**delivery),
        base_dir=ROOT,
    )


def make_links() -> Links:
    return Links("https://digest.example.org", Tokens("test-signing-key"))


def address(i: int) -> str:
    return f"reader{i:06d}@example.net"


def add_subscribers(engine: Engine, n: int, start: int = 0, status: str = "confirmed") -> None:
    """n confirmed members, inserted in bulk (the subscriber service's own checks are tested elsewhere)."""
    sync_lists(engine, make_settings())
    at = datetime.now(UTC)
    with engine.begin() as conn:
        for lo in range(start, start + n, 5000):
            keys = [identity(address(i)) for i in range(lo, min(lo + 5000, start + n))]
            conn.execute(
                insert(sub.subscribers),
                [
                    {"email": k, "email_key": k, "name": f"Reader {k[6:12]}", "attributes": {}, "created_at": at}
                    for k in keys
                ],
            )
            ids = conn.execute(select(sub.subscribers.c.id).where(sub.subscribers.c.email_key.in_(keys))).scalars()
            conn.execute(
                insert(sub.memberships),
                [
                    {"subscriber_id": i, "list_id": LIST_ID, "status": status, "status_changed_at": at, "created_at": at}
                    for i in ids
                ],
            )


def add_edition(engine: Engine, settings: Settings) -> int:
    sync_lists(engine, settings)
    edition = Edition(
        list_id=LIST_ID,
        subject="The week: rivers, rockets & a vote",
        intro="Three stories worth your time.",
        items=[
            Brief(
                title=f"Story {i}",
                lede=f"The lede of story {i}, cut to the word budget <with> some & characters.",
                quotes=[Quote(f"A quotation from story {i}", "A. Speaker")],
                url=f"https://news.example.org/{i}",
                source="newsroom",
            )
            for i in range(1, 4)
        ],
        status="approved",
    )
    with engine.begin() as conn:
        return insert_edition(conn, edition)


def add_members(engine: Engine, emails: list[str], list_id: str = LIST_ID) -> list[int]:
    """Confirmed members with these addresses, added the way the subscriber service adds them."""
    from subscribers.models import Subscriber
    from subscribers.service import set_status, upsert_subscriber

    sync_lists(engine, make_settings())
    ids = []
    with engine.begin() as conn:
        for email in emails:
            sid, _ = upsert_subscriber(conn, Subscriber(email, name=None))
            set_status(conn, sid, list_id, "confirmed", method="admin", wording="test")
            ids.append(sid)
    return ids


@contextmanager
def postgres_schema(base: str, name: str) -> Iterator[str]:
    """The URL of a fresh schema `name` in the database `base` names (the database made when it is
    missing), dropped afterwards: what a bench runs on."""
    url = make_url(base)
    server = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :d"), {"d": url.database}).first():
            conn.execute(text(f'CREATE DATABASE "{url.database}"'))
    server.dispose()
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
        conn.execute(text(f'CREATE SCHEMA "{name}"'))
    try:
        yield f"{base}?options=-csearch_path%3D{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
        admin.dispose()
