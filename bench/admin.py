"""The admin console's subscribers at scale (issue 14): the real app on 127.0.0.1, signed in as an
admin, over 1,000,000 subscribers in 20 lists.

    .venv/bin/python bench/admin.py [--rows 1000000] [--lists 20] [--rounds 20] [--database URL]
    .venv/bin/python bench/admin.py --only import [--import-rows 1000000] [--database URL]

Each figure is printed against its target:
  table       GET /admin/subscribers: the first page, and the pages after it by their "next" link.
              Target: <= 150 ms at the 95th percentile.
  searches    each search of the table (address prefix, name, status, list, list and status,
              language, time zone, a month, combinations), its first page and its second.
              Target: <= 150 ms at the 95th percentile, each.
  subscriber  GET /admin/subscribers/ID of members who were sent three editions, with events.
              Target: <= 100 ms at the 95th percentile.
  lists       GET /admin/lists and GET /admin/lists/list-00 (its members by status, its growth by
              week, a segment with its size), once the counts are made. Target: <= 150 ms at the 95th
              percentile; the growth's grouped query and a segment's first count are timed alone.
              (`--lists 1` puts every subscriber on one list: the list page at 1,000,000 members.)
  export      every subscriber as CSV: `digest subscribers export` in a process of its own (its
              time and peak RSS), and the console's streamed download (its time).
              Target: <= 30 s and <= 300 MB.
  bulk        a bulk action on a search of about 100,000 subscribers (a time zone's), reviewed and
              started in the console, timed from the start to the job's end: suppress, and
              unsubscribe from every list. Target: <= 30 s each.
  import      a generated CSV of --import-rows rows (1,000,000) POSTed by a client in a process of its
              own to the console's upload route (/admin/imports, multipart, streamed to disk), then
              mapped, started and watched to the end as a browser does: the seconds from the first
              byte sent to the job's end, and the server process's peak RSS meanwhile (sampled).
              Target: <= 90 s and <= 300 MB. `--only import` measures it alone (no 1M fill).

The rows are written straight into the tables, a transaction per 50,000 subscribers (executemany
on SQLite, COPY on PostgreSQL): each subscriber is on one list, three in ten on a second, with a
consent event per membership; 1,000 at a time share their creation time, as an import's chunk
does. SQLite by default; `--database` takes a PostgreSQL URL (its tables are dropped first).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from digest.audience import console, lists, segments  # noqa: E402
from digest.domain import Actor, Edition, EditionStatus  # noqa: E402
from digest.store.db import refresh_statistics  # noqa: E402
from digest.store.editions import insert_edition  # noqa: E402
from subscribers import tables as t  # noqa: E402
from subscribers.models import MailingList  # noqa: E402
from subscribers.search import name_key  # noqa: E402
from subscribers.service import sync_lists  # noqa: E402
from tests.web.newsroom import SECRET, open_newsroom  # noqa: E402

FIRST = ("anna ben carla dario emma felix greta hugo ines jonas karin luca marta nils olga paul quinn rosa "
         "sven tina ugo vera willem xenia yann zoe").split()  # fmt: skip
LAST = ("müller martin rossi garcia smith dubois schmidt bianchi lopez brown petit weber russo moreau fischer "
        "romano wagner leroy becker colombo").split()  # fmt: skip
DOMAINS = ("example.org", "mail.example.com", "post.example.net", "web.example.de", "correo.example.es")
ZONES = ("Europe/Paris", "Europe/Berlin", "Europe/London", "Europe/Rome", "Europe/Madrid", "America/New_York",
         "America/Chicago", "Asia/Tokyo", "Australia/Sydney", "Africa/Lagos")  # fmt: skip
LANGUAGES = ("en", "fr", "de", "es", "it")
STATUSES = ("confirmed",) * 85 + ("pending",) * 5 + ("unsubscribed",) * 7 + ("bounced",) * 2 + ("complained",)
CHUNK = 50_000


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, int(len(ordered) * 0.95) - 1)]


def _bulk(conn, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:  # noqa: ANN001
    if conn.dialect.name == "postgresql":
        raw = conn.connection.driver_connection
        with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        marks = ", ".join("?" * len(columns))
        conn.exec_driver_sql(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)


def fill(engine, rows: int, lists: int) -> tuple[list[int], float]:  # noqa: ANN001 (the app's engine)
    """`rows` subscribers over `lists` lists; three sent editions of the first list, whose members'
    pages are measured. Returns (those members' ids, the seconds it took)."""
    random.seed(14)
    started = time.perf_counter()
    ids = [f"list-{n:02}" for n in range(lists)]
    with engine.begin() as conn:
        sync_lists(conn, [MailingList(id=i, name=f"List {i[-2:]}", from_address=f"{i}@example.org", from_name=i)
                          for i in ids])  # fmt: skip
        first = (conn.exec_driver_sql("SELECT max(id) FROM subscribers").scalar() or 0) + 1
    origin = datetime.now(UTC) - timedelta(days=730)
    step = timedelta(days=730) / rows
    sqlite = engine.dialect.name == "sqlite"
    stamp = t.subscribers.c.created_at.type.dialect_impl(engine.dialect).bind_processor(engine.dialect)

    def moment(at: datetime) -> object:  # as the store writes a time (on SQLite, text that sorts)
        return stamp(at) if stamp else at

    watched: list[int] = []
    for start in range(0, rows, CHUNK):
        people, members, consents = [], [], []
        for i in range(start, min(start + CHUNK, rows)):
            sid = first + i
            given, family = random.choice(FIRST), random.choice(LAST)
            email = f"{given}.{family.replace('ü', 'u')}{i}@{DOMAINS[i % len(DOMAINS)]}"
            name = f"{given.title()} {family.title()}"
            at = origin + step * (i - i % 1000)  # 1,000 at a time share a time, as an import's chunk does
            people.append((sid, email, email.casefold(), name, name_key(name), random.choice(LANGUAGES),
                           random.choice(ZONES), "{}", moment(at), os.urandom(8).hex()))  # fmt: skip
            on = [i % lists] + ([(i * 7 + 3) % lists] if i % 10 < 3 and lists > 1 else [])
            for n, lst in enumerate(dict.fromkeys(on)):
                joined = moment(at + timedelta(days=n * 30))
                status = random.choice(STATUSES)
                members.append((sid, ids[lst], status, joined, joined))
                consents.append((sid, ids[lst], status, "import", "bench.csv", "bench", joined))
            if i % lists == 0 and len(watched) < 2000:
                watched.append(sid)
        with engine.begin() as conn:
            _bulk(conn, "subscribers", ("id", "email", "email_key", "name", "name_key", "language", "timezone",
                                        "attributes", "created_at", "token_nonce"), people)  # fmt: skip
            _bulk(conn, "memberships", ("subscriber_id", "list_id", "status", "status_changed_at", "created_at"), members)
            _bulk(conn, "consent_events", ("subscriber_id", "list_id", "status", "method", "origin", "wording", "at"),
                  consents)  # fmt: skip
        print(f"  {min(start + CHUNK, rows):,} subscribers, {time.perf_counter() - started:.0f} s", flush=True)
    with engine.begin() as conn:
        if not sqlite:
            conn.exec_driver_sql("SELECT setval(pg_get_serial_sequence('subscribers', 'id'), max(id)) FROM subscribers")
        _deliveries(conn, ids[0], watched, moment)
        if not sqlite:
            conn.exec_driver_sql("ANALYZE")  # what autovacuum does after a bulk load, without the wait
    if sqlite:
        refresh_statistics(engine)  # as digest does after each import
    return watched, time.perf_counter() - started


def _deliveries(conn, list_id: str, members: list[int], moment) -> None:  # noqa: ANN001
    """Three sent editions of the list to `members`, each delivery with a delivered event, a third opened."""
    rows, events = [], []
    delivery = (conn.exec_driver_sql("SELECT max(id) FROM deliveries").scalar() or 0) + 1
    for n in range(3):
        at = datetime.now(UTC) - timedelta(days=7 * (3 - n))
        edition = insert_edition(conn, Edition(list_id=list_id, subject=f"Weekly {n + 1}", items=[],
                                               status=EditionStatus.SENT, sent_at=at))  # fmt: skip
        for sid in members:
            rows.append((delivery, edition, sid, f"member{sid}@example.org", "sent", 1, moment(at), False))
            events.append((f"ev-{delivery}-d", "sendgrid", "delivered", edition, delivery, None, moment(at)))
            if sid % 3 == 0:
                events.append((f"ev-{delivery}-o", "sendgrid", "open", edition, delivery, None, moment(at)))
            delivery += 1
    _bulk(conn, "deliveries", ("id", "edition_id", "subscriber_id", "email", "status", "attempts", "updated_at",
                               "interrupted"), rows)  # fmt: skip
    _bulk(conn, "delivery_events", ("event_id", "provider", "event", "edition_id", "delivery_id", "reason", "at"),
          events)  # fmt: skip
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SELECT setval(pg_get_serial_sequence('deliveries', 'id'), max(id)) FROM deliveries")


def _next(html: str) -> str | None:
    import re

    found = re.search(r'<a href="([^"]+)" rel="next">', html)
    return found.group(1).replace("&amp;", "&") if found else None


def _timed(client: httpx.Client, url: str) -> tuple[float, str]:
    started = time.perf_counter()
    answer = client.get(url)
    took = time.perf_counter() - started
    assert answer.status_code == 200, (url, answer.status_code, answer.text[:300])
    return took, answer.text


def _month(rows: int) -> tuple[str, str]:
    middle = datetime.now(UTC) - timedelta(days=365)
    return (middle.date().isoformat(), (middle + timedelta(days=30)).date().isoformat())


SEARCHES = {
    "address prefix 'emma.ro'": "prefix=emma.ro",
    "address prefix 'k' on list-05": "prefix=k&list_id=list-05",
    "name 'greta we'": "name=greta+we",
    "status bounced (any list)": "status=bounced",
    "status complained (any list)": "status=complained",
    "list-07": "list_id=list-07",
    "list-07, complained": "list_id=list-07&status=complained",
    "language it": "language=it",
    "time zone Asia/Tokyo": "timezone=Asia/Tokyo",
    "added in one month": "joined_from={0}&joined_to={1}",
    "list-03, confirmed, de, one month": "list_id=list-03&status=confirmed&language=de&joined_from={0}&joined_to={1}",
    "fr, Europe/Paris, unsubscribed": "language=fr&timezone=Europe/Paris&status=unsubscribed",
}


def measure(room, admin: httpx.Client, watched: list[int], rounds: int, rows: int) -> dict[str, list[float]]:  # noqa: ANN001
    figures: dict[str, list[float]] = {}
    for _ in range(3):
        admin.get("/admin/subscribers")  # warm up: templates compiled, connections open, counts made
    table = []
    for _ in range(rounds):
        took, html = _timed(admin, "/admin/subscribers")
        table.append(took)
        for _ in range(3):  # and the pages after it
            url = _next(html)
            assert url, "the table has no next page"
            took, html = _timed(admin, url)
            table.append(took)
    figures["table (first page and the 3 after it)"] = table
    start, end = _month(rows)
    for label, params in SEARCHES.items():
        samples = []
        for _ in range(rounds):
            took, html = _timed(admin, "/admin/subscribers?" + params.format(start, end))
            samples.append(took)
            url = _next(html)
            if url:
                took, _ = _timed(admin, url)
                samples.append(took)
        figures[f"search: {label}"] = samples
    pages = []
    for sid in random.sample(watched, min(len(watched), rounds * 3)):
        took, html = _timed(admin, f"/admin/subscribers/{sid}")
        assert "Weekly 3" in html, "the subscriber's page does not show their editions"
        pages.append(took)
    figures["subscriber page"] = pages
    return figures


BULK = (("suppress", "Asia/Tokyo"), ("unsubscribe", "Australia/Sydney"))


def bulk_actions(admin: httpx.Client) -> list[tuple[str, int, float]]:
    """Each bulk action of BULK on a time zone's subscribers: (action, subscribers, seconds to the job's end)."""
    done = []
    for action, zone in BULK:
        review = admin.get("/admin/subscribers/bulk", params={"timezone": zone, "action": action})
        assert review.status_code == 200, review.text[-500:]
        csrf = review.text.split('name="csrf" value="')[1].split('"')[0]
        started = time.perf_counter()
        answer = admin.post(f"/admin/subscribers/bulk?timezone={zone}", data={"csrf": csrf, "action": action})
        job = answer.headers["location"]
        while "Done." not in (page := admin.get(job, headers={"HX-Request": "true"}).text):
            assert "Failed" not in page, page
            time.sleep(0.2)
        took = time.perf_counter() - started
        found = int(page.split("Subscribers found</th><td class=\"num\">")[1].split("<")[0].replace(",", ""))
        done.append((action, found, took))
    return done
def measure_lists(room, admin: httpx.Client, rounds: int) -> tuple[dict[str, list[float]], dict[str, float]]:  # noqa: ANN001
    """The lists' pages (p95 samples), and what they count when nothing is kept yet (seconds, once)."""
    aud = room.app.state.site.audience
    members = sum(console.counts(aud).lists.get("list-00", {}).values())
    alone: dict[str, float] = {}
    started = time.perf_counter()
    lists.weeks(aud, "list-00")
    alone[f"growth of list-00 ({members:,} members), its 12 weeks counted (one statement of index range counts)"] = time.perf_counter() - started
    made = segments.save(aud, "French readers", console.query_of(list_id="list-00", language="fr"), Actor.named("bench"))
    started = time.perf_counter()
    sized = segments.size(aud, made)
    alone[f"size of a segment of list-00 (French: {sized.size:,}{'+' if sized.more else ''} confirmed), counted once a minute"] = (
        time.perf_counter() - started
    )
    samples = []
    for _ in range(3):
        admin.get("/admin/lists/list-00")  # warm up
    for _ in range(rounds):
        for url in ("/admin/lists", "/admin/lists/list-00"):
            took, html = _timed(admin, url)
            samples.append(took)
    assert "French readers" in html, "the list's page does not show its segment"
    return {"lists: the lists page and list-00's page": samples}, alone


def export_cli(instance: Path, out: Path) -> tuple[float, float, int]:
    """`digest subscribers export` of everyone, in a process of its own: (seconds, peak RSS in MB, rows)."""
    program = Path(sys.executable).with_name("digest")
    code = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
            "p = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
            "took = time.perf_counter() - t; "
            "print(p.returncode, took, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); "
            "sys.stderr.write(p.stderr)")  # fmt: skip
    done = subprocess.run([sys.executable, "-c", code, str(program), "--config", str(instance / "config.yaml"),
                           "subscribers", "export", "-o", str(out)],
                          capture_output=True, text=True, env={**os.environ, "DIGEST_SECRET_KEY": SECRET})  # fmt: skip
    status, took, rss = done.stdout.split()
    assert status == "0", done.stderr
    with out.open("rb") as fh:
        lines = sum(block.count(b"\n") for block in iter(lambda: fh.read(1 << 20), b""))
    return float(took), int(rss) / 1024, lines - 1


def export_http(room) -> tuple[float, int]:  # noqa: ANN001
    """The console's download of everyone, fetched by a client in a process of its own (as a
    browser is; in this one it would share the server's interpreter): (seconds, rows)."""
    code = ("import httpx, sys, time; t = time.perf_counter(); lines = 0\n"
            "with httpx.stream('GET', sys.argv[1] + '/admin/subscribers/export.csv', cookies={'digest_session': sys.argv[2]},"
            " timeout=600) as answer:\n"
            "    assert answer.status_code == 200, answer.status_code\n"
            "    for chunk in answer.iter_bytes(1 << 20): lines += chunk.count(b'\\n')\n"
            "print(time.perf_counter() - t, lines)")  # fmt: skip
    done = subprocess.run([sys.executable, "-c", code, room.url, room.tokens["admin"][0]], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    took, lines = done.stdout.split()
    return float(took), int(lines) - 1


def write_import_csv(path: Path, rows: int) -> None:
    """A spreadsheet's export: new addresses, names, languages, time zones and a company column."""
    random.seed(90)
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("email,name,language,timezone,company\n")
        for start in range(0, rows, CHUNK):
            fh.write("".join(
                f"new.{i}@{DOMAINS[i % len(DOMAINS)]},{random.choice(FIRST).title()} {random.choice(LAST).title()},"
                f"{LANGUAGES[i % len(LANGUAGES)]},{ZONES[i % len(ZONES)]},Company {i % 977}\n"
                for i in range(start, min(start + CHUNK, rows))
            ))  # fmt: skip


def upload_client(url: str, token: str, csrf: str, csv_path: str, list_id: str) -> None:
    """What a browser does, in a process of its own: upload, map (the defaults), start, watch.
    Prints the seconds of the upload and of the whole, and the moment (time.time()) the upload ended."""
    started = time.perf_counter()
    with (
        httpx.Client(base_url=url, cookies={"digest_session": token}, timeout=600) as browser,
        open(csv_path, "rb") as fh,
    ):
        sent = browser.post("/admin/imports", data={"csrf": csrf, "list_id": list_id},
                            files={"file": ("bench.csv", fh, "text/csv")})  # fmt: skip
        assert sent.status_code == 303, (sent.status_code, sent.text[-500:])
        uploaded, upload_end = time.perf_counter() - started, time.time()
        mapping = sent.headers["location"]
        assert browser.get(mapping).status_code == 200  # the page an admin sees: the mapping, the first rows
        job = browser.post(mapping, data={"csrf": csrf, "list_id": list_id, "consent": "bench"})  # the defaults
        assert job.status_code == 303, (job.status_code, job.text[-500:])
        watched = job.headers["location"]  # the job's page: its fragment, as htmx polls it
        while "Done." not in (html := browser.get(watched, headers={"HX-Request": "true"}).text):
            assert "Failed" not in html, html
            time.sleep(0.5)
    print(uploaded, time.perf_counter() - started, upload_end)


def _rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1024**2


def measure_import(room, instance: Path, rows: int, list_id: str) -> tuple[float, float, float, float, float, float]:  # noqa: ANN001
    """(upload seconds, seconds to the job's end, the server's CPU seconds meanwhile, its RSS before,
    its peak RSS during the upload and its peak RSS to the job's end, in MB)."""
    import resource
    import threading

    csv_path = instance / "import.csv"
    write_import_csv(csv_path, rows)
    before, samples, running = _rss_mb(), [(time.time(), _rss_mb())], [True]

    def sample() -> None:
        while running[0]:
            samples.append((time.time(), _rss_mb()))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    token, csrf = room.tokens["admin"]
    cpu = resource.getrusage(resource.RUSAGE_SELF)
    done = subprocess.run([sys.executable, __file__, "--upload-client", room.url, token, csrf, str(csv_path), list_id],
                          capture_output=True, text=True)  # fmt: skip
    running[0] = False
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_SELF)
    assert done.returncode == 0, done.stderr[-2000:]
    uploaded, took, upload_end = (float(v) for v in done.stdout.split())
    cpu_took = after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime
    on_upload = max(rss for at, rss in samples if at <= upload_end)
    return uploaded, took, cpu_took, before, on_upload, max(rss for _, rss in samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--lists", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--database", help="a PostgreSQL URL (default: SQLite in a temporary folder)")
    parser.add_argument("--only", choices=["import", "lists"],
                        help="measure these figures alone: the import (on the demo's database) or the lists' pages")
    parser.add_argument("--import-rows", type=int, default=1_000_000)
    parser.add_argument("--upload-client", nargs=5, help=argparse.SUPPRESS)  # the import's browser, run by the bench
    options = parser.parse_args()
    if options.upload_client:
        return upload_client(*options.upload_client)
    with tempfile.TemporaryDirectory() as folder:
        instance = Path(folder)
        for name in ("samples", "templates"):
            shutil.copytree(ROOT / name, instance / name)
        data = yaml.safe_load((ROOT / "config.yaml").read_text())
        if options.database:
            data["database_url"] = options.database
            _drop(options.database)
        (instance / "config.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
        room, server = open_newsroom(instance)
        if options.only == "import":
            with server:
                imported = measure_import(room, instance, options.import_rows, "world")
            room.engine.dispose()
            return _print_import(options.import_rows, *imported)
        print(f"filling the database ({room.engine.dialect.name}): {options.rows:,} subscribers in {options.lists} lists")
        watched, filled = fill(room.engine, options.rows, options.lists)
        print(f"filled in {filled:.0f} s")
        started = time.perf_counter()
        console._counts.clear()
        counted = console.counts(room.app.state.site.audience)  # type: ignore[attr-defined]
        count_took = time.perf_counter() - started
        members = sum(sum(c.values()) for c in counted.lists.values())
        with server, room.browser("admin") as admin:
            figures, alone = measure_lists(room, admin, options.rounds)
            if options.only != "lists":
                figures |= measure(room, admin, watched, options.rounds, options.rows)
                http_took, http_rows = export_http(room)
                bulk = bulk_actions(admin)
                imported = measure_import(room, instance, options.import_rows, "list-00")
        if options.only != "lists":
            cli_took, cli_rss, cli_rows = export_cli(instance, instance / "everyone.csv")
        room.engine.dispose()
    print()
    print(f"counts of {members:,} memberships by list and status, counted once a minute: {count_took * 1000:.0f} ms")
    for label, took in alone.items():
        print(f"{label}: {took * 1000:.0f} ms")
    for label, samples in figures.items():
        target = 100 if label == "subscriber page" else 150
        worst = p95(samples) * 1000
        print(f"{label}, p95: {worst:.0f} ms (target <= {target} ms){'' if worst <= target else '  MISSED'}")
    if options.only == "lists":
        return
    print(f"export of all {cli_rows:,} subscribers, `digest subscribers export`: {cli_took:.1f} s (target <= 30 s), "
          f"peak RSS {cli_rss:.0f} MB (target <= 300 MB)")  # fmt: skip
    print(f"export of all {http_rows:,} subscribers, the console's streamed download: {http_took:.1f} s (target <= 30 s)")
    for action, found, took in bulk:
        print(f"bulk {action} of {found:,} subscribers (a search), to the job's end: {took:.1f} s (target <= 30 s)"
              f"{'' if took <= 30 else '  MISSED'}")  # fmt: skip
    _print_import(options.import_rows, *imported)


def _print_import(rows: int, uploaded: float, took: float, cpu: float, before: float, on_upload: float,
                  peak: float) -> None:  # fmt: skip
    print(f"{rows:,}-row import through the browser's upload route: {took:.1f} s (target <= 90 s; the upload "
          f"{uploaded:.1f} s, {cpu:.0f} s of the server's CPU){'' if took <= 90 else '  MISSED'}, server peak RSS {peak:.0f} MB (target <= 300 MB; "
          f"{before:.0f} MB before, {on_upload:.0f} MB at most during the upload){'' if peak <= 300 else '  MISSED'}")  # fmt: skip


def _drop(url: str) -> None:
    """Empty the database's public schema: the bench's database is its own."""
    from sqlalchemy import create_engine

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP SCHEMA public CASCADE")
        conn.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()


if __name__ == "__main__":
    main()
