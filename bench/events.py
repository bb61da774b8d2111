"""Events bench (issue 17): what readers did, ingested by the real `digest serve`, each figure against
its target.

    .venv/bin/python bench/events.py                            # 1,000,000 events, SQLite and PostgreSQL
    .venv/bin/python bench/events.py --quick                    # 50,000 events, 5,000 clicks
    .venv/bin/python bench/events.py --events 200000 --only sqlite

webhook: `--events` (1,000,000) SendGrid events (delivered, opens, clicks, and one in a thousand a
bounce, a complaint or an unsubscribe) for an edition of `--recipients` deliveries, posted signed
(ECDSA P-256, as SendGrid signs) in posts of 1,000 to POST /webhooks/sendgrid by `--clients` (4)
concurrent clients; a `--repeat` share (10%) of the posts is sent twice at once (two clients post
the same bytes together) and as much again once all are in (SendGrid's retries). Then every event
must be stored once and the answers' `applied` must add up to the events: each applied exactly once.
Printed: events/s, the distinct events over the wall time of all posts, repeats included (target
>= 5,000), for each database.
click: `--clicks` (100,000) requests of the click redirect GET /c/<link token>?r=<reader token>
(digest.deliver.readers) from 200 concurrent keep-alive connections (a browser's User-Agent, the
readers in turn), after 500 asked one at a time (what one redirect costs); the 95th percentile under
200 at once (target <= 5 ms), clicks/s, and the clicks stored once the app has recorded them.

Each database is fresh: SQLite, a file in a temporary folder; PostgreSQL, a schema of its own in the
database of DIGEST_BENCH_POSTGRES_URL (postgresql+psycopg://postgres@127.0.0.1:5432/digest_bench,
created when missing). `digest serve` runs in a process of its own on 127.0.0.1, the clients in
this one. The machine's load is printed first: the figures are only as good as the cores left free.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import queue
import random
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import h11
import httpx
import yaml
from sqlalchemy import func, select, update

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from digest.deliver.backends.sendgrid import PUBLIC_KEY_ENV  # noqa: E402
from digest.domain import Delivery  # noqa: E402
from digest.links import Links, signer  # noqa: E402
from digest.store.db import open_store  # noqa: E402
from digest.store.deliveries import insert_deliveries  # noqa: E402
from digest.store.tables import deliveries, delivery_events, edition_items  # noqa: E402
from subscribers import tables as sub  # noqa: E402
from tests.deliver.test_events import Signer  # noqa: E402
from tests.servers.smtp import free_port  # noqa: E402
from tests.servers.support import add_edition, add_subscribers, make_settings, postgres_schema  # noqa: E402

DIGEST = str(Path(sys.executable).with_name("digest"))
POSTGRES = os.environ.get("DIGEST_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/digest_bench")
SECRET = "events-bench-key"
POST_SIZE = 1000
TARGET_RATE, TARGET_P95_MS, CLICK_CONCURRENCY = 5000, 5.0, 200
ALONE = 500  # clicks asked one at a time first, for the redirect's own cost beside the loaded figure
# what SendGrid posts, by share: mostly deliveries, opens and clicks; one in a thousand changes a member
KINDS = ("delivered",) * 450 + ("open",) * 350 + ("click",) * 199 + ("rare",)
AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
RARE = ({"event": "bounce", "type": "bounce", "reason": "550 5.1.1 no such user"}, {"event": "spamreport"},
        {"event": "unsubscribe"})  # fmt: skip


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


@contextmanager
def fresh_database(kind: str, folder: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'events.db'}"
        return
    with postgres_schema(POSTGRES, "events_bench") as url:
        yield url


def seed(url: str, recipients: int) -> tuple[int, list[tuple[int, str]]]:
    """An edition sent to `recipients` members: (its id, its deliveries' (id, address))."""
    engine = open_store(url)
    add_subscribers(engine, recipients)
    edition_id = add_edition(engine, make_settings())
    with engine.begin() as conn:
        people = conn.execute(select(sub.subscribers.c.id, sub.subscribers.c.email)).all()
        insert_deliveries(conn, edition_id, [Delivery(edition_id, sid, email) for sid, email in people])
        conn.execute(update(deliveries).values(status="sent", attempts=1))
        rows = [(r.id, r.email) for r in conn.execute(select(deliveries.c.id, deliveries.c.email))]
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("ANALYZE")
    engine.dispose()
    return edition_id, rows


@contextmanager
def serving(folder: Path, url: str, public_key: str) -> Iterator[str]:
    """The real `digest serve` on a free loopback port, ready once /healthz answers."""
    settings = {"public_url": "https://digest.example.org", "database_url": url,
                "templates": str(ROOT / "templates"), "lists": [make_settings().lists[0].model_dump(mode="json")]}  # fmt: skip
    path = folder / "config.yaml"
    path.write_text(yaml.safe_dump(settings))
    env = {**os.environ, "DIGEST_CONFIG": str(path), "DIGEST_SECRET_KEY": SECRET, PUBLIC_KEY_ENV: public_key,
           "NO_COLOR": "1"}  # fmt: skip
    port = free_port()
    log = (folder / "serve.log").open("w")
    process = subprocess.Popen([DIGEST, "serve", "--port", str(port), "--no-scheduler"], env=env, stdout=log,
                               stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, (folder / "serve.log").read_text()[-3000:]
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "digest serve did not answer /healthz in 60 s"
            time.sleep(0.2)
        print(f"  digest serve on {base}, pid {process.pid} (for py-spy)", flush=True)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(120)  # it records what its readers' writer still holds
        except subprocess.TimeoutExpired:
            print("  digest serve did not stop within 120 s of SIGTERM: killed")
            process.kill()
            process.wait(10)
        log.close()
        said = [line for line in (folder / "serve.log").read_text().splitlines()
                if "WARNING" in line or "ERROR" in line or "Error" in line]  # fmt: skip
        if said:
            print(f"  digest serve logged {len(said):,} warnings or errors, the first: {said[0][:300]}")


def post_body(number: int, edition_id: int, rows: list[tuple[int, str]]) -> bytes:
    """Post `number`'s 1,000 events, the same bytes each time it is made."""
    pick = random.Random(number)
    events = []
    for n in range(POST_SIZE):
        delivery_id, email = rows[pick.randrange(len(rows))]
        kind = pick.choice(KINDS)
        extra = dict(pick.choice(RARE)) if kind == "rare" else {"event": kind}
        if kind == "click":
            extra["url"] = f"https://news.example.org/{pick.randrange(1, 4)}"
        events.append({"email": email, "sg_event_id": f"ev-{number:06d}-{n:04d}", "timestamp": 1764400000 + n,
                       "sg_message_id": f"m{delivery_id}.filter", "edition_id": str(edition_id),
                       "delivery_id": str(delivery_id), **extra})  # fmt: skip
    return json.dumps(events, separators=(",", ":")).encode()


def bench_webhook(base: str, signer: Signer, edition_id: int, rows: list[tuple[int, str]], events: int,
                  clients: int, repeat: float) -> dict:  # fmt: skip
    posts = events // POST_SIZE
    every = max(1, round(1 / repeat)) if repeat > 0 else 0
    work: queue.Queue[int | None] = queue.Queue()
    # a post to be sent twice at once is queued twice in a row: two clients take it together
    for number in range(posts):
        for _ in range(2 if every and number % every == 0 else 1):
            work.put(number)
    retried = [n for n in range(posts) if every and n % every == every // 2]  # SendGrid's retries, at the end
    applied: list[int] = []
    failures: list[str] = []
    lock = threading.Lock()

    def client() -> None:
        with httpx.Client(base_url=base, timeout=120) as http:
            while (number := work.get()) is not None:
                raw = post_body(number, edition_id, rows)
                answer = http.post("/webhooks/sendgrid", content=raw, headers=signer.headers(raw))
                with lock:
                    if answer.status_code != 200 or answer.json()["received"] != POST_SIZE:
                        failures.append(f"post {number}: {answer.status_code} {answer.text[:200]}")
                    else:
                        applied.append(answer.json()["applied"])

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    done = 0
    while any(t.is_alive() for t in threads):
        if work.empty() and retried:
            for number in retried:
                work.put(number)
            retried = []
        if work.empty():
            for _ in threads:
                work.put(None)
            for t in threads:
                t.join()
            break
        time.sleep(0.5)
        if len(applied) // 50 != done:
            done = len(applied) // 50
            print(f"\r  {len(applied):,} posts answered ({time.perf_counter() - started:.0f} s)", end="", flush=True)
    took = time.perf_counter() - started
    print()
    return {"took": took, "posts": len(applied) + len(failures), "applied": sum(applied), "failures": failures}


def click_paths(url: str, edition_id: int, rows: list[tuple[int, str]], clicks: int) -> list[str]:
    """`clicks` click-redirect paths, /c/<link token>?r=<reader token> as a tracked copy carries them
    (digest.links.Links.click and .reader: the edition's stories, its deliveries in turn)."""
    links = Links("", signer(SECRET))
    engine = open_store(url)
    with engine.connect() as conn:
        items = list(conn.execute(select(edition_items.c.id).where(edition_items.c.edition_id == edition_id)).scalars())
    engine.dispose()
    stories = {item: links.click(edition_id, item) for item in items}
    return [stories[items[n % len(items)]] + links.reader(edition_id, rows[n % len(rows)][0]) for n in range(clicks)]


async def _hammer(base: str, paths: list[str], concurrency: int) -> tuple[list[float], list[int]]:
    """Each path requested once, `concurrency` at a time, each of `concurrency` keep-alive
    connections asking for the next as soon as it has its answer: the latencies (ms), and the
    statuses (0: the connection failed). HTTP/1.1 through h11 (the state machine uvicorn itself
    uses) on asyncio streams: httpx's pool of 200 connections costs more than the server it
    measures (py-spy: the server idle, the client busy)."""
    took: list[float] = []
    codes: list[int] = []
    todo = iter(paths)
    host, port = base.removeprefix("http://").split(":")
    headers = [("Host", f"{host}:{port}"), ("User-Agent", AGENT)]

    async def one() -> None:
        reader, writer = await asyncio.open_connection(host, int(port))
        http = h11.Connection(h11.CLIENT)
        try:
            for path in todo:
                started = time.perf_counter()
                code = 0
                writer.write(http.send(h11.Request(method="GET", target=path, headers=headers))
                             + http.send(h11.EndOfMessage()))  # fmt: skip
                while True:
                    event = http.next_event()
                    if event is h11.NEED_DATA:
                        data = await reader.read(65536)
                        if not data:
                            break
                        http.receive_data(data)
                    elif isinstance(event, h11.Response):
                        code = event.status_code
                    elif isinstance(event, h11.EndOfMessage | h11.ConnectionClosed):
                        break
                took.append((time.perf_counter() - started) * 1000)
                codes.append(code)
                if http.our_state is h11.DONE and http.their_state is h11.DONE:
                    http.start_next_cycle()
                else:  # the server closed it: a new connection for the next
                    writer.close()
                    reader, writer = await asyncio.open_connection(host, int(port))
                    http = h11.Connection(h11.CLIENT)
        finally:
            writer.close()

    await asyncio.gather(*(one() for _ in range(concurrency)))
    return took, codes


def _p95(took: list[float]) -> float:
    ordered = sorted(took)
    return ordered[int(len(ordered) * 0.95)]


def bench_clicks(base: str, url: str, edition_id: int, rows: list[tuple[int, str]], clicks: int) -> dict:
    paths = click_paths(url, edition_id, rows, clicks)
    alone, first = asyncio.run(_hammer(base, paths[:ALONE], 1))  # one at a time: what a redirect costs
    started = time.perf_counter()
    took, codes = asyncio.run(_hammer(base, paths[ALONE:], CLICK_CONCURRENCY))
    wall = time.perf_counter() - started
    return {"p95": _p95(took), "p50": sorted(took)[len(took) // 2], "rate": len(took) / wall,
            "alone_p95": _p95(alone), "redirected": sum(1 for c in first + codes if c in (302, 303, 307)),
            "requests": len(first + codes), "failed": sum(1 for c in first + codes if c == 0)}  # fmt: skip


def stored(url: str) -> dict[str, int]:
    engine = open_store(url)
    with engine.connect() as conn:
        rows = dict(conn.execute(select(delivery_events.c.event, func.count()).group_by(delivery_events.c.event)).all())
        distinct = conn.execute(select(func.count(func.distinct(delivery_events.c.event_id)))).scalar() or 0
    engine.dispose()
    return {"rows": sum(rows.values()), "distinct": distinct, "clicked": rows.get("clicked", 0)}


def settled(url: str, expected_clicks: int, still: float = 60.0) -> tuple[dict[str, int], float]:
    """What is stored once the redirects' writer has recorded the clicks (it does so after answering),
    and how long after the last answer that was: until all are in, or none came in for `still` s."""
    started = last_change = time.monotonic()
    now = stored(url)
    while now["clicked"] < expected_clicks and time.monotonic() - last_change < still:
        time.sleep(0.5)
        seen, now = now, stored(url)
        if now["clicked"] != seen["clicked"]:
            last_change = time.monotonic()
    return now, (last_change if now["clicked"] < expected_clicks else time.monotonic()) - started


def run(kind: str, options: argparse.Namespace) -> None:
    print(f"{kind}: {options.events:,} events in posts of {POST_SIZE:,} from {options.clients} clients, "
          f"{options.repeat:.0%} posted twice at once and as many again later; "
          f"{options.recipients:,} deliveries", flush=True)  # fmt: skip
    signer = Signer()
    with tempfile.TemporaryDirectory() as tmp, fresh_database(kind, Path(tmp)) as url:
        edition_id, rows = seed(url, options.recipients)
        with serving(Path(tmp), url, signer.public) as base:
            got = bench_webhook(base, signer, edition_id, rows, options.events, options.clients, options.repeat)
            before = stored(url)
            clicks = bench_clicks(base, url, edition_id, rows, options.clicks) if options.clicks else None
            after, lag = settled(url, before["clicked"] + (clicks["redirected"] if clicks else 0))
    events = options.events // POST_SIZE * POST_SIZE
    once = before["rows"] == before["distinct"] == events == got["applied"] and not got["failures"]
    rate = events / got["took"]
    print(f"  {got['posts']:,} posts in {got['took']:.1f} s; {before['rows']:,} events stored, "
          f"{got['applied']:,} applied (of {events:,}); failures: {got['failures'][:3] or 'none'}")  # fmt: skip
    print(f"{kind}: each event applied exactly once under repeats: {'yes' if once else 'NO'}")
    print(f"{kind}: webhook events ingested: {rate:,.0f} events/s (target >= {TARGET_RATE:,}: "
          f"{verdict(rate >= TARGET_RATE and once)})")  # fmt: skip
    if clicks is None:
        print(f"{kind}: click redirect: not measured (--clicks 0)")
    else:
        print(f"  {clicks['requests']:,} clicks, {clicks['redirected']:,} redirected, {clicks['failed']:,} failed, "
              f"{after['clicked'] - before['clicked']:,} stored ({lag:.0f} s after the last answer), "
              f"{clicks['rate']:,.0f} clicks/s, p50 "
              f"{clicks['p50']:.1f} ms; one at a time, p95 {clicks['alone_p95']:.1f} ms")  # fmt: skip
        kept = after["clicked"] - before["clicked"] == clicks["redirected"]
        print(f"{kind}: each click redirected and stored once: {'yes' if kept and not clicks['failed'] else 'NO'}")
        print(f"{kind}: click redirect p95 under {CLICK_CONCURRENCY} concurrent requests: {clicks['p95']:.1f} ms "
              f"(target <= {TARGET_P95_MS:.0f} ms: {verdict(clicks['p95'] <= TARGET_P95_MS)})")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--clicks", type=int, default=100_000)
    parser.add_argument("--recipients", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--repeat", type=float, default=0.1, help="share of posts sent twice (default 0.1)")
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    parser.add_argument("--quick", action="store_true", help="50,000 events, 5,000 clicks, 10,000 deliveries")
    options = parser.parse_args()
    if options.quick:
        options.events, options.clicks, options.recipients = 50_000, 5_000, 10_000
    load = os.getloadavg()
    print(f"machine: {os.cpu_count()} CPUs, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}", flush=True)
    for kind in [options.only] if options.only else ["sqlite", "postgresql"]:
        run(kind, options)


if __name__ == "__main__":
    main()
