"""Speed of trimming: articles per second on one core, plain text of about 5 KB each.

    .venv/bin/python bench/trim_speed.py [--articles 2000] [--runs 5]

Articles are assembled from the labelled fixtures' paragraphs (all five languages, captions,
bylines, quotations in every convention) up to about 5 KB each, deterministically, with about three
paragraphs in ten quoting someone. Each run parses
the structure (digest.ingest.structure.parse_plain_text) and trims (digest.trim.trim) every article;
the figures are the medians of the runs, by the wall clock and by CPU time. The machine is shared:
when other work takes the core, the wall clock drops and CPU time is the fairer measure of one core.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from digest.ingest.structure import paragraphs_of, parse_plain_text  # noqa: E402
from digest.trim import trim  # noqa: E402
from digest.trim.quotes import find_quotes  # noqa: E402

FIXTURES = REPO / "tests" / "fixtures" / "trim"
TARGET_BYTES = 5000
TARGET = 1000
QUOTED_SHARE = 0.3
QUOTE_MARKS = '«»„“”"‘’'


def corpus(n: int, seed: int = 7) -> list[str]:
    """n plain-text articles of about TARGET_BYTES, each in one language: a fixture's head (caption,
    credit, title, first paragraphs) grown with other paragraphs of the same language, one paragraph
    in QUOTED_SHARE quoting someone (news articles of 5 KB carry a handful of quotations)."""
    rng = random.Random(seed)
    by_language: dict[str, list[list[str]]] = {}
    for path in sorted(FIXTURES.glob("*/*.txt")):
        by_language.setdefault(path.parent.name, []).append(paragraphs_of(path.read_text(encoding="utf-8")))
    languages = sorted(by_language)
    articles = []
    for i in range(n):
        docs = by_language[languages[i % len(languages)]]
        paragraphs = list(rng.choice(docs))
        body = [p for doc in docs for p in doc[2:] if len(p) > 80]
        quoted = [p for p in body if any(mark in p for mark in QUOTE_MARKS)]
        plain = [p for p in body if p not in quoted]
        while sum(len(p.encode()) + 2 for p in paragraphs) < TARGET_BYTES:
            pool = quoted if rng.random() < QUOTED_SHARE else plain
            paragraphs.insert(len(paragraphs) - 1, rng.choice(pool))
        articles.append("\n\n".join(paragraphs))
    return articles


def run_once(articles: list[str]) -> tuple[float, float]:
    """Articles per second by the wall clock and by this process's CPU time (one core: the same
    unless other work on the machine takes the core away)."""
    wall, cpu = time.perf_counter(), time.process_time()
    for text in articles:
        trim(parse_plain_text(text), lede_words=60, max_quotes=2)
    return len(articles) / (time.perf_counter() - wall), len(articles) / (time.process_time() - cpu)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    articles = corpus(args.articles)
    size = statistics.mean(len(a.encode()) for a in articles)
    quotes = statistics.mean(len(find_quotes(parse_plain_text(a))) for a in articles[:200])
    run_once(articles[:50])  # warm caches (language data, compiled patterns)
    runs = [run_once(articles) for _ in range(args.runs)]
    wall = statistics.median(r[0] for r in runs)
    cpu = statistics.median(r[1] for r in runs)
    print(
        f"Trim speed: {len(articles)} articles of {size / 1000:.1f} KB and {quotes:.1f} quotations "
        f"on average, {args.runs} runs, load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    print(f"  wall clock: {', '.join(f'{r[0]:,.0f}' for r in runs)} articles/s, median {wall:,.0f}")
    print(f"  CPU time:   {', '.join(f'{r[1]:,.0f}' for r in runs)} articles/s, median {cpu:,.0f}")
    verdict = "met" if wall >= TARGET else ("met in CPU time only" if cpu >= TARGET else "NOT met")
    print(f"  target {TARGET:,} articles/s on one core: {verdict}")
    return 0 if cpu >= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
