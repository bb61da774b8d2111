"""Ingest speed and memory: 50 feeds of 40 summary-only items each, whose full text is fetched from
article pages and extracted, all served by a loopback server in a process of its own.

    .venv/bin/python bench/ingest.py [--feeds 50] [--items 40] [--workers 8]

Prints items per second (fetch + parse + full-text extraction + store), the peak RSS of the ingesting
process, and the time of a second run answered with 304s. Targets: >= 200 items/s, <= 300 MB, and a
second run under a tenth of the first.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from digest.config import Settings, Source  # noqa: E402
from digest.ingest.run import ingest  # noqa: E402
from digest.store.db import open_store  # noqa: E402
from tests.servers.feeds import serve_corpus  # noqa: E402


def once(base: str, feeds: int, workers: int) -> tuple[int, float, float, int, int]:
    """A cold run on an empty database, then a second run: (new, first s, second s, 304s, problems)."""
    with tempfile.TemporaryDirectory() as tmp:
        sources = [
            Source(name=f"feed-{f}", kind="feed", url=f"{base}/feed/{f}.xml", full_text=True)
            for f in range(feeds)
        ]
        settings = Settings(public_url="https://digest.example.org", sources=sources, base_dir=Path(tmp))
        engine = open_store(f"sqlite:///{tmp}/bench.db")
        started = time.perf_counter()
        first = ingest(engine, settings, workers=workers)
        first_s = time.perf_counter() - started
        started = time.perf_counter()
        second = ingest(engine, settings, workers=workers)
        second_s = time.perf_counter() - started
        engine.dispose()
    return first.new, first_s, second_s, len(second.not_modified), len(first.failed) + len(first.skipped)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--feeds", type=int, default=50)
    parser.add_argument("--items", type=int, default=40)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument(
        "--runs", type=int, default=3, help="cold runs, each on a fresh database; the median counts"
    )
    args = parser.parse_args()

    ours, theirs = multiprocessing.Pipe()
    server = multiprocessing.get_context("fork").Process(target=serve_corpus, args=(args.feeds, args.items, theirs))
    server.start()
    base = ours.recv()
    expected = args.feeds * args.items
    print(
        f"{args.feeds} feeds x {args.items} summary-only items, full text from article pages; {args.workers} workers"
    )
    rates, ratios = [], []
    try:
        for run in range(1, args.runs + 1):
            new, first_s, second_s, answered_304, problems = once(base, args.feeds, args.workers)
            rates.append(new / first_s if new == expected else 0.0)
            ratios.append(second_s / first_s)
            print(f"run {run}: {new} new of {expected} in {first_s:.2f} s = {new / first_s:.0f} items/s, "
                  f"{problems} problems; second run {second_s:.3f} s with {answered_304} of {args.feeds} "
                  f"answered 304 = {second_s / first_s:.3f} of the first")  # fmt: skip
    finally:
        ours.send("done")
        server.join(5)
    us, server_cpu = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    peak_mb = us.ru_maxrss / 1024
    cpu_ms = (us.ru_utime + us.ru_stime) * 1000 / (expected * args.runs)
    server_ms = (server_cpu.ru_utime + server_cpu.ru_stime) * 1000 / (expected * args.runs)
    rate, ratio = statistics.median(rates), statistics.median(ratios)
    print(f"median: {rate:.0f} items/s (target >= 200); second run {ratio:.3f} of the first (target < 0.1)")
    print(f"peak RSS of the ingesting process: {peak_mb:.0f} MB (target <= 300)")
    print(
        f"CPU per item: ingest {cpu_ms:.1f} ms, loopback server {server_ms:.1f} ms (both on the same cores)"
    )
    print("targets:", "met" if rate >= 200 and ratio < 0.1 and peak_mb <= 300 else "NOT met")


if __name__ == "__main__":
    main()
