"""Scale bench (issue 16): one edition through `digest send` against a provider that answers in
`--latency` seconds a request (250 ms, as a distant provider does), locally and on Celery workers,
on PostgreSQL; and what a delivery row costs on disk. The figures feed docs/scaling.md.

    .venv/bin/python bench/scale.py                       # 20,000 recipients, batches of 500
    .venv/bin/python bench/scale.py --recipients 50000 --latency 0.1

Every run is `digest send` in a subprocess on a fresh schema, the stand-in in a process of its own,
workers as `digest worker` processes on Redis (DIGEST_BENCH_REDIS_URL, database 14 by default).
Each run checks that every recipient got exactly one copy.
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
from contextlib import contextmanager
from pathlib import Path

import yaml
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from digest.store.db import open_store  # noqa: E402
from tests.servers.support import add_edition, add_subscribers, make_settings, server_process  # noqa: E402

KEY = "SG.scale-bench"
DIGEST = str(Path(sys.executable).with_name("digest"))
POSTGRES = os.environ.get("DIGEST_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/digest_bench")
REDIS = os.environ.get("DIGEST_BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")


@contextmanager
def schema(name: str):
    admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
        conn.execute(text(f'CREATE SCHEMA "{name}"'))
    try:
        yield f"{POSTGRES}?options=-csearch_path%3D{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
        admin.dispose()


def stats(port: int) -> dict:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stats", timeout=10) as answer:
        return json.load(answer)


def run(folder: Path, port: int, n: int, batch: int, execution: str, in_flight: int = 1,
        workers: int = 0, concurrency: int = 4) -> dict:  # fmt: skip
    import redis

    redis.Redis.from_url(REDIS).flushdb()
    label = f"{execution}-{in_flight}-{workers}"
    with schema(f"scale_{label.replace('-', '_')}") as url:
        config = {
            "public_url": "https://digest.example.org", "database_url": url, "execution": execution,
            "templates": str(ROOT / "templates"), "lists": [make_settings().lists[0].model_dump(mode="json")],
            "delivery": {"backend": "sendgrid", "batch_size": batch, "in_flight": in_flight,
                         "sendgrid": {"api_host": f"http://127.0.0.1:{port}", "timeout": 60}},
        }  # fmt: skip
        path = folder / f"{label}.yaml"
        path.write_text(yaml.safe_dump(config))
        engine = open_store(url)
        add_subscribers(engine, n)
        edition_id = add_edition(engine, make_settings())
        env = {**os.environ, "DIGEST_CONFIG": str(path), "SENDGRID_API_KEY": KEY, "DIGEST_BROKER_URL": REDIS,
               "DIGEST_SECRET_KEY": "scale-bench-key", "NO_COLOR": "1"}  # fmt: skip
        pool = [
            subprocess.Popen([DIGEST, "worker", "--concurrency", str(concurrency), "--name", f"w{i}@bench",
                              "--loglevel", "warning"], env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, start_new_session=True)
            for i in range(workers)
        ]  # fmt: skip
        try:
            if workers:
                deadline = time.monotonic() + 60
                while f"workers: {workers} answering" not in subprocess.run(
                    [DIGEST, "status"], env=env, capture_output=True, text=True).stdout:  # fmt: skip
                    assert time.monotonic() < deadline, "the workers did not answer"
                    time.sleep(0.5)
            before = stats(port)["accepted"]
            started = time.perf_counter()
            done = subprocess.run([DIGEST, "send", str(edition_id)], env=env, capture_output=True, text=True)
            took = time.perf_counter() - started
            assert done.returncode == 0, done.stdout + done.stderr
            assert stats(port)["accepted"] - before == n, "not every recipient got one copy"
            with engine.connect() as conn:
                size = conn.execute(text("SELECT pg_total_relation_size('deliveries')")).scalar()
                rows = conn.execute(text("SELECT count(*) FROM deliveries WHERE status = 'sent'")).scalar()
        finally:
            for p in pool:
                os.killpg(p.pid, signal.SIGTERM)
            for p in pool:
                p.wait(60)
            engine.dispose()
    return {"took": took, "rate": n / took, "row_bytes": size / max(rows, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--latency", type=float, default=0.25, help="seconds the provider takes a request")
    args = parser.parse_args()
    n, batch = args.recipients, args.batch
    admin = create_engine(POSTGRES.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = 'digest_bench'")).scalar():
            conn.execute(text("CREATE DATABASE digest_bench"))
    admin.dispose()
    stand_in = ("tests.servers.sendgrid", "--key", KEY, "--latency", str(args.latency))
    print(f"{n:,} recipients in batches of {batch} ({n // batch} requests), the provider {args.latency * 1000:.0f} ms a request")
    with tempfile.TemporaryDirectory() as tmp, server_process(*stand_in) as (port, _):
        cases = [
            ("local, 1 batch in flight", {"execution": "local"}),
            ("local, 8 batches in flight", {"execution": "local", "in_flight": 8}),
            ("celery, 1 worker x 4", {"execution": "celery", "workers": 1}),
            ("celery, 2 workers x 4", {"execution": "celery", "workers": 2}),
        ]
        results = {}
        for name, options in cases:
            results[name] = figures = run(Path(tmp), port, n, batch, **options)
            print(f"  {name:28} {figures['took']:6.1f} s  {figures['rate']:8,.0f} recipients/s", flush=True)
    one, two = results["celery, 1 worker x 4"]["rate"], results["celery, 2 workers x 4"]["rate"]
    local = results["local, 1 batch in flight"]["rate"]
    row = results["local, 1 batch in flight"]["row_bytes"]
    print(f"two workers against one: {two / one:.2f}x (target: more than 1x, until this machine's 2 cores are the limit)")
    print(f"workers against one local batch in flight: {two / local:.1f}x")
    print(f"a delivery row on disk, with its indexes (PostgreSQL): {row:.0f} bytes")
    for name, figures in results.items():
        print(f"  10,000,000 recipients at the rate of '{name}': {10_000_000 / figures['rate'] / 60:.0f} min")


if __name__ == "__main__":
    main()
