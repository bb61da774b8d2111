"""Delivery bench: prints the figures issue 7 asks for.

    .venv/bin/python bench/deliver.py                 # both parts
    .venv/bin/python bench/deliver.py --only sendgrid --recipients 100000
    .venv/bin/python bench/deliver.py --only smtp --smtp-recipients 10000 --latency 0.01
    .venv/bin/python bench/deliver.py --only sendgrid --fault-rate 0.2   # exactly once under faults

sendgrid: N recipients through the sendgrid backend to the stand-in (another process on 127.0.0.1),
end to end: delivery rows created in SQLite, the edition rendered once, each recipient's links
signed, requests of 1,000 personalizations, rows recorded. Targets: <= 100 requests, <= 15 s,
peak RSS <= 300 MB (this process; the stand-in is reported apart).
smtp: M recipients through the smtp backend with a pool to an aiosmtpd sink (another process)
that takes `--latency` seconds per message, as a real relay does, against one sequential
connection (measured on `--baseline` recipients, compared by rate). Target: >= 5x.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from digest.config import RetrySettings  # noqa: E402
from digest.deliver.backends.sendgrid import SendGridBackend  # noqa: E402
from digest.deliver.backends.smtp import Relay, SmtpBackend  # noqa: E402
from digest.deliver.send import send_edition  # noqa: E402
from digest.store.db import open_store  # noqa: E402
from tests.servers.support import add_edition, add_subscribers, make_links, make_settings, server_process  # noqa: E402

KEY = "SG.bench-key"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def store(folder: Path, n: int, **delivery):
    engine = open_store(f"sqlite:///{folder / 'bench.db'}")
    settings = make_settings(**delivery)
    started = time.perf_counter()
    add_subscribers(engine, n)
    edition_id = add_edition(engine, settings)
    return engine, settings, edition_id, time.perf_counter() - started


def bench_sendgrid(n: int, fault_rate: float = 0.0) -> dict:
    stand_in = ("tests.servers.sendgrid", "--key", KEY, "--fault-rate", str(fault_rate))
    with tempfile.TemporaryDirectory() as tmp, server_process(*stand_in) as (port, proc):
        engine, settings, edition_id, seeded = store(Path(tmp), n, batch_size=1000)
        url = f"http://127.0.0.1:{port}"
        backend = SendGridBackend(KEY, url, timeout=30)
        started = time.perf_counter()
        report = send_edition(engine, settings, edition_id, backend, make_links())
        elapsed = time.perf_counter() - started
        stats = json.load(urllib.request.urlopen(f"{url}/_stats"))
        stand_in_rss = _rss_of(proc.pid)
    return {
        "recipients": n,
        "fault_rate": fault_rate,
        "answers": stats["answers"],
        "seconds": round(elapsed, 2),
        "messages_per_second": round(n / elapsed),
        "requests": backend.requests,
        "accepted_by_stand_in": stats["accepted"],
        "unique": stats["unique"],
        "duplicates": stats["duplicates"],
        "rows": report.counts,
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "stand_in_rss_mb": stand_in_rss,
        "seed_seconds_not_counted": round(seeded, 2),
        "targets_met": _targets(n, fault_rate, backend.requests, elapsed, stats),
    }


def _targets(n: int, fault_rate: float, requests: int, elapsed: float, stats: dict) -> dict:
    met = {
        "rss<=300MB": peak_rss_mb() <= 300,
        "exactly_once": stats["unique"] == n and stats["duplicates"] == 0,
    }
    if not fault_rate:  # the request and time budgets are for a clean run
        budget = 15 * n / 100_000  # 15 s for 100,000
        met |= {
            f"requests<={-(-n // 1000)}": requests <= -(-n // 1000),
            f"seconds<={budget:g}": elapsed <= budget,
        }
    return met


def _rss_of(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def _smtp_run(n: int, pool: int, latency: float) -> tuple[float, dict, int, str]:
    with (
        tempfile.TemporaryDirectory() as tmp,
        server_process("tests.servers.smtp", "--latency", str(latency)) as (port, proc),
    ):
        engine, settings, edition_id, _ = store(Path(tmp), n, batch_size=1000)
        backend = SmtpBackend(
            Relay("127.0.0.1", port, "none", timeout=30),
            pool_size=pool,
            messages_per_connection=500,
            retry=RetrySettings(),
        )
        started = time.perf_counter()
        report = send_edition(engine, settings, edition_id, backend, make_links())
        elapsed = time.perf_counter() - started
        proc.terminate()
        sink_says = proc.stdout.read().strip()
    return elapsed, report.counts, backend.connections, sink_says


def bench_smtp(n: int, baseline_n: int, pool: int, latency: float) -> dict:
    seq_seconds, seq_counts, _, seq_sink = _smtp_run(baseline_n, 1, latency)
    pool_seconds, pool_counts, connections, pool_sink = _smtp_run(n, pool, latency)
    seq_rate, pool_rate = baseline_n / seq_seconds, n / pool_seconds
    return {
        "sink_latency_per_message_s": latency,
        "sequential": {
            "recipients": baseline_n,
            "seconds": round(seq_seconds, 2),
            "per_second": round(seq_rate),
            "rows": seq_counts,
            "sink": seq_sink,
        },
        "pool": {
            "recipients": n,
            "pool_size": pool,
            "connections": connections,
            "seconds": round(pool_seconds, 2),
            "per_second": round(pool_rate),
            "rows": pool_counts,
            "sink": pool_sink,
        },
        "speed_up": round(pool_rate / seq_rate, 1),
        "targets_met": {"speed_up>=5": pool_rate / seq_rate >= 5},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["sendgrid", "smtp"])
    parser.add_argument("--recipients", type=int, default=100_000)
    parser.add_argument(
        "--fault-rate", type=float, default=0.0, help="share of requests the stand-in fails (429/500)"
    )
    parser.add_argument("--smtp-recipients", type=int, default=10_000)
    parser.add_argument("--baseline", type=int, default=1_000, help="recipients for the sequential SMTP run")
    parser.add_argument("--pool", type=int, default=16)
    parser.add_argument("--latency", type=float, default=0.01, help="the sink's seconds per message")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}", flush=True)
    if args.only in (None, "sendgrid"):
        print("sendgrid", json.dumps(bench_sendgrid(args.recipients, args.fault_rate), indent=2), flush=True)
    if args.only in (None, "smtp"):
        print(
            "smtp",
            json.dumps(bench_smtp(args.smtp_recipients, args.baseline, args.pool, args.latency), indent=2),
        )


if __name__ == "__main__":
    main()
