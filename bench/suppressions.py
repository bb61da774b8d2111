"""The admin console's suppressions and bounces at scale (issue 14): the real app on 127.0.0.1, signed
in as an admin, over a suppression list of 200,000 addresses and 1,000,000 provider events, a tenth
of them bounces, drops and complaints.

    .venv/bin/python bench/suppressions.py [--suppressions 200000] [--events 1000000] [--rounds 20] [--database URL]

Each figure is printed against its target (the console's: <= 150 ms at the 95th percentile):
  suppressions   GET /admin/suppressions: the first page, of one reason, an address found, and
                 the pages after by their "Older" link (keyset on the id).
  bounces        GET /admin/bounces: the first page, of one kind, of one day, and the pages after
                 (keyset on (event, at, event_id), one index range per kind).

SQLite by default; `--database` takes a PostgreSQL URL (its tables are dropped first).
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import lxml.html
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from digest.domain import Edition  # noqa: E402
from digest.store.db import refresh_statistics  # noqa: E402
from digest.store.editions import insert_edition  # noqa: E402
from subscribers import tables as t  # noqa: E402
from subscribers.addresses import address_hash  # noqa: E402
from tests.web.newsroom import open_newsroom  # noqa: E402

_spec = importlib.util.spec_from_file_location("bench_admin", ROOT / "bench" / "admin.py")
admin = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
_spec.loader.exec_module(admin)  # type: ignore[union-attr]
CHUNK = 50_000
TARGET_MS = 150.0
KINDS = ("delivered",) * 21 + ("opened",) * 6 + ("bounced", "dropped", "complained")  # a tenth are problems


def fill(engine, suppressions: int, events: int) -> float:  # noqa: ANN001
    started = time.perf_counter()
    stamp = t.suppressions.c.created_at.type.dialect_impl(engine.dialect).bind_processor(engine.dialect)

    def moment(at: datetime) -> object:
        return stamp(at) if stamp else at

    origin = datetime.now(UTC) - timedelta(days=365)
    reasons = ("bounce", "bounce", "complaint", "manual", "erased")
    for start in range(0, suppressions, CHUNK):
        rows = []
        for i in range(start, min(start + CHUNK, suppressions)):
            email = f"person{i}@example.org"
            reason = reasons[i % len(reasons)]
            known = None if reason == "erased" else email
            rows.append((address_hash(email), reason, moment(origin + timedelta(seconds=i * 60)), known,
                         "a note" if reason == "manual" else None, "sendgrid" if reason != "manual" else "Admin"))  # fmt: skip
        with engine.begin() as conn:
            admin._bulk(
                conn,
                "suppressions",
                ("email_hash", "reason", "created_at", "email", "note", "added_by"),
                rows,
            )
    with engine.begin() as conn:
        edition_id = insert_edition(conn, Edition(list_id="world", subject="bench", items=[]))
    for start in range(0, events, CHUNK):
        rows = []
        for i in range(start, min(start + CHUNK, events)):
            kind = KINDS[(i * 7) % len(KINDS)]
            reason = "550 5.1.1 no such user" if kind != "delivered" and kind != "opened" else None
            rows.append((f"ev-{i:08d}", "sendgrid", kind, edition_id, None, reason,
                         moment(origin + timedelta(seconds=i * 30))))  # fmt: skip
        with engine.begin() as conn:
            admin._bulk(conn, "delivery_events", ("event_id", "provider", "event", "edition_id", "delivery_id",
                                                  "reason", "at"), rows)  # fmt: skip
    refresh_statistics(engine)
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("ANALYZE")
    return time.perf_counter() - started


def walk(client: httpx.Client, path: str, rounds: int) -> list[float]:
    """The page and the pages after it by their "Older" link, `rounds` loads in all, timed."""
    took: list[float] = []
    link: str | None = path
    while len(took) < rounds:
        started = time.perf_counter()
        page = client.get(link or path)
        took.append((time.perf_counter() - started) * 1000)
        assert page.status_code == 200, (link, page.status_code, page.text[-500:])
        found = lxml.html.document_fromstring(page.text).xpath('//a[@rel="next"]/@href')
        link = found[0] if found else None
    return took


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--suppressions", type=int, default=200_000)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--database", help="a PostgreSQL URL (default: SQLite in a temporary folder)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        instance = Path(folder)
        for name in ("samples", "templates"):
            shutil.copytree(ROOT / name, instance / name)
        data = yaml.safe_load((ROOT / "config.yaml").read_text())
        if options.database:
            data["database_url"] = options.database
            admin._drop(options.database)
        (instance / "config.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
        room, server = open_newsroom(instance)
        print(
            f"filling ({room.engine.dialect.name}): {options.suppressions:,} suppressions, {options.events:,} events"
        )
        print(f"filled in {fill(room.engine, options.suppressions, options.events):.0f} s")
        token = room.tokens["admin"][0]
        day = (datetime.now(UTC) - timedelta(days=200)).date().isoformat()
        pages = {
            "suppressions, newest": "/admin/suppressions",
            "suppressions, reason manual": "/admin/suppressions?reason=manual",
            "suppressions, an address": f"/admin/suppressions?address=person{options.suppressions // 2}@example.org",
            "bounces, every kind": "/admin/bounces",
            "bounces, complained": "/admin/bounces?kind=complained",
            "bounces, one day": f"/admin/bounces?from={day}&to={day}",
        }
        with server, httpx.Client(base_url=room.url, cookies={"digest_session": token}, timeout=60) as client:
            client.get("/admin/suppressions")  # warm
            for what, path in pages.items():
                took = walk(client, path, options.rounds)
                p95 = admin.p95(took)
                print(
                    f"{what:32} p95 {p95:6.1f} ms  (target <= {TARGET_MS:.0f})  {'ok' if p95 <= TARGET_MS else 'OVER'}"
                )
        room.engine.dispose()


if __name__ == "__main__":
    main()
