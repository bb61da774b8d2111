"""Scale bench (issue 16): the figures of its "Measure and reach", each against its target, on
PostgreSQL and Redis; they feed docs/scaling.md.

    .venv/bin/python bench/scale.py                            # everything, at the issue's sizes
    .venv/bin/python bench/scale.py --recipients 20000 --local # smaller, and the local sends beside
    .venv/bin/python bench/scale.py --only ingest --feeds 500

send: one edition of `--recipients` (1,000,000) through `digest send` to the SendGrid stand-in, which
answers in `--latency` seconds a request (250 ms, as a distant provider does), in batches of 1,000,
on one `digest worker` and on two (each `--concurrency` processes): the time end to end (the rows'
creation included) against 60 s, two workers against one against 1.8x, and the largest peak memory
of any worker process against 300 MB. With --local, `execution: local` with 1 and 8 batches in
flight beside them. Every run checks that each recipient got exactly one copy.
ingest: `digest ingest` of `--feeds` (2,000) feeds of `--items` items with full-text pages from the
loopback feed server, on one worker and on two: two against one against 1.6x.
Also printed: what a delivery row costs on disk.

Every run is the installed `digest` in subprocesses on a fresh schema (DIGEST_BENCH_POSTGRES_URL), the
stand-in and the feed server in processes of their own, the workers on Redis (DIGEST_BENCH_REDIS_URL,
database 14 by default).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import yaml
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from digest.store.db import open_store  # noqa: E402
from tests.servers.feeds import corpus_server  # noqa: E402
from tests.servers.support import add_edition, add_subscribers, make_settings, postgres_schema, server_process  # noqa: E402

KEY = "SG.scale-bench"
DIGEST = str(Path(sys.executable).with_name("digest"))
POSTGRES = os.environ.get("DIGEST_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/digest_bench")
REDIS = os.environ.get("DIGEST_BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
TARGET_SECONDS, TARGET_SEND_SCALE, TARGET_MB, TARGET_INGEST_SCALE = 60, 1.8, 300, 1.6


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def schema(name: str) -> AbstractContextManager[str]:
    return postgres_schema(POSTGRES, name)


def tree(pid: int) -> list[int]:
    """The process and its descendants (a worker and its pool)."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    return [pid] + [p for c in children for p in tree(int(c))]


def peak_mb(pid: int) -> float:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    line = next((x for x in status.splitlines() if x.startswith("VmHWM:")), "VmHWM: 0 kB")
    return int(line.split()[1]) / 1024


@contextmanager
def workers(env: dict, count: int, concurrency: int) -> Iterator[list[subprocess.Popen]]:
    """`count` workers, answering; stopped warmly at the end."""
    pool = [
        subprocess.Popen([DIGEST, "worker", "--concurrency", str(concurrency), "--name", f"w{i}@bench",
                          "--loglevel", "warning"], env=env, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True)
        for i in range(count)
    ]  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while count and f"workers: {count} answering" not in subprocess.run(
            [DIGEST, "status"], env=env, capture_output=True, text=True).stdout:  # fmt: skip
            assert time.monotonic() < deadline, "the workers did not answer"
            time.sleep(0.5)
        yield pool
    finally:
        for p in pool:
            os.kill(p.pid, signal.SIGTERM)
        for p in pool:
            p.wait(120)


def instance(folder: Path, name: str, url: str, **config) -> dict:
    import redis

    redis.Redis.from_url(REDIS).flushdb()
    settings = {"public_url": "https://digest.example.org", "database_url": url,
                "templates": str(ROOT / "templates"), "lists": [make_settings().lists[0].model_dump(mode="json")],
                **config}  # fmt: skip
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(settings))
    return {**os.environ, "DIGEST_CONFIG": str(path), "SENDGRID_API_KEY": KEY, "DIGEST_BROKER_URL": REDIS,
            "DIGEST_SECRET_KEY": "scale-bench-key", "NO_COLOR": "1"}  # fmt: skip


def accepted(port: int) -> int:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stats", timeout=10) as answer:
        return int(json.load(answer)["accepted"])


def send_once(folder: Path, port: int, n: int, execution: str, count: int = 0, concurrency: int = 4,
              in_flight: int = 1) -> dict:  # fmt: skip
    name = f"send_{execution}_{count}_{in_flight}"
    with schema(name) as url:
        delivery = {"backend": "sendgrid", "batch_size": 1000, "in_flight": in_flight,
                    "sendgrid": {"api_host": f"http://127.0.0.1:{port}", "timeout": 60}}  # fmt: skip
        env = instance(folder, name, url, execution=execution, delivery=delivery)
        engine = open_store(url)
        add_subscribers(engine, n)
        edition_id = add_edition(engine, make_settings())
        with engine.connect() as conn:  # the statistics a live database has (autovacuum), not a fresh one's
            conn.execute(text("ANALYZE"))
            conn.commit()
        engine.dispose()
        with workers(env, count, concurrency) as pool:
            before = accepted(port)
            started = time.perf_counter()
            done = subprocess.run([DIGEST, "send", str(edition_id)], env=env, capture_output=True, text=True)
            took = time.perf_counter() - started
            memory = max((peak_mb(p) for w in pool for p in tree(w.pid)), default=0.0)
        assert done.returncode == 0, done.stdout + done.stderr
        assert accepted(port) - before == n, "not every recipient got one copy"
        engine = open_store(url)
        with engine.connect() as conn:
            size = conn.execute(text("SELECT pg_total_relation_size('deliveries')")).scalar() or 0
        engine.dispose()
    return {"took": took, "rate": n / took, "peak_mb": memory, "row_bytes": size / n}


def bench_send(n: int, latency: float, concurrency: int, local: bool) -> None:
    print(f"send: {n:,} recipients in batches of 1,000 ({n // 1000:,} requests), the provider "
          f"{latency * 1000:.0f} ms a request; workers of {concurrency} processes", flush=True)  # fmt: skip
    stand_in = ("tests.servers.sendgrid", "--key", KEY, "--latency", str(latency))
    with tempfile.TemporaryDirectory() as tmp, server_process(*stand_in) as (port, _):
        cases = [("local, 1 batch in flight", {"execution": "local"}),
                 ("local, 8 batches in flight", {"execution": "local", "in_flight": 8})] if local else []
        cases += [("celery, 1 worker", {"execution": "celery", "count": 1, "concurrency": concurrency}),
                  ("celery, 2 workers", {"execution": "celery", "count": 2, "concurrency": concurrency})]  # fmt: skip
        results = {}
        for name, options in cases:
            results[name] = got = send_once(Path(tmp), port, n, **options)  # type: ignore[arg-type]
            memory = f", peak memory of a worker process {got['peak_mb']:.0f} MB" if got["peak_mb"] else ""
            print(f"  {name:27} {got['took']:7.1f} s  {got['rate']:8,.0f} recipients/s{memory}", flush=True)
    one, two = results["celery, 1 worker"], results["celery, 2 workers"]
    best = min(one["took"], two["took"])
    print(f"send end to end with workers: {best:.1f} s (target <= {TARGET_SECONDS} s for 1,000,000: "
          f"{verdict(best <= TARGET_SECONDS * n / 1_000_000)})")  # fmt: skip
    print(f"two workers against one: {one['took'] / two['took']:.2f}x (target >= {TARGET_SEND_SCALE}x: "
          f"{verdict(one['took'] / two['took'] >= TARGET_SEND_SCALE)})")  # fmt: skip
    worst = max(one["peak_mb"], two["peak_mb"])
    print(f"peak memory of a worker process: {worst:.0f} MB (target <= {TARGET_MB} MB: {verdict(worst <= TARGET_MB)})")
    print(f"a delivery row on disk, with its indexes (PostgreSQL, after its send): {one['row_bytes']:.0f} bytes")


def ingest_once(folder: Path, base: str, feeds: int, count: int, concurrency: int) -> float:
    name = f"ingest_{count}"
    with schema(name) as url:
        sources = [{"name": f"feed-{f}", "kind": "feed", "url": f"{base}/feed/{f}.xml", "full_text": True}
                   for f in range(feeds)]  # fmt: skip
        env = instance(folder, name, url, execution="celery", sources=sources)
        subprocess.run([DIGEST, "db", "upgrade"], env=env, capture_output=True, check=True)
        with workers(env, count, concurrency):
            started = time.perf_counter()
            done = subprocess.run([DIGEST, "ingest"], env=env, capture_output=True, text=True)
            took = time.perf_counter() - started
        assert done.returncode == 0 and "failed 0" in done.stdout, done.stdout + done.stderr
    return took


def bench_ingest(feeds: int, items: int, concurrency: int) -> None:
    print(f"ingest: {feeds:,} feeds x {items} items with full-text pages; workers of {concurrency} processes",
          flush=True)
    with tempfile.TemporaryDirectory() as tmp, corpus_server(feeds, items) as base:
        one = ingest_once(Path(tmp), base, feeds, 1, concurrency)
        print(f"  celery, 1 worker  {one:7.1f} s", flush=True)
        two = ingest_once(Path(tmp), base, feeds, 2, concurrency)
        print(f"  celery, 2 workers {two:7.1f} s", flush=True)
    print(f"ingest, two workers against one: {one / two:.2f}x (target >= {TARGET_INGEST_SCALE}x: "
          f"{verdict(one / two >= TARGET_INGEST_SCALE)})")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=1_000_000)
    parser.add_argument("--latency", type=float, default=0.25, help="seconds the provider takes a request")
    parser.add_argument("--concurrency", type=int, default=8, help="processes of each worker")
    parser.add_argument("--local", action="store_true", help="also the local sends, for comparison")
    parser.add_argument("--feeds", type=int, default=2000)
    parser.add_argument("--items", type=int, default=5)
    parser.add_argument("--only", choices=["send", "ingest"])
    args = parser.parse_args()
    admin = create_engine(POSTGRES.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = 'digest_bench'")).scalar():
            conn.execute(text("CREATE DATABASE digest_bench"))
    admin.dispose()
    if args.only in (None, "send"):
        bench_send(args.recipients, args.latency, args.concurrency, args.local)
    if args.only in (None, "ingest"):
        bench_ingest(args.feeds, args.items, args.concurrency)


if __name__ == "__main__":
    main()
